"""Intent and language models learned from the team's examples (scikit-learn, offline).

Intent: TF-IDF over character n-grams (robust to typos, missing accents and run-together
words) and word uni/bigrams of the folded text, into a logistic-loss linear model whose
probabilities give the confidence. Language: character n-grams *with* accents (ã, ç and ñ
tell Portuguese from Spanish) into naive Bayes. Both are trained in a few seconds from
:mod:`mostrador.assistant.examples`; nothing is downloaded.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final, cast

import numpy as np
from scipy import sparse
from scipy.special import expit, logsumexp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import FeatureUnion, Pipeline

from mostrador.assistant.augment import variants
from mostrador.assistant.examples import Example, Intent, Language
from mostrador.assistant.text import fold

__all__ = ["MIN_CONFIDENCE", "MIN_MARGIN", "Classifier", "IntentGuess", "LanguageGuess", "train"]

# The margin rule: a guess is acted on only when it is likely enough AND clearly ahead of the
# runner-up; otherwise the bot asks again (and a second unclear message goes to a person).
MIN_CONFIDENCE: Final = 0.45
MIN_MARGIN: Final = 0.15
_TOKENS: Final = r"(?u)\b\w+\b|[^\w\s]"


@dataclass(frozen=True, slots=True)
class IntentGuess:
    intent: Intent
    confidence: float
    runner_up: Intent
    margin: float

    @property
    def certain(self) -> bool:
        return self.confidence >= MIN_CONFIDENCE and self.margin >= MIN_MARGIN


@dataclass(frozen=True, slots=True)
class LanguageGuess:
    language: Language
    confidence: float


def _lowered(text: str) -> str:
    return text.lower()


class _Linear:
    """A fitted text pipeline's arithmetic without its per-call overhead.

    scikit-learn's ``predict_proba`` on one message spends most of its time validating and
    routing; the vectorizers plus one sparse product give the same numbers in a third of the
    time (the tests check they are equal), which is what keeps a message under 10 ms."""

    def __init__(self, vectorizers: list[Any], weights: Any, bias: Any, labels: list[str]) -> None:
        self.vectorizers = vectorizers
        self.weights = weights  # features x classes
        self.bias = bias
        self.labels = labels

    def scores(self, texts: Sequence[str]) -> Any:
        parts = [vectorizer.transform(list(texts)) for vectorizer in self.vectorizers]
        features = sparse.hstack(parts).tocsr() if len(parts) > 1 else parts[0]
        return np.asarray(features @ self.weights) + self.bias


def _intent_arithmetic(pipeline: Pipeline) -> _Linear:
    union = pipeline.named_steps["features"]
    model = pipeline.named_steps["model"]
    return _Linear(
        [vectorizer for _name, vectorizer in union.transformer_list],
        np.ascontiguousarray(model.coef_.T),
        model.intercept_,
        [str(label) for label in model.classes_],
    )


def _language_arithmetic(pipeline: Pipeline) -> _Linear:
    model = pipeline.named_steps["model"]
    return _Linear(
        [pipeline.named_steps["chars"]],
        np.ascontiguousarray(model.feature_log_prob_.T),
        model.class_log_prior_,
        [str(label) for label in model.classes_],
    )


class Classifier:
    """The two trained models; one instance per process, read-only after training."""

    def __init__(self, intents: Pipeline, languages: Pipeline) -> None:
        self._intents = intents
        self._languages = languages
        self._intent_math = _intent_arithmetic(intents)
        self._language_math = _language_arithmetic(languages)

    def intent(self, text: str) -> IntentGuess:
        return self.intents([text])[0]

    def intents(self, texts: Sequence[str]) -> list[IntentGuess]:
        return [self._guess(row) for row in self.intent_probabilities(texts)]

    def intent_probabilities(self, texts: Sequence[str]) -> Any:
        """One-vs-rest logistic scores, normalised as scikit-learn's ``predict_proba`` does."""
        likely = expit(self._intent_math.scores(texts))
        return likely / likely.sum(axis=1, keepdims=True)

    def _guess(self, row: Any) -> IntentGuess:
        labels = cast("list[Intent]", self._intent_math.labels)
        order = np.argsort(row)[::-1]
        first, second = int(order[0]), int(order[1])
        return IntentGuess(
            intent=labels[first],
            confidence=round(float(row[first]), 4),
            runner_up=labels[second],
            margin=round(float(row[first] - row[second]), 4),
        )

    def language_probabilities(self, texts: Sequence[str]) -> Any:
        joint = self._language_math.scores(texts)
        return np.exp(joint - logsumexp(joint, axis=1, keepdims=True))

    def language(self, text: str) -> LanguageGuess:
        row = self.language_probabilities([text])[0]
        best = int(np.argmax(row))
        labels = cast("list[Language]", self._language_math.labels)
        return LanguageGuess(labels[best], round(float(row[best]), 4))

    @property
    def pipelines(self) -> tuple[Pipeline, Pipeline]:
        """The fitted scikit-learn pipelines (intent, language), for checks and benchmarks."""
        return self._intents, self._languages


def _intent_pipeline() -> Pipeline:
    features = FeatureUnion(
        [
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=fold,
                    analyzer="char_wb",
                    ngram_range=(2, 5),
                    sublinear_tf=True,
                    min_df=2,
                ),
            ),
            (
                "words",
                TfidfVectorizer(
                    preprocessor=fold,
                    token_pattern=_TOKENS,
                    ngram_range=(1, 2),
                    sublinear_tf=True,
                ),
            ),
        ]
    )
    # Logistic loss fitted by SGD: the probabilities of a logistic regression in a tenth of
    # the time of lbfgs on ~70k sparse features (bench/README.md, "assistant").
    model = SGDClassifier(loss="log_loss", alpha=1e-5, max_iter=50, tol=1e-4, random_state=0)
    return Pipeline([("features", features), ("model", model)])


def _language_pipeline() -> Pipeline:
    return Pipeline(
        [
            (
                "chars",
                TfidfVectorizer(
                    preprocessor=_lowered, analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True
                ),
            ),
            ("model", MultinomialNB(alpha=0.05)),
        ]
    )


def train(examples: Sequence[Example]) -> Classifier:
    """Both models from ``examples`` and their typed-like-a-customer variants."""
    texts: list[str] = []
    intents: list[str] = []
    languages: list[str] = []
    for number, example in enumerate(examples):
        for variant in variants(example.text, example.language, seed=number):
            texts.append(variant)
            intents.append(example.intent)
            languages.append(example.language)
    intent_model = _intent_pipeline().fit(texts, intents)
    language_model = _language_pipeline().fit(texts, languages)
    return Classifier(intent_model, language_model)
