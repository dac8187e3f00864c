"""The SLA clock: response and resolution targets counted in business time, not wall time.

A customer who writes on Friday at 17:30 to a shop that closes at 18:00 has not been kept
waiting all weekend: the clock only runs while the team is working. Opening hours,
national holidays and one-off closures come from ``core.workspaces.hours``; this module
only walks that calendar. Pure: no database, no I/O.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

from mostrador.core.errors import InvalidInput
from mostrador.core.workspaces.hours import WEEKDAYS, Schedule, hours_on, parse_spans, zone

SlaKind = Literal["first_response", "next_response", "resolution"]
ClockState = Literal["running", "warning", "breached", "met", "missed"]

# How many consecutive closed days we accept before calling the schedule empty.
HORIZON_DAYS = 366
_SECOND = timedelta(seconds=1)

Interval = tuple[datetime, datetime]


def _require_aware(value: datetime, name: str) -> None:
    """Business time is meaningless for a naive instant: we would not know whose 09:00."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{name} must be timezone-aware", code="naive_datetime")


def _open_intervals(schedule: Schedule, day: date) -> list[Interval]:
    """The open spans of one local day as UTC instants (``24:00`` closes at next midnight)."""
    tz = schedule.zone
    intervals: list[Interval] = []
    for start, end in hours_on(schedule, day).spans:
        opens = datetime.combine(day, start, tzinfo=tz).astimezone(UTC)
        if end == time.max:
            closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
        else:
            closes = datetime.combine(day, end, tzinfo=tz)
        closes = closes.astimezone(UTC)
        if closes > opens:  # a span swallowed by a DST jump has no open time
            intervals.append((opens, closes))
    return intervals


def _intervals_from(schedule: Schedule, start: datetime) -> Iterator[Interval]:
    """Open intervals ending after ``start``, clipped to it, in order, for ever.

    Raises ``no_business_hours`` after ``HORIZON_DAYS`` consecutive closed days so that a
    schedule with no open time cannot loop endlessly.
    """
    day = start.astimezone(schedule.zone).date()
    closed_days = 0
    while True:
        intervals = [(max(a, start), b) for a, b in _open_intervals(schedule, day) if b > start]
        closed_days = 0 if intervals else closed_days + 1
        if closed_days > HORIZON_DAYS:
            raise InvalidInput(
                f"the schedule has no open time within {HORIZON_DAYS} days",
                code="no_business_hours",
            )
        yield from intervals
        day += timedelta(days=1)


def business_seconds_between(schedule: Schedule, start: datetime, end: datetime) -> int:
    """Whole seconds of open time in ``[start, end)``; 0 when ``end`` is not after ``start``."""
    _require_aware(start, "start")
    _require_aware(end, "end")
    if end <= start:
        return 0
    tz = schedule.zone
    day, last_day = start.astimezone(tz).date(), end.astimezone(tz).date()
    total = timedelta(0)
    while day <= last_day:
        for opens, closes in _open_intervals(schedule, day):
            overlap = min(closes, end) - max(opens, start)
            total += max(overlap, timedelta(0))
        day += timedelta(days=1)
    return total // _SECOND


def due_at(schedule: Schedule, start: datetime, target_seconds: int) -> datetime:
    """The UTC instant at which ``target_seconds`` of open time have passed since ``start``.

    Outside hours the clock starts at the next opening, so a zero target is due then.
    """
    _require_aware(start, "start")
    if target_seconds < 0:
        raise InvalidInput("an SLA target cannot be negative", code="invalid_sla_target")
    remaining = timedelta(seconds=target_seconds)
    for opens, closes in _intervals_from(schedule, start.astimezone(UTC)):
        if remaining <= closes - opens:
            return opens + remaining
        remaining -= closes - opens
    raise AssertionError("unreachable: _intervals_from never ends")  # pragma: no cover


