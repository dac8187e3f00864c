"""Order references in a customer message: ``10234``, ``#88412``, ``A-5567``, ``PED-2291``,
"mi pedido es el 3321". Pure.

A reference comes back the way it is looked up: digits without ``#`` or ``nº``; letters
upper-cased and kept with their hyphen. Numbers that are something else — prices, sizes,
quantities, instalments, dates, phone numbers, postal codes, years — are not references.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["order_reference"]

_ORDER_WORDS: Final = (
    r"pedido|pedidos|orden|ordenes|órden|compra|encomenda|order|orders|ord|ped|nro|nro\.|n°|nº|no\.|"
    r"num|num\.|número|numero|number|referencia|referência|ref|ref\.|seguimiento|tracking|guia|guía|"
    r"rastreio|código|codigo|code|compra"
)
# "pedido 3321", "pedido nro. 3321", "mi pedido es el 3321", "order no. 3321", "nº 99120"
_AFTER_WORD = re.compile(
    rf"\b(?:{_ORDER_WORDS})\b[\s:#.\-]*(?:(?:es|era|é|is|el|la|o|nro\.?|n[°º]\.?|no\.|number|"
    r"numero|número|de|do|da|del|mi|my|#)\s*[:#.]?\s*){0,4}"
    r"(?P<ref>[A-Za-z]{1,4}-?\d{3,10}|\d{3,10})\b",
    re.IGNORECASE,
)
_HASHED = re.compile(r"(?<![\w#])#\s?(?P<ref>[A-Za-z]{0,4}-?\d{3,10})\b")
_LETTERED = re.compile(r"(?<![\w-])(?P<ref>[A-Za-z]{1,4}-\d{3,10})\b")
_BARE = re.compile(r"(?<![\w$€£.,/:+-])(?P<ref>\d{4,10})(?![\w.,/:-]|\s?%)")
# Numbers with these words before or after are something else.
_NOT_BEFORE = re.compile(
    r"(?:\$|€|£|r\$|usd|ars|talle|talla|tamanho|size|cp|c\.p\.|cep|zip|código postal|"
    r"codigo postal|postal|tel|tel\.|cel|celular|whatsapp|telefone|telefono|teléfono|phone|"
    r"dni|cpf|rut|cuit|nif|nie|año|ano|year|desde|since|en el|in|em)\s*:?\s*$",
    re.IGNORECASE,
)
_NOT_AFTER = re.compile(
    r"^\s*(?:pesos|reais|reales|euros|dólares|dolares|dollars|usd|mil|lucas|cuotas|parcelas|"
    r"installments|x|veces|vezes|times|unidades|units|km|metros|cuadras|hs|horas|min|%)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"^(19|20)\d\d$")


def _clean(ref: str) -> str:
    return ref.replace(" ", "").lstrip("#").upper()


def _plausible_bare(text: str, start: int, end: int, value: str) -> bool:
    if _NOT_BEFORE.search(text[max(0, start - 18) : start]):
        return False
    if _NOT_AFTER.match(text[end : end + 14]):
        return False
    return not (_YEAR.match(value) and len(value) == 4)


def order_reference(text: str) -> str | None:
    """The first order reference in ``text``, or ``None``."""
    for pattern in (_LETTERED, _HASHED, _AFTER_WORD):
        for found in pattern.finditer(text):
            ref = found.group("ref")
            if (
                pattern is _AFTER_WORD
                and ref.isdigit()
                and not _plausible_bare(text, found.start("ref"), found.end("ref"), ref)
            ):
                continue
            return _clean(ref)
    for found in _BARE.finditer(text):
        value = found.group("ref")
        if len(value) >= 8:  # phone numbers and documents are longer than order numbers
            continue
        if _plausible_bare(text, found.start(), found.end(), value):
            return value
    return None
