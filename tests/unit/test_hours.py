from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mostrador.core.errors import InvalidInput
from mostrador.core.workspaces import hours

AR = "America/Argentina/Buenos_Aires"


def schedule(**overrides: object) -> hours.Schedule:
    weekly, holiday = hours.parse_weekly_hours(
        {
            "mon": ["10:00-13:00", "16:00-20:00"],
            "tue": ["10:00-13:00", "16:00-20:00"],
            "wed": ["10:00-20:00"],
            "thu": ["10:00-20:00"],
            "fri": ["10:00-20:00"],
            "sat": ["10:00-14:00"],
            "holidays": ["11:00-15:00"],
        }
    )
    data: dict[str, object] = {
        "time_zone": AR,
        "weekly": weekly,
        "holiday_hours": holiday,
        "country": "AR",
    } | overrides
    return hours.Schedule(**data)  # type: ignore[arg-type]


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_open_and_closed_follow_local_time_and_split_shifts() -> None:
    s = schedule()
    assert hours.is_open(s, at("2026-11-24T12:59:00-03:00")) is True  # Tuesday morning
    assert hours.is_open(s, at("2026-11-24T13:00:00-03:00")) is False  # siesta
    assert hours.is_open(s, at("2026-11-24T19:00:00Z")) is True  # 16:00 local
    assert hours.is_open(s, at("2026-11-29T12:00:00-03:00")) is False  # Sunday


def test_national_holiday_uses_holiday_hours() -> None:
    s = schedule()
    day = hours.hours_on(s, date(2026, 12, 8))  # Inmaculada Concepción de María
    assert day.reason.startswith("holiday: ")
    assert hours.format_spans(day.spans) == ["11:00-15:00"]
    assert hours.is_open(s, at("2026-12-08T10:30:00-03:00")) is False
    assert hours.is_open(s, at("2026-12-08T11:30:00-03:00")) is True


def test_exceptions_win_over_holidays_and_weekdays() -> None:
    s = schedule(
        exceptions=hours.parse_exceptions(
            [
                {"date": "2026-12-24", "hours": ["09:00-14:00"], "reason": "Nochebuena"},
                {"date": "2026-12-25", "hours": [], "reason": "Navidad"},
            ]
        )
    )
    assert hours.hours_on(s, date(2026, 12, 24)).reason == "Nochebuena"
    assert hours.is_open(s, at("2026-12-24T09:30:00-03:00")) is True
    assert hours.hours_on(s, date(2026, 12, 25)).closed is True


def test_next_opening_skips_sunday_and_returns_utc() -> None:
    s = schedule()
    assert hours.next_opening(s, at("2026-11-28T15:00:00-03:00")) == datetime(
        2026, 11, 30, 13, 0, tzinfo=UTC
    )
    assert hours.next_opening(s, at("2026-11-24T12:00:00-03:00")) == at("2026-11-24T12:00:00-03:00")


@pytest.mark.parametrize(
    ("country", "day"),
    [
        ("AR", date(2026, 5, 25)),
        ("BR", date(2026, 9, 7)),
        ("CL", date(2026, 9, 18)),
        ("CO", date(2026, 7, 20)),
        ("MX", date(2026, 9, 16)),
        ("PE", date(2026, 7, 28)),
        ("UY", date(2026, 7, 18)),
        ("ES", date(2026, 10, 12)),
    ],
)
def test_national_days_of_every_supported_country(country: str, day: date) -> None:
    assert hours.holiday_name(country, None, day) is not None
    assert hours.holiday_name(country, None, date(2026, 12, 25)) is not None
    assert hours.holiday_name(country, None, date(2026, 3, 11)) is None


def test_holiday_names_are_in_the_country_language() -> None:
    assert hours.holiday_name("AR", None, date(2026, 12, 25)) == "Navidad"
    assert hours.holiday_name("BR", None, date(2026, 12, 25)) == "Natal"
    assert hours.holiday_name("UY", None, date(2026, 12, 25)) == "Día de la Familia"


def test_unsupported_country_and_bad_hours_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        hours.holiday_name("US", None, date(2026, 7, 4))
    assert err.value.code == "unsupported_country"
    for bad in (
        ["10:00-09:00"],
        ["25:00-26:00"],
        ["10-12"],
        ["09:00-12:00", "11:00-13:00"],
        "09:00-12:00",
    ):
        with pytest.raises(InvalidInput) as err:
            hours.parse_spans(bad)  # type: ignore[arg-type]
        assert err.value.code == "invalid_hours"
    with pytest.raises(InvalidInput) as err:
        hours.parse_weekly_hours({"lunes": ["10:00-12:00"]})
    assert err.value.code == "invalid_hours"
    with pytest.raises(InvalidInput) as err:
        hours.zone("America/Gotham")
    assert err.value.code == "invalid_time_zone"
