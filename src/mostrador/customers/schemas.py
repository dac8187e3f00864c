"""Input shapes for customers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from mostrador.customers.normalize import CHANNELS, IDENTIFIER_KINDS


class IdentifierInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str
    value: str = Field(min_length=1, max_length=320)
    source_channel: str = "import"
    verified: bool = False
    first_seen_at: AwareDatetime | None = None
    last_seen_at: AwareDatetime | None = None

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in IDENTIFIER_KINDS:
            raise ValueError(f"unknown identifier kind; use one of {', '.join(IDENTIFIER_KINDS)}")
        return value

    @field_validator("source_channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if value not in CHANNELS:
            raise ValueError(f"unknown channel; use one of {', '.join(CHANNELS)}")
        return value


class CustomerInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    display_name: str = Field(min_length=1, max_length=200)
    language: Literal["es", "pt", "en"] = "es"
    country: str | None = Field(default=None, min_length=2, max_length=2)
    home_location_id: str | None = None
    source_channel: str = "import"
    first_seen_at: datetime | None = None
    identifiers: list[IdentifierInput] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
