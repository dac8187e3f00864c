"""Variants of the team's examples the way customers really type them.

Each example is also learned with a typo, with chat abbreviations and without punctuation:
a model that only saw tidy sentences misreads "xq no llego mi pedio". Deterministic (a seeded
generator per example), so the same examples always train the same model.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

__all__ = ["variants"]

# Whole words people shorten in chats, per language; applied as a group, never one by one.
_ABBREVIATIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "es": (
        ("que", "q"),
        ("porque", "xq"),
        ("por que", "pq"),
        ("por favor", "porfa"),
        ("también", "tmb"),
        ("tambien", "tb"),
        ("para", "pa"),
        ("gracias", "grax"),
        ("donde", "dnd"),
        ("dónde", "dnd"),
        ("cuando", "cdo"),
        ("bien", "bn"),
        ("mensaje", "msj"),
        ("por", "x"),
    ),
    "pt": (
        ("você", "vc"),
        ("voce", "vc"),
        ("vocês", "vcs"),
        ("que", "q"),
        ("porque", "pq"),
        ("por que", "pq"),
        ("também", "tb"),
        ("obrigado", "obg"),
        ("obrigada", "obg"),
        ("beleza", "blz"),
        ("tudo", "td"),
        ("mensagem", "msg"),
        ("hoje", "hj"),
    ),
    "en": (
        ("you", "u"),
        ("your", "ur"),
        ("please", "pls"),
        ("thanks", "thx"),
        ("tomorrow", "tmrw"),
        ("are", "r"),
        ("want to", "wanna"),
        ("going to", "gonna"),
        ("i don't know", "idk"),
        ("because", "bc"),
    ),
}
_PUNCTUATION = re.compile(r"[¿?¡!.,;:]+")
_WORD = re.compile(r"[^\W\d_]{5,}")


def _abbreviated(text: str, language: str) -> str:
    result = text
    for long, short in _ABBREVIATIONS.get(language, ()):
        result = re.sub(rf"\b{re.escape(long)}\b", short, result, flags=re.IGNORECASE)
    return result


def _with_typo(text: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return text
    word = rng.choice(words)
    letters = list(word.group())
    at = rng.randrange(1, len(letters) - 1)
    kind = rng.randrange(3)
    if kind == 0:  # two neighbouring letters swapped
        letters[at], letters[at + 1] = letters[at + 1], letters[at]
    elif kind == 1:  # a letter dropped
        del letters[at]
    else:  # a letter doubled
        letters.insert(at, letters[at])
    return text[: word.start()] + "".join(letters) + text[word.end() :]


def variants(text: str, language: str, seed: int) -> Iterator[str]:
    """The example itself, then the distinct variants a customer could have typed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible typos, not secrets
    seen = {text}
    yield text
    for candidate in (
        _abbreviated(text, language),
        _with_typo(text, rng),
        _PUNCTUATION.sub(" ", text).strip(),
    ):
        if candidate and candidate not in seen:
            seen.add(candidate)
            yield candidate
