from __future__ import annotations

import pytest

from mostrador.core.db import normalize_database_url
from mostrador.core.errors import ConfigurationError
from mostrador.settings import load_settings


def test_defaults_are_the_embedded_setup(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "MOSTRADOR_DATABASE_URL", "MOSTRADOR_BUS_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir("/")
    settings = load_settings()
    assert settings.database_url == "sqlite:///var/mostrador.db"
    assert settings.bus_url == "memory://"
    assert settings.default_locale == "es"


def test_database_url_and_bus_url_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://shop@db.internal/mostrador")
    monkeypatch.setenv("MOSTRADOR_BUS_URL", "nats://127.0.0.1:4222")
    monkeypatch.setenv("MOSTRADOR_LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.database_url == "postgresql://shop@db.internal/mostrador"
    assert settings.bus_url == "nats://127.0.0.1:4222"
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("MOSTRADOR_BUS_URL", "kafka://x:9092", "unsupported bus 'kafka'"),
        ("MOSTRADOR_PORT", "ochenta", "port"),
        ("MOSTRADOR_DEFAULT_LOCALE", "fr", "default_locale"),
        ("MOSTRADOR_LOG_LEVEL", "LOUD", "log_level"),
    ],
)
def test_unknown_setting_values_give_one_clear_error(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, fragment: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError) as err:
        load_settings()
    assert err.value.code == "invalid_settings"
    assert fragment in err.value.message
    assert "\n" not in err.value.message


def test_database_urls_pick_our_drivers() -> None:
    assert normalize_database_url("postgres://a@h/db").drivername == "postgresql+psycopg"
    assert normalize_database_url("postgresql://a@h/db").drivername == "postgresql+psycopg"
    assert normalize_database_url("sqlite:///var/x.db").drivername == "sqlite"
    with pytest.raises(ConfigurationError) as err:
        normalize_database_url("mysql://root@h/db")
    assert err.value.code == "unsupported_database"
    with pytest.raises(ConfigurationError) as err:
        normalize_database_url("not a url")
    assert err.value.code == "bad_database_url"
