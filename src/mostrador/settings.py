"""Settings from environment variables and an optional ``.env`` file.

Read once, in ``bootstrap``; everything else receives the values it needs.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from mostrador.core.errors import ConfigurationError

Locale = Literal["es", "pt", "en"]


class Settings(BaseSettings):
    """Every knob Mostrador has. Env names are ``MOSTRADOR_<FIELD>`` unless noted."""

    model_config = SettingsConfigDict(
        env_prefix="MOSTRADOR_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,
    )

    database_url: str = Field(
        default="sqlite:///var/mostrador.db",
        validation_alias=AliasChoices("DATABASE_URL", "MOSTRADOR_DATABASE_URL"),
        description="SQLite file (default) or postgresql://user@host/db",
    )
    bus_url: str = Field(default="memory://", description="memory:// or nats://host:4222")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    default_locale: Locale = "es"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    secure_cookies: bool = Field(
        default=False, description="mark session cookies Secure (set when served over TLS)"
    )
    session_hours: int = Field(default=12, ge=1, le=24 * 30)
    sql_echo: bool = False
    webhook_allow_private: bool = Field(
        default=False,
        description="let rules call webhooks on private or loopback addresses (SSRF guard off)",
    )
    smtp_receiver: str = Field(
        default="",
        description="host:port where `serve` receives the shops' e-mail (empty: off)",
    )

    @field_validator("bus_url")
    @classmethod
    def _known_bus(cls, value: str) -> str:
        scheme = urlsplit(value).scheme
        if scheme not in ("memory", "nats", "tls"):
            raise ValueError(
                f"unsupported bus {scheme or value!r}; use memory:// or nats://HOST:4222"
            )
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with ``overrides`` on top; one clear error if invalid."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "settings"
            problems.append(f"{where}: {err['msg']}")
        raise ConfigurationError(
            "invalid settings: " + "; ".join(problems), code="invalid_settings"
        ) from None
