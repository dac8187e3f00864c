"""Input shapes for workspaces, people, teams and locations (API, CLI and seed files)."""

from __future__ import annotations

import re
from typing import Any, Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import BaseModel, ConfigDict, Field, field_validator

SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WorkspaceInput(_Input):
    slug: str = Field(min_length=1, max_length=63)
    name: str = Field(min_length=1, max_length=200)
    country: str = Field(min_length=2, max_length=2)
    currency: str = Field(min_length=3, max_length=3)
    time_zone: str
    language: Literal["es", "pt", "en"] = "es"

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not SLUG.match(value):
            raise ValueError("use lowercase letters, digits and dashes")
        return value

    @field_validator("country", "currency")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


def sign_in_email(value: str) -> str:
    """A syntactically valid address, lower-cased. Reserved test domains (``.test``) are
    accepted: a sign-in e-mail is an identifier, not a mailbox Mostrador must reach."""
    try:
        checked = validate_email(value, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None
    return checked.normalized.lower()


class UserInput(_Input):
    email: str = Field(max_length=254)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=8, max_length=256)
    role: str
    language: Literal["es", "pt", "en"] | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return sign_in_email(value)


class TeamInput(_Input):
    name: str = Field(min_length=1, max_length=120)
    member_ids: list[str] = Field(default_factory=list)


class LocationInput(_Input):
    code: str = Field(min_length=1, max_length=20, pattern=r"^[A-Za-z0-9_-]+$")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["store", "warehouse"]
    street: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    country: str = Field(min_length=2, max_length=2)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    time_zone: str
    holiday_subdivision: str | None = None
    opening_hours: dict[str, Any] = Field(default_factory=dict)
    closures: list[dict[str, Any]] = Field(default_factory=list)

    @field_validator("country")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()


class LocationPatch(_Input):
    """Fields to change; absent fields stay as they are."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    time_zone: str | None = None
    holiday_subdivision: str | None = None
    opening_hours: dict[str, Any] | None = None
    closures: list[dict[str, Any]] | None = None


class WorkspaceOut(BaseModel):
    id: str
    slug: str
    name: str
    country: str
    currency: str
    time_zone: str
    language: str


class LocationOut(BaseModel):
    id: str
    code: str
    name: str
    type: str  # store | warehouse
    kind: str  # the same as ``type`` (kept for clients of the first API version)
    street: str
    city: str
    region: str
    postal_code: str
    country: str
    latitude: float | None
    longitude: float | None
    time_zone: str
    holiday_subdivision: str | None
    opening_hours: dict[str, Any]
    closures: list[dict[str, Any]]


class DayHoursOut(BaseModel):
    date: str
    hours: list[str]
    closed: bool
    reason: str


class LocationHoursOut(BaseModel):
    location_id: str
    at: str
    open_now: bool
    next_opening: str | None
    days: list[DayHoursOut]


class TeamOut(BaseModel):
    id: str
    name: str
    member_ids: list[str]
