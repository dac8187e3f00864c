"""How a customer message is folded before the models read it.

Case, accents and stretched letters ("holaaaa") carry no intent; the shape of a number does
(an order reference, a price, a size, a quantity), so numbers become one token per shape.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold", "strip_accents"]

_STRETCHED = re.compile(r"(\D)\1{2,}")
_MONEY = re.compile(
    r"(?:[$€£]|r\$|us\$|usd|ars|mxn|cop|clp|brl)\s?\d[\d.,]*|\d[\d.,]*\s?(?:pesos|reais|reales|euros|dolares|dollars|bucks|lucas|mil)\b"
)
_REFERENCE = re.compile(r"#?\b[a-z]{1,4}-?\d{3,}\b|#\d{3,}|\b\d{4,}\b")
_SMALL_NUMBER = re.compile(r"\b\d{1,3}\b")
_SPACES = re.compile(r"\s+")


def strip_accents(text: str) -> str:
    """``"Canción, ação"`` → ``"Cancion, acao"``; ñ becomes n (people type both)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, no accents, letters stretched at most twice, numbers by shape."""
    folded = strip_accents(text.lower())
    folded = _STRETCHED.sub(r"\1\1", folded)
    folded = _MONEY.sub(" _precio_ ", folded)
    folded = _REFERENCE.sub(" _ref_ ", folded)
    folded = _SMALL_NUMBER.sub(" _num_ ", folded)
    return _SPACES.sub(" ", folded).strip()
