"""Survey scales — CSAT 1-5, NPS 0-10, CES 1-7 — their questions, how a free-text reply is
read ("9", "un 9, muy rápido", "10/10", "nueve", "⭐⭐⭐⭐"), and who is a detractor. Pure."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final, Literal

from mostrador.conversations.csat import csat_question, parse_csat_reply

__all__ = ["KINDS", "SCALES", "Scored", "is_detractor", "parse_reply", "question"]

Kind = Literal["csat", "nps", "ces"]
KINDS: Final[tuple[Kind, ...]] = ("csat", "nps", "ces")
SCALES: Final[dict[Kind, tuple[int, int]]] = {"csat": (1, 5), "nps": (0, 10), "ces": (1, 7)}
# The answer that asks a person to close the loop: unhappy, would not recommend, hard work.
_DETRACTOR_AT_MOST: Final[dict[Kind, int]] = {"csat": 2, "nps": 6, "ces": 3}
_QUESTIONS: Final[dict[Kind, dict[str, str]]] = {
    "nps": {
        "es": "Del 0 al 10, ¿qué tan probable es que nos recomiende a un amigo? Puede "
        "contarnos por qué.",
        "pt": "De 0 a 10, qual a probabilidade de você nos recomendar a um amigo? Conte o "
        "porquê, se quiser.",
        "en": "From 0 to 10, how likely are you to recommend us to a friend? Tell us why if "
        "you like.",
    },
    "ces": {
        "es": "Del 1 al 7, ¿qué tan fácil fue resolver lo que necesitaba? (7 = muy fácil)",
        "pt": "De 1 a 7, quão fácil foi resolver o que você precisava? (7 = muito fácil)",
        "en": "From 1 to 7, how easy was it to get what you needed? (7 = very easy)",
    },
}
_WORDS: Final = {
    "cero": 0, "zero": 0, "uno": 1, "one": 1, "dos": 2, "dois": 2, "two": 2, "tres": 3,
    "three": 3, "cuatro": 4, "quatro": 4, "four": 4, "cinco": 5, "five": 5, "seis": 6,
    "six": 6, "siete": 7, "sete": 7, "seven": 7, "ocho": 8, "oito": 8, "eight": 8,
    "nueve": 9, "nove": 9, "nine": 9, "diez": 10, "dez": 10, "ten": 10,
}  # fmt: skip
# "le doy un 9", "nota 8", "I'd give it a 10", "dou 7" — then the score, then maybe "/10".
_LEADING = re.compile(
    r"^\s*(?:(?:le|les|te)\s+)?(?:doy|pongo|dou|daria|daria|i'?d\s+give(?:\s+(?:it|you))?|"
    r"i\s+give(?:\s+(?:it|you))?|give)?\s*(?:(?:un|una|um|uma|a|an|nota|puntaje|score)\s+)?"
    r"(?P<score>\d{1,2}|" + "|".join(_WORDS) + r")\b\s*(?:(?:/|de|of|sobre|em)\s*(?:10|7|5)\b)?"
    r"[\s,.;:!\-—)]*(?P<comment>.*)$",
    re.IGNORECASE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Scored:
    score: int
    comment: str | None


def question(kind: Kind, language: str) -> str:
    if kind == "csat":
        return csat_question(language)
    short = language.split("-")[0].split("_")[0].lower()
    return _QUESTIONS[kind].get(short, _QUESTIONS[kind]["es"])


def _folded(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def parse_reply(kind: Kind, text: str) -> Scored | None:
    """The score (and any comment after it) of a reply, or None if it is not an answer."""
    if kind == "csat":
        whole = parse_csat_reply(text)
        if whole is not None:
            return Scored(whole, None)
    stripped = text.strip()
    folded = _folded(stripped)
    found = _LEADING.match(folded)
    if found is None or stripped.endswith("?"):  # a question is for a person, not a score
        return None
    raw = found.group("score").lower()
    score = int(raw) if raw.isdigit() else _WORDS[raw]
    low, high = SCALES[kind]
    if not low <= score <= high:
        return None
    source = stripped if len(folded) == len(stripped) else folded
    comment = source[found.start("comment") :].strip() or None
    return Scored(score, comment)


def is_detractor(kind: Kind, score: int) -> bool:
    return score <= _DETRACTOR_AT_MOST[kind]
