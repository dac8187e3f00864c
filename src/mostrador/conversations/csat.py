"""Reading a CSAT score (1–5) out of a customer's free-text reply.

Customers answer "Respondé del 1 al 5" with "5", "un 4", "cinco estrellas", "muy bien",
"⭐⭐⭐⭐" or "👍", in Spanish, Portuguese or English. We only record a score from a reply
we fully understand: every word must be a score, a scale, a unit or harmless filler, and
the signals must agree. Anything else ("5 pares de medias", "hola, ¿tienen stock?") is a
message for an agent, not a rating, so the answer is ``None``. Pure: no I/O.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

QUESTIONS = {
    "es": "¿Cómo calificarías la atención? Respondé del 1 al 5.",
    "pt": "Como você avalia o atendimento? Responda de 1 a 5.",
    "en": "How would you rate the service? Reply with a number from 1 to 5.",
}

NUMBER_WORDS = {
    # "un"/"um"/"a" are left out on purpose: they are articles in "un 4" / "dou um 5".
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "diez": 10,
    "dois": 2, "duas": 2, "quatro": 4, "dez": 10,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "ten": 10,
}  # fmt: skip
SCALE_WORDS = frozenset({"de", "sobre", "of", "em", "outof"})
UNIT_WORDS = frozenset(
    {
        "punto", "puntos", "ponto", "pontos", "point", "points", "pts",
        "estrella", "estrellas", "estrela", "estrelas", "star", "stars", "⭐", "★",
    }
)  # fmt: skip
FILLED_STARS = frozenset({"⭐", "★", "🌟"})
EMPTY_STARS = frozenset({"☆"})

SENTIMENT: dict[tuple[str, ...], int] = {
    # 5
    **dict.fromkeys(
        [
            ("muy", "bien"), ("muy", "bueno"), ("muy", "buena"), ("re", "bien"),
            ("super", "bien"), ("excelente",), ("genial",), ("barbaro",), ("barbara",),
            ("perfecto",), ("perfecta",), ("espectacular",), ("increible",), ("buenisimo",),
            ("buenisima",), ("impecable",), ("maravilloso",), ("muito", "bom"),
            ("muito", "boa"), ("muito", "bem"), ("otimo",), ("otima",), ("perfeito",),
            ("perfeita",), ("incrivel",), ("great",), ("excellent",), ("perfect",),
            ("amazing",), ("awesome",), ("fantastic",), ("very", "good"), ("really", "good"),
        ],
        5,
    ),
    # 4
    **dict.fromkeys(
        [("bien",), ("bueno",), ("buena",), ("bom",), ("boa",), ("bem",), ("good",), ("fine",)],
        4,
    ),
    # 3
    **dict.fromkeys(
        [
            ("regular",), ("mas", "o", "menos"), ("mais", "ou", "menos"), ("ok",), ("okay",),
            ("okey",), ("normal",), ("so", "so"), ("meh",), ("average",),
        ],
        3,
    ),
    # 2
    **dict.fromkeys(
        [("mal",), ("malo",), ("mala",), ("ruim",), ("bad",), ("poor",)],
        2,
    ),
    # 1
    **dict.fromkeys(
        [
            ("muy", "mal"), ("muy", "malo"), ("muy", "mala"), ("malisimo",), ("malisima",),
            ("pesimo",), ("pesima",), ("horrible",), ("muito", "ruim"), ("muito", "mal"),
            ("pessimo",), ("pessima",), ("horrivel",), ("terrivel",), ("very", "bad"),
            ("really", "bad"), ("terrible",), ("awful",),
        ],
        1,
    ),
}  # fmt: skip
LONGEST_PHRASE = max(len(phrase) for phrase in SENTIMENT)

# "nada" negates hardest: "nada bien" is worse than "no muy bien".
NEGATORS = {"no": 2, "nao": 2, "not": 2, "nada": 1}
# Words allowed between a negator and the phrase it negates ("no estuvo muy bien").
NEGATION_GAP = frozenset(
    {"esta", "estuvo", "fue", "era", "tan", "foi", "estava", "tao", "was", "is", "so", "that",
     "too", "very", "its"}
)  # fmt: skip

EMOJI = {
    **dict.fromkeys("😀😃😄😁😊😍🥰🤩😎❤💯👏🙌🔥", 5),
    **dict.fromkeys("🙂👍👌", 4),
    **dict.fromkeys("😐😑🤷", 3),
    **dict.fromkeys("🙁☹😕😞😒", 2),
    **dict.fromkeys("😡😠🤬👎💩", 1),
}

# Words that carry no score and no other meaning in a reply to the CSAT question.
FILLER = frozenset(
    {
        # es
        "le", "te", "les", "doy", "damos", "pongo", "un", "una", "mi", "nota", "calificacion",
        "puntaje", "puntuacion", "es", "de", "la", "el", "lo", "fue", "estuvo", "esta", "todo",
        "atencion", "servicio", "gracias", "muchas", "mil", "si", "yo", "diria", "creo", "que",
        "y", "muy", "re", "super", "hola", "buenas",
        # pt
        "eu", "dou", "um", "uma", "o", "a", "foi", "tudo", "atendimento", "servico",
        "obrigado", "obrigada", "valeu", "e", "muito", "sim",
        # en
        "i", "id", "would", "say", "give", "it", "an", "the", "was", "is", "its", "rating",
        "score", "my", "thanks", "thank", "you", "service", "everything", "overall", "and",
        "very", "really", "yes",
    }
)  # fmt: skip

_TOKEN = re.compile(r"\d+\s*/\s*\d+|\d+|[a-z]+|[^\sa-z\d]")
# Punctuation, and the gender signs left over from emoji such as "🤷‍♀️".
_IGNORED = frozenset("!¡?¿.,;:-—()\"'…~*♀♂")


@dataclass(frozen=True)
class _Signal:
    score: int
    explicit: bool  # a number or stars, rather than a feeling or an emoji


class _Unreadable(Exception):
    """The reply holds something that is not a rating; internal to the parser."""


def csat_question(language: str) -> str:
    """The question in the customer's language ("pt-BR" → "pt"); Spanish when unknown."""
    return QUESTIONS.get(language.split("-")[0].split("_")[0].lower(), QUESTIONS["es"])


