"""What a customer message names: order, product, store, e-mail, phone, date, size. Pure.

Products and stores are matched fuzzily (rapidfuzz) against the names the caller passes in —
the workspace's catalog and stores — so "zapas negras" or "palermo" find what the shop calls
them; without a catalog, the common garment and homeware words of the three languages stand in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final

import numpy as np
import phonenumbers
from rapidfuzz import fuzz, process

from mostrador.assistant.references import order_reference
from mostrador.assistant.text import strip_accents

__all__ = ["GENERIC_PRODUCTS", "Entities", "Vocabulary", "extract"]

GENERIC_PRODUCTS: Final[tuple[str, ...]] = (
    # es
    "remera", "camiseta", "playera", "polera", "polo", "camisa", "blusa", "jean", "jeans",
    "vaquero", "pantalón", "short", "pollera", "falda", "vestido", "campera",
    "chaqueta", "chamarra", "abrigo", "buzo", "sudadera", "sweater", "suéter",
    "zapatillas", "tenis", "championes", "zapatos", "botas", "sandalias", "ojotas", "medias",
    "calcetines", "gorra", "bufanda", "mochila", "cartera", "sábanas", "toalla",
    "toallas", "almohadón", "cojín", "mantel", "taza", "tazas", "plato",
    "acolchado", "frazada", "cortina", "vaso", "copas",
    # pt
    "calça", "tênis", "jaqueta", "moletom", "saia", "blusa", "bermuda",
    "lençol", "toalha", "almofada", "caneca", "meias", "bolsa", "sapato",
    # en
    "t-shirt", "tee", "shirt", "jacket", "hoodie", "sweatshirt", "dress", "skirt", "trousers",
    "pants", "sneakers", "trainers", "shoes", "boots", "socks", "cap", "sheets", "towel",
    "towels", "cushion", "pillow", "mug", "tablecloth", "blanket", "backpack",
)  # fmt: skip

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SIZE_AFTER_WORD = re.compile(
    r"\b(?:talle|talla|tamanho|tam|size|numero|número|n[°º]|calzo|calço)\s*:?\s*"
    r"(?P<size>xxxl|xxl|xl|xs|s|m|l|p|g|gg|pp|u|\d{2}(?:[.,]5)?)\b",
    re.IGNORECASE,
)
_SIZE_ALONE = re.compile(r"(?<![\w-])(?P<size>XXXL|XXL|XL|XS)(?![\w-])", re.IGNORECASE)
_SIZE_SYSTEM = re.compile(r"\b(?P<size>(?:US|UK|EU)\s?\d{1,2}(?:[.,]5)?)\b", re.IGNORECASE)
_DMY = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})(?:/(?P<y>\d{2,4}))?\b")
_MONTHS: Final = {
    "enero": 1, "janeiro": 1, "january": 1, "febrero": 2, "fevereiro": 2, "february": 2,
    "marzo": 3, "março": 3, "marco": 3, "march": 3, "abril": 4, "april": 4, "mayo": 5,
    "maio": 5, "may": 5, "junio": 6, "junho": 6, "june": 6, "julio": 7, "julho": 7, "july": 7,
    "agosto": 8, "august": 8, "septiembre": 9, "setiembre": 9, "setembro": 9, "september": 9,
    "octubre": 10, "outubro": 10, "october": 10, "noviembre": 11, "novembro": 11,
    "november": 11, "diciembre": 12, "dezembro": 12, "december": 12,
}  # fmt: skip
_DAY_OF_MONTH = re.compile(
    r"\b(?P<d>\d{1,2})\s+(?:de\s+)?(?P<month>" + "|".join(_MONTHS) + r")\b", re.IGNORECASE
)
_RELATIVE: Final = {
    "hoy": 0, "hoje": 0, "today": 0, "mañana": 1, "manana": 1, "amanhã": 1, "amanha": 1,
    "tomorrow": 1, "pasado mañana": 2, "pasado manana": 2, "depois de amanhã": 2,
    "ayer": -1, "ontem": -1, "yesterday": -1, "anteayer": -2, "antier": -2,
}  # fmt: skip
_RELATIVE_WORD = re.compile(
    r"\b(?:" + "|".join(sorted(map(re.escape, _RELATIVE), key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_WEEKDAYS: Final = {
    "lunes": 0, "segunda": 0, "monday": 0, "martes": 1, "terça": 1, "terca": 1,
    "tuesday": 1, "miercoles": 2, "miércoles": 2, "quarta": 2, "wednesday": 2, "jueves": 3,
    "quinta": 3, "thursday": 3, "viernes": 4, "sexta": 4, "friday": 4, "sabado": 5,
    "sábado": 5, "saturday": 5, "domingo": 6, "sunday": 6,
}  # fmt: skip
_WEEKDAY = re.compile(r"\b(?P<day>" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_WORDS = re.compile(r"[\w'-]+")
_SHORT_NAME: Final = 5
_PRODUCT_SCORE: Final = 86
_STORE_SCORE: Final = 85


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The names to look for: the shop's products (and variants) and stores."""

    products: Sequence[str] = GENERIC_PRODUCTS
    stores: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class Entities:
    order_ref: str | None = None
    product: str | None = None
    store: str | None = None
    email: str | None = None
    phone: str | None = None
    date: str | None = None
    size: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "order_ref": self.order_ref,
            "product": self.product,
            "store": self.store,
            "email": self.email,
            "phone": self.phone,
            "date": self.date,
            "size": self.size,
        }


