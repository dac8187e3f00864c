"""A rule as the API and CLI take it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["JourneyInput", "RuleInput"]


class RuleInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    trigger: str = Field(
        min_length=3, max_length=120, description="an event type, e.g. commerce.OrderPlaced"
    )
    conditions: dict[str, Any] = Field(default_factory=dict)
    actions: list[dict[str, Any]] = Field(min_length=1, max_length=10)
    active: bool = True
    position: int = Field(default=0, ge=0, le=10_000)


class JourneyInput(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    trigger: str = Field(min_length=3, max_length=120)
    conditions: dict[str, Any] = Field(default_factory=dict)
    steps: list[dict[str, Any]] = Field(min_length=1, max_length=20)
    exit_on: list[str] = Field(default_factory=list, max_length=10)
    purpose: Literal["service", "marketing"] = "service"
    quiet_hours: dict[str, Any] = Field(default_factory=dict)
    active: bool = True
