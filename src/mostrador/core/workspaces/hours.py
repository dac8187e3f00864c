"""Opening hours, national holidays and one-off closures: when a location is open.

Pure: no database. Weekly hours are ``{"mon": ["09:00-13:00", "16:00-20:00"], ...}``; the
optional ``"holidays"`` key gives the hours on national holidays (absent or empty: closed).
Exceptions (``{"date": "2026-12-24", "hours": ["09:00-14:00"], "reason": "..."}``, empty
hours meaning closed) win over both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

from mostrador.core.errors import InvalidInput

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HOLIDAY_COUNTRIES = ("AR", "BR", "CL", "CO", "MX", "PE", "UY", "ES")
# Holiday names in the country's own language, as staff and customers say them.
HOLIDAY_LANGUAGE = {"BR": "pt_BR"}

Span = tuple[time, time]


def _parse_time(text: str) -> time:
    if text == "24:00":
        return time.max
    try:
        hour, minute = text.split(":")
        return time(int(hour), int(minute))
    except ValueError:
        raise InvalidInput(f"{text!r} is not a time of day (HH:MM)", code="invalid_hours") from None


def parse_spans(values: Sequence[str]) -> tuple[Span, ...]:
    """``["09:00-13:00", "16:00-20:00"]`` → sorted, non-overlapping (open, close) pairs."""
    if isinstance(values, str) or not isinstance(values, Sequence):
        raise InvalidInput("hours must be a list like ['09:00-13:00']", code="invalid_hours")
    spans: list[Span] = []
    for value in values:
        if not isinstance(value, str) or value.count("-") != 1:
            raise InvalidInput(f"{value!r} is not a span like '09:00-13:00'", code="invalid_hours")
        start_text, end_text = value.split("-")
        start, end = _parse_time(start_text.strip()), _parse_time(end_text.strip())
        if end <= start:
            raise InvalidInput(f"{value!r} closes before it opens", code="invalid_hours")
        spans.append((start, end))
    spans.sort()
    for (_, end), (start, _) in pairwise(spans):
        if start < end:
            raise InvalidInput(f"overlapping spans in {list(values)!r}", code="invalid_hours")
    return tuple(spans)


def format_spans(spans: Sequence[Span]) -> list[str]:
    def fmt(t: time) -> str:
        return "24:00" if t == time.max else t.strftime("%H:%M")

    return [f"{fmt(a)}-{fmt(b)}" for a, b in spans]


@dataclass(frozen=True)
class SpecialDay:
    day: date
    spans: tuple[Span, ...]
    reason: str = ""


@dataclass(frozen=True)
class Schedule:
    """Everything needed to say whether a location is open at an instant."""

    time_zone: str
    weekly: Mapping[str, tuple[Span, ...]]
    holiday_hours: tuple[Span, ...] = ()
    country: str | None = None
    subdivision: str | None = None
    exceptions: Mapping[date, SpecialDay] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.time_zone)


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"unknown time zone {name!r}", code="invalid_time_zone") from None


def parse_weekly_hours(
    data: Mapping[str, Any],
) -> tuple[dict[str, tuple[Span, ...]], tuple[Span, ...]]:
    """Validate the weekly hours document; returns (weekday → spans, holiday spans)."""
    unknown = set(data) - set(WEEKDAYS) - {"holidays"}
    if unknown:
        raise InvalidInput(f"unknown days {sorted(unknown)}; use {WEEKDAYS}", code="invalid_hours")
    weekly = {day: parse_spans(data.get(day, [])) for day in WEEKDAYS}
    return weekly, parse_spans(data.get("holidays", []))


def parse_exceptions(items: Sequence[Mapping[str, Any]]) -> dict[date, SpecialDay]:
    result: dict[date, SpecialDay] = {}
    for item in items:
        try:
            day = date.fromisoformat(str(item["date"]))
        except (KeyError, ValueError):
            raise InvalidInput(
                f"{item!r} needs a 'date' as YYYY-MM-DD", code="invalid_hours"
            ) from None
        result[day] = SpecialDay(
            day, parse_spans(item.get("hours", [])), str(item.get("reason", ""))
        )
    return result


@lru_cache(maxsize=256)
def _holiday_table(country: str, subdivision: str | None, year: int) -> dict[date, str]:
    language = HOLIDAY_LANGUAGE.get(country, "es")
    table = holidays.country_holidays(country, subdiv=subdivision, years=year, language=language)
    return {day: str(name) for day, name in table.items()}


def holiday_name(country: str | None, subdivision: str | None, day: date) -> str | None:
    """The national (or regional) holiday on ``day``, if any."""
    if country is None:
        return None
    if country not in HOLIDAY_COUNTRIES:
        raise InvalidInput(
            f"no holiday calendar for {country!r}; supported: {', '.join(HOLIDAY_COUNTRIES)}",
            code="unsupported_country",
        )
    return _holiday_table(country, subdivision, day.year).get(day)


def validate_subdivision(country: str, subdivision: str | None) -> None:
    if subdivision is None:
        return
    try:
        holidays.country_holidays(country, subdiv=subdivision, years=2026)
    except (NotImplementedError, KeyError):
        raise InvalidInput(
            f"{subdivision!r} is not a subdivision of {country}", code="invalid_subdivision"
        ) from None


def build_schedule(
    *,
    time_zone: str,
    opening_hours: Mapping[str, Any],
    country: str | None,
    subdivision: str | None = None,
    closures: Sequence[Mapping[str, Any]] = (),
) -> Schedule:
    """A validated schedule from the stored documents (weekly hours and one-off closures)."""
    weekly, holiday_hours = parse_weekly_hours(opening_hours)
    return Schedule(
        time_zone=time_zone,
        weekly=weekly,
        holiday_hours=holiday_hours,
        country=country,
        subdivision=subdivision,
        exceptions=parse_exceptions(closures),
    )


@dataclass(frozen=True)
class DayHours:
    day: date
    spans: tuple[Span, ...]
    reason: str  # "regular", "holiday: <name>" or the exception's reason

    @property
    def closed(self) -> bool:
        return not self.spans


def hours_on(schedule: Schedule, day: date) -> DayHours:
    """The hours that apply on a local calendar day, and why."""
    exception = schedule.exceptions.get(day)
    if exception is not None:
        return DayHours(day, exception.spans, exception.reason or "exception")
    name = holiday_name(schedule.country, schedule.subdivision, day)
    if name is not None:
        return DayHours(day, schedule.holiday_hours, f"holiday: {name}")
    return DayHours(day, schedule.weekly.get(WEEKDAYS[day.weekday()], ()), "regular")


def is_open(schedule: Schedule, at: datetime) -> bool:
    """Whether the location is open at the instant ``at`` (aware)."""
    local = at.astimezone(schedule.zone)
    now = local.time().replace(tzinfo=None)
    return any(start <= now < end for start, end in hours_on(schedule, local.date()).spans)


def next_opening(schedule: Schedule, at: datetime, *, horizon_days: int = 31) -> datetime | None:
    """The next instant at or after ``at`` when the location opens (``at`` itself if open)."""
    if is_open(schedule, at):
        return at
    tz = schedule.zone
    local = at.astimezone(tz)
    for offset in range(horizon_days + 1):
        day = local.date() + timedelta(days=offset)
        for start, _end in hours_on(schedule, day).spans:
            opening = datetime.combine(day, start, tzinfo=tz)
            if opening >= local:
                return opening.astimezone(UTC)
    return None
