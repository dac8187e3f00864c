"""One customer message understood: language, intent, entities and the escalation signal.

The single entry point the bot, the CLI (``mostrador assistant classify``) and the benchmarks
share, so that all three read a message the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from mostrador.assistant.classifier import Classifier, IntentGuess, LanguageGuess
from mostrador.assistant.entities import Entities, Vocabulary, extract
from mostrador.assistant.escalation import Escalation, escalation
from mostrador.assistant.examples import Intent, Language

__all__ = ["Context", "Understanding", "sticky_language", "understand"]

# Short messages ("ok", "dale", "obrigado", "👍") are ambiguous between Spanish and
# Portuguese; within a conversation they keep the language it already has.
_SHORT_MESSAGE_WORDS: Final = 3
_SURE_LANGUAGE: Final = 0.8
_SOME_LANGUAGE: Final = 0.5


@dataclass(frozen=True, slots=True)
class Context:
    """What the caller knows beyond the message itself."""

    previous_language: Language | None = None
    default_language: Language = "es"
    unanswered_messages: int = 0
    valuable_at_risk: bool = False
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    region: str = "AR"


@dataclass(frozen=True, slots=True)
class Understanding:
    text: str
    language: Language
    guess: IntentGuess
    entities: Entities
    escalation: Escalation

    @property
    def intent(self) -> Intent:
        return self.guess.intent

    def as_dict(self) -> dict[str, Any]:
        """The shape ``mostrador assistant classify`` prints, one per line."""
        return {
            "intent": self.guess.intent,
            "confidence": self.guess.confidence,
            "language": self.language,
            "entities": self.entities.as_dict(),
            "escalate": self.escalation.escalate,
            "escalation_reasons": list(self.escalation.reasons),
            "certain": self.guess.certain,
        }


def sticky_language(
    guess: LanguageGuess, words: int, previous: Language | None, default: Language
) -> Language:
    """The conversation's language after this message."""
    if previous is not None and (
        words <= _SHORT_MESSAGE_WORDS or guess.confidence < _SURE_LANGUAGE
    ):
        return previous
    if previous is None and guess.confidence < _SOME_LANGUAGE and words <= _SHORT_MESSAGE_WORDS:
        return default
    return guess.language


def understand(
    classifier: Classifier, text: str, context: Context, *, today: date
) -> Understanding:
    words = len(text.split())
    language = sticky_language(
        classifier.language(text), words, context.previous_language, context.default_language
    )
    return Understanding(
        text=text,
        language=language,
        guess=classifier.intent(text),
        entities=extract(text, context.vocabulary, today=today, region=context.region),
        escalation=escalation(
            text,
            unanswered_messages=context.unanswered_messages,
            valuable_at_risk=context.valuable_at_risk,
        ),
    )
