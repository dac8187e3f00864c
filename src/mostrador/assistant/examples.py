"""The team's labelled example messages, shipped inside the package (``examples/<lang>/``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from typing import Final, Literal

__all__ = ["INTENTS", "LANGUAGES", "Example", "Intent", "Language", "examples", "fingerprint"]

Language = Literal["es", "pt", "en"]
Intent = Literal[
    "order_status",
    "stock_check",
    "store_info",
    "return_request",
    "promotion_info",
    "payment_info",
    "complaint",
    "human_agent",
    "greeting",
    "thanks",
    "other",
]
LANGUAGES: Final[tuple[Language, ...]] = ("es", "pt", "en")
INTENTS: Final[tuple[Intent, ...]] = (
    "order_status",
    "stock_check",
    "store_info",
    "return_request",
    "promotion_info",
    "payment_info",
    "complaint",
    "human_agent",
    "greeting",
    "thanks",
    "other",
)


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    intent: Intent
    language: Language


def _lines(language: Language, intent: Intent) -> list[str]:
    folder = resources.files("mostrador.assistant") / "examples" / language
    source = folder / f"{intent}.txt"
    if not source.is_file():
        return []
    return [
        line.strip() for line in source.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def examples() -> list[Example]:
    """Every example, in a stable order (language, intent, line)."""
    return [
        Example(text, intent, language)
        for language in LANGUAGES
        for intent in INTENTS
        for text in _lines(language, intent)
    ]


def fingerprint() -> str:
    """Changes whenever an example does: names the trained model that belongs to them."""
    digest = hashlib.sha256()
    for example in examples():
        digest.update(f"{example.language}\t{example.intent}\t{example.text}\n".encode())
    return digest.hexdigest()[:16]