def always_open(time_zone: str) -> Schedule:
    """A 24/7 schedule (no holidays) for teams whose targets run on wall-clock time."""
    zone(time_zone)  # validate early: a typo should fail here, not at the first message
    every_hour = parse_spans(["00:00-24:00"])
    return Schedule(time_zone=time_zone, weekly=dict.fromkeys(WEEKDAYS, every_hour))


@dataclass(frozen=True)
class SlaTargets:
    """Business seconds allowed for each clock; ``None`` means that clock is not kept."""

    first_response: int | None = None
    next_response: int | None = None
    resolution: int | None = None

    def __post_init__(self) -> None:
        for kind in ("first_response", "next_response", "resolution"):
            value = getattr(self, kind)
            if value is not None and value < 0:
                raise InvalidInput(f"{kind} target cannot be negative", code="invalid_sla_target")

    def for_kind(self, kind: SlaKind) -> int | None:
        """The target of one clock, so callers need not switch on the kind."""
        target: int | None = getattr(self, kind)
        return target


def _check_warn_ratio(warn_ratio: float) -> None:
    if not 0 < warn_ratio <= 1:
        raise InvalidInput("warn_ratio must be in (0, 1]", code="invalid_warn_ratio")


@dataclass(frozen=True)
class SlaPolicyRule:
    """Targets that apply to conversations matching every non-empty criterion."""

    name: str
    targets: SlaTargets
    channels: frozenset[str] = frozenset()
    priorities: frozenset[str] = frozenset()
    segments: frozenset[str] = frozenset()
    warn_ratio: float = 0.8

    def __post_init__(self) -> None:
        _check_warn_ratio(self.warn_ratio)

    @property
    def specificity(self) -> int:
        """How many criteria the rule sets; the more, the more specific."""
        return sum(1 for criterion in (self.channels, self.priorities, self.segments) if criterion)

    def matches(self, *, channel: str, priority: str, segments: Collection[str]) -> bool:
        """Empty criteria match anything; segments match when the customer is in any of them."""
        return (
            (not self.channels or channel in self.channels)
            and (not self.priorities or priority in self.priorities)
            and (not self.segments or not self.segments.isdisjoint(segments))
        )


def choose_policy(
    rules: Sequence[SlaPolicyRule], *, channel: str, priority: str, segments: Collection[str]
) -> SlaPolicyRule | None:
    """The most specific matching rule; on a tie the first one, so the order is the tiebreak."""
    best: SlaPolicyRule | None = None
    for rule in rules:
        if not rule.matches(channel=channel, priority=priority, segments=segments):
            continue
        if best is None or rule.specificity > best.specificity:
            best = rule
    return best


@dataclass(frozen=True)
class SlaClock:
    """One running target: when it started, when to warn the team and when it is breached."""

    kind: SlaKind
    started_at: datetime
    due_at: datetime
    warn_at: datetime


def start_clock(
    schedule: Schedule,
    kind: SlaKind,
    started_at: datetime,
    target_seconds: int,
    warn_ratio: float = 0.8,
) -> SlaClock:
    """Start a clock; the warning falls after ``warn_ratio`` of the target in business time."""
    _check_warn_ratio(warn_ratio)
    warn_seconds = int(target_seconds * warn_ratio)
    return SlaClock(
        kind=kind,
        started_at=started_at.astimezone(UTC),
        due_at=due_at(schedule, started_at, target_seconds),
        warn_at=due_at(schedule, started_at, warn_seconds),
    )


def clock_state(clock: SlaClock, now: datetime, stopped_at: datetime | None) -> ClockState:
    """Where a clock stands: a stopped clock is met or missed; a running one may warn or breach.

    Stopping exactly at the due instant meets the target, so breach starts just after it.
    """
    if stopped_at is not None:
        return "met" if stopped_at <= clock.due_at else "missed"
    if now > clock.due_at:
        return "breached"
    if now >= clock.warn_at:
        return "warning"
    return "running"
