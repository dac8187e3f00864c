"""Input shapes for customers."""

from __future__ import annotations

from datetime import date, datetime
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


class ContactInput(BaseModel):
    """Someone showing up on a channel (or in an import) with what they are known by.

    Resolution decides whether it is a known customer, a new one, or a possible match.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(default="", max_length=200)
    identifiers: list[IdentifierInput] = Field(default_factory=list, max_length=50)
    source_channel: str = "import"
    language: Literal["es", "pt", "en"] | None = None
    country: str | None = Field(default=None, min_length=2, max_length=2)
    city: str = Field(default="", max_length=120)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=20)
    birth_date: date | None = None

    @field_validator("source_channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if value not in CHANNELS:
            raise ValueError(f"unknown channel; use one of {', '.join(CHANNELS)}")
        return value

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value


class CustomerPatch(BaseModel):
    """Profile fields a person may edit; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    display_name: str | None = Field(default=None, min_length=1, max_length=200)
    language: Literal["es", "pt", "en"] | None = None
    preferred_channel: str | None = None
    home_location_id: str | None = None
    tags: list[str] | None = Field(default=None, max_length=50)
    attributes: dict[str, Any] | None = None
    city: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=200)
    postcode: str | None = Field(default=None, max_length=20)
    birth_date: date | None = None

    @field_validator("preferred_channel")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value is not None and value not in CHANNELS:
            raise ValueError(f"unknown channel; use one of {', '.join(CHANNELS)}")
        return value


class ConsentInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    purpose: str
    channel: str = "all"
    granted: bool
    source: str = Field(min_length=1, max_length=40)
    evidence: str = Field(default="", max_length=2000)
