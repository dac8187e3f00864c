"""The assistant's inputs at the edges (API, CLI)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, HttpUrl

from mostrador.assistant.examples import LANGUAGES

__all__ = ["AssistantSettingsInput", "KnowledgeInput"]

_CHANNELS = ("whatsapp", "instagram", "messenger", "telegram", "email", "webchat")
_METHODS = (
    "cash",
    "card",
    "debit_card",
    "transfer",
    "mercado_pago",
    "pix",
    "store_credit",
    "gift_card",
)


class AssistantSettingsInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    enabled: bool
    channels: list[Literal[_CHANNELS]] = Field(default_factory=list)  # type: ignore[valid-type]
    payment_methods: list[Literal[_METHODS]] = Field(default_factory=list)  # type: ignore[valid-type]
    instalments: str = Field(default="", max_length=500)
    llm_base_url: HttpUrl | None = None
    llm_model: str = Field(default="", max_length=200)
    llm_api_key: str = Field(default="", max_length=500)


class KnowledgeInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    language: Literal[LANGUAGES]  # type: ignore[valid-type]
    question: str = Field(min_length=3, max_length=500)
    answer: str = Field(min_length=1, max_length=4000)