def parse_csat_reply(text: str) -> int | None:
    """The 1–5 score in ``text``, or ``None`` when it is not clearly a rating."""
    tokens = _tokens(text)
    used = [False] * len(tokens)
    try:
        signals = [
            *_sentiment_signals(tokens, used),
            *_number_signals(tokens, used),
            *_star_signals(tokens, used),
            *_emoji_signals(tokens, used),
        ]
    except _Unreadable:
        return None
    leftovers = [token for token, seen in zip(tokens, used, strict=True) if not seen]
    if any(token not in FILLER for token in leftovers):
        return None
    return _agree(signals)


def _tokens(text: str) -> list[str]:
    """Lower-case, accent-free words, numbers, fractions and symbols; punctuation dropped."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("’", "").replace("'", ""))
    kept = "".join(c for c in decomposed if unicodedata.category(c) not in {"Mn", "Sk", "Cf"})
    tokens = [t.replace(" ", "") for t in _TOKEN.findall(kept) if t not in _IGNORED]
    return _join_out_of(tokens)


def _join_out_of(tokens: list[str]) -> list[str]:
    """ "out of" is one scale word, like "de" or "sobre"."""
    joined: list[str] = []
    for word in tokens:
        if word == "of" and joined and joined[-1] == "out":
            joined[-1] = "outof"
        else:
            joined.append(word)
    return joined


def _sentiment_signals(tokens: Sequence[str], used: list[bool]) -> list[_Signal]:
    """Feeling phrases, longest first ("muy bien" before "bien"), with their negation."""
    signals: list[_Signal] = []
    i = 0
    while i < len(tokens):
        phrase_len, score = _phrase_at(tokens, i)
        if not phrase_len:
            i += 1
            continue
        score = _negated(tokens, used, i, score)
        used[i : i + phrase_len] = [True] * phrase_len
        signals.append(_Signal(score, explicit=False))
        i += phrase_len
    return signals


def _phrase_at(tokens: Sequence[str], i: int) -> tuple[int, int]:
    """(length, score) of the longest feeling phrase starting at ``i``; (0, 0) if none."""
    for length in range(min(LONGEST_PHRASE, len(tokens) - i), 0, -1):
        score = SENTIMENT.get(tuple(tokens[i : i + length]))
        if score is not None:
            return length, score
    return 0, 0


def _negated(tokens: Sequence[str], used: list[bool], i: int, score: int) -> int:
    """Apply a preceding "no"/"nada"/"not": a negated praise is poor, a negated complaint fair."""
    j, strength = i - 1, 0
    while j >= 0 and not used[j] and (tokens[j] in NEGATION_GAP or tokens[j] in NEGATORS):
        strength = max(strength, 3 - NEGATORS.get(tokens[j], 3))
        j -= 1
    if not strength:
        return score
    used[j + 1 : i] = [True] * (i - j - 1)
    if score == 3:
        raise _Unreadable("a negated 'regular' says nothing")
    if score < 3:
        return 3
    return 3 - strength  # "no muy bien" → 2, "nada bien" → 1


def _number_signals(tokens: Sequence[str], used: list[bool]) -> list[_Signal]:
    """Numbers with their optional scale ("de 5", "/10") and unit ("puntos", "⭐")."""
    signals: list[_Signal] = []
    for i, token in enumerate(tokens):
        if used[i] or not _is_number(token):
            continue
        value, scale, consumed = _read_number(tokens, i)
        used[i : i + consumed] = [True] * consumed
        signals.append(_Signal(_on_five(value, scale), explicit=True))
    return signals


def _is_number(token: str) -> bool:
    return token[0].isdigit() or token in NUMBER_WORDS


def _number_value(token: str) -> int | None:
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


def _read_number(tokens: Sequence[str], i: int) -> tuple[int, int | None, int]:
    """(value, scale, tokens consumed) for the number starting at ``i``."""
    if "/" in tokens[i]:
        numerator, denominator = tokens[i].split("/")
        value, scale, consumed = int(numerator), int(denominator), 1
    else:
        value, scale, consumed = _number_value(tokens[i]) or 0, None, 1
        rest = tokens[i + 1 : i + 3]
        if len(rest) == 2 and rest[0] in SCALE_WORDS and _number_value(rest[1]) is not None:
            scale, consumed = _number_value(rest[1]), 3
    if i + consumed < len(tokens) and tokens[i + consumed] in UNIT_WORDS:
        consumed += 1
    return value, scale, consumed


def _on_five(value: int, scale: int | None) -> int:
    """A value on a 1–5 scale; "x/10" is halved rounding up so 10/10 → 5 and 1/10 → 1."""
    if scale == 10 and 1 <= value <= 10:
        return math.ceil(value / 2)
    if scale in (None, 5) and 1 <= value <= 5:
        return value
    raise _Unreadable(f"{value} on {scale} is not a rating")


def _star_signals(tokens: Sequence[str], used: list[bool]) -> list[_Signal]:
    """ "⭐⭐⭐⭐" or "★★★☆☆": the filled stars are the score."""
    filled = empty = 0
    for i, token in enumerate(tokens):
        if not used[i] and (token in FILLED_STARS or token in EMPTY_STARS):
            used[i] = True
            filled += token in FILLED_STARS
            empty += token in EMPTY_STARS
    if not filled and not empty:
        return []
    if not 1 <= filled <= 5 or filled + empty > 5:
        raise _Unreadable("stars out of range")
    return [_Signal(filled, explicit=True)]


def _emoji_signals(tokens: Sequence[str], used: list[bool]) -> list[_Signal]:
    signals: list[_Signal] = []
    for i, token in enumerate(tokens):
        if not used[i] and token in EMOJI:
            used[i] = True
            signals.append(_Signal(EMOJI[token], explicit=False))
    return signals


def _agree(signals: Sequence[_Signal]) -> int | None:
    """One score when the signals agree; a number may refine a feeling by one point."""
    explicit = {s.score for s in signals if s.explicit}
    implicit = {s.score for s in signals if not s.explicit}
    if len(explicit) > 1 or len(implicit) > 1:
        return None
    if explicit:
        (score,) = explicit
        if any(abs(score - other) > 1 for other in implicit):
            return None  # "1, excelente": the scale was probably read backwards
        return score
    return next(iter(implicit), None)