def _phone(text: str, region: str) -> str | None:
    for match in phonenumbers.PhoneNumberMatcher(
        text, region, leniency=phonenumbers.Leniency.VALID
    ):
        return phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
    return None


def _size(text: str) -> str | None:
    for pattern in (_SIZE_SYSTEM, _SIZE_AFTER_WORD, _SIZE_ALONE):
        found = pattern.search(text)
        if found:
            return found.group("size").upper().replace(" ", " ").replace(",", ".")
    return None


def _date(text: str, today: date) -> str | None:
    found = _DMY.search(text)
    if found:
        day, month = int(found.group("d")), int(found.group("m"))
        year_text = found.group("y")
        year = (
            today.year if not year_text else int(year_text) + (2000 if len(year_text) == 2 else 0)
        )
        try:
            return date(year, month, day).isoformat()
        except ValueError:
            return None
    found = _DAY_OF_MONTH.search(text)
    if found:
        try:
            return date(
                today.year, _MONTHS[found.group("month").lower()], int(found.group("d"))
            ).isoformat()
        except ValueError:
            return None
    found = _RELATIVE_WORD.search(text)
    if found:
        return (today + timedelta(days=_RELATIVE[found.group().lower()])).isoformat()
    found = _WEEKDAY.search(text)
    if found:
        ahead = (_WEEKDAYS[found.group("day").lower()] - today.weekday()) % 7
        return (today + timedelta(days=ahead)).isoformat()
    return None


def _distinctive(choices: list[str]) -> list[str]:
    """Names without the words every one of them shares ("Hornero" in "Hornero Palermo")."""
    if len(choices) < 2:
        return choices
    common = set.intersection(*(set(choice.split()) for choice in choices))
    if not common:
        return choices
    return [" ".join(w for w in c.split() if w not in common) or c for c in choices]


@lru_cache(maxsize=64)
def _prepared(names: tuple[str, ...]) -> tuple[list[str], Any, list[int]]:
    """Folded names, which are short, and which have several words (computed once per list)."""
    choices = _distinctive([strip_accents(name.lower()) for name in names])
    short = np.array([len(choice) < _SHORT_NAME for choice in choices])
    several = [at for at, choice in enumerate(choices) if " " in choice]
    return choices, short, several


def _best(text: str, names: Sequence[str], cutoff: int) -> str | None:
    """The one name the message means: best over every 1-3 word window; a tie means none."""
    if not names:
        return None
    words = _WORDS.findall(strip_accents(text.lower()))
    windows = [
        " ".join(words[at : at + size]) for size in (1, 2, 3) for at in range(len(words) - size + 1)
    ]
    if not windows:
        return None
    choices, short, several = _prepared(tuple(names))
    whole = process.cdist(windows, choices, scorer=fuzz.ratio, dtype=np.int32)
    # A short name ("tee", "cap") must be typed exactly; a longer one may carry a typo.
    scores = np.where(short, np.where(whole == 100, 100, 0), whole)
    if several:  # "rompeviento" finds "Campera Rompeviento": words of a longer name
        subset = process.cdist(
            windows, [choices[at] for at in several], scorer=fuzz.token_set_ratio, dtype=np.int32
        )
        scores[:, several] = np.maximum(scores[:, several], subset)
    per_name = scores.max(axis=0)
    top = int(per_name.max())
    if top < cutoff:
        return None
    winners = np.flatnonzero(per_name == top)
    if len(winners) > 1 and len({choices[i] for i in winners}) > 1:
        shortest = min(winners, key=lambda i: len(choices[i]))
        if sum(1 for i in winners if len(choices[i]) == len(choices[shortest])) > 1:
            return None
        return names[int(shortest)]
    return names[int(winners[0])]


def extract(
    text: str, vocabulary: Vocabulary = Vocabulary(), *, today: date, region: str = "AR"
) -> Entities:
    """Every entity ``text`` names; ``today`` anchors "mañana" and weekdays (the shop's date)."""
    email_found = _EMAIL.search(text)
    without_email = _EMAIL.sub(" ", text)
    phone = _phone(without_email, region)
    return Entities(
        order_ref=order_reference(without_email),
        product=_best(text, vocabulary.products, _PRODUCT_SCORE),
        store=_best(text, vocabulary.stores, _STORE_SCORE),
        email=email_found.group().lower() if email_found else None,
        phone=phone,
        date=_date(without_email, today),
        size=_size(without_email),
    )
