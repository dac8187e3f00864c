from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mostrador.conversations import sla
from mostrador.conversations.sla import SlaPolicyRule, SlaTargets
from mostrador.core.errors import InvalidInput
from mostrador.core.workspaces import hours

AR = "America/Argentina/Buenos_Aires"
HOUR = 3600


def shop(closures: list[dict[str, object]] | None = None) -> hours.Schedule:
    """A Buenos Aires shop: weekdays 09–18, Saturdays 10–14, closed on national holidays."""
    weekdays = ["09:00-18:00"]
    return hours.build_schedule(
        time_zone=AR,
        opening_hours=dict.fromkeys(("mon", "tue", "wed", "thu", "fri"), weekdays)
        | {"sat": ["10:00-14:00"]},
        country="AR",
        closures=closures or [],
    )


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


# --- due_at -------------------------------------------------------------------------------


def test_friday_evening_message_is_due_saturday_morning() -> None:
    due = sla.due_at(shop(), at("2026-11-27T17:30:00-03:00"), HOUR)  # Friday
    assert due == at("2026-11-28T10:30:00-03:00")
    assert due.tzinfo is UTC
    assert due.isoformat() == "2026-11-28T13:30:00+00:00"


def test_a_target_that_ends_exactly_at_closing_is_due_at_closing() -> None:
    due = sla.due_at(shop(), at("2026-11-27T17:00:00-03:00"), HOUR)
    assert due == at("2026-11-27T18:00:00-03:00")


def test_the_clock_skips_national_holidays() -> None:
    # 9 July 2026 (Thursday) is Independence Day and Friday 10 a bridge holiday.
    start = at("2026-07-08T17:00:00-03:00")
    due = sla.due_at(shop(), start, 2 * HOUR)
    assert due == at("2026-07-11T11:00:00-03:00")
    assert sla.business_seconds_between(shop(), start, due) == 2 * HOUR
    assert sla.business_seconds_between(shop(), start, at("2026-07-11T10:00:00-03:00")) == HOUR


def test_a_one_off_closure_stops_the_clock() -> None:
    closed = shop([{"date": "2026-11-28", "hours": [], "reason": "Inventario"}])
    due = sla.due_at(closed, at("2026-11-27T17:30:00-03:00"), HOUR)
    assert due == at("2026-11-30T09:30:00-03:00")  # Monday


def test_reduced_hours_exception_and_holiday_after_it() -> None:
    eve = shop([{"date": "2026-12-24", "hours": ["09:00-13:00"], "reason": "Nochebuena"}])
    due = sla.due_at(eve, at("2026-12-24T12:30:00-03:00"), HOUR)
    # 30 min on Christmas Eve, Christmas (Friday) closed, 30 min on Saturday.
    assert due == at("2026-12-26T10:30:00-03:00")


def test_start_outside_hours_waits_for_the_next_opening() -> None:
    due = sla.due_at(shop(), at("2026-11-29T20:00:00-03:00"), 30 * 60)  # Sunday night
    assert due == at("2026-11-30T09:30:00-03:00")
    early = sla.due_at(shop(), at("2026-12-01T07:00:00-03:00"), 15 * 60)  # Tuesday 07:00
    assert early == at("2026-12-01T09:15:00-03:00")


def test_zero_target_is_due_when_the_clock_starts() -> None:
    inside = at("2026-12-01T11:11:11-03:00")
    assert sla.due_at(shop(), inside, 0) == inside
    assert sla.due_at(shop(), at("2026-11-27T18:00:00-03:00"), 0) == at("2026-11-28T10:00:00-03:00")


def test_a_full_week_of_business_time() -> None:
    monday = at("2026-11-30T09:00:00-03:00")
    week = 5 * 9 * HOUR + 4 * HOUR
    assert sla.due_at(shop(), monday, week) == at("2026-12-05T14:00:00-03:00")
    assert sla.business_seconds_between(shop(), monday, monday + timedelta(days=7)) == week


def test_offsets_of_the_input_do_not_matter() -> None:
    local = at("2026-11-27T17:30:00-03:00")
    assert sla.due_at(shop(), local.astimezone(UTC), HOUR) == sla.due_at(shop(), local, HOUR)


def test_a_schedule_without_open_time_is_rejected() -> None:
    never = hours.build_schedule(time_zone=AR, opening_hours={}, country=None)
    with pytest.raises(InvalidInput) as caught:
        sla.due_at(never, at("2026-11-27T17:30:00-03:00"), HOUR)
    assert caught.value.code == "no_business_hours"


def test_open_time_after_a_long_closure_is_still_found() -> None:
    closures: list[dict[str, object]] = [
        {"date": (datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=n)).date().isoformat()}
        for n in range(300)
    ]
    due = sla.due_at(shop(closures), at("2026-01-01T10:00:00-03:00"), HOUR)
    assert due == at("2026-10-28T10:00:00-03:00")  # day 301 is Wednesday 28 October


def test_negative_target_and_naive_instants_are_rejected() -> None:
    with pytest.raises(InvalidInput) as negative:
        sla.due_at(shop(), at("2026-11-27T17:30:00-03:00"), -1)
    assert negative.value.code == "invalid_sla_target"
    with pytest.raises(InvalidInput) as naive:
        sla.due_at(shop(), datetime(2026, 11, 27, 17, 30), HOUR)  # noqa: DTZ001
    assert naive.value.code == "naive_datetime"


# --- business_seconds_between -------------------------------------------------------------


def test_business_seconds_between_counts_only_open_time() -> None:
    s = shop()
    friday = at("2026-11-27T17:30:00-03:00")
    assert sla.business_seconds_between(s, friday, at("2026-11-28T10:30:00-03:00")) == HOUR
    assert sla.business_seconds_between(s, friday, at("2026-11-27T17:45:00-03:00")) == 900
    # Saturday after closing to Monday before opening: nothing.
    saturday = at("2026-11-28T15:00:00-03:00")
    assert sla.business_seconds_between(s, saturday, at("2026-11-30T08:59:00-03:00")) == 0


def test_business_seconds_between_is_zero_when_end_is_not_after_start() -> None:
    start = at("2026-11-27T12:00:00-03:00")
    assert sla.business_seconds_between(shop(), start, start) == 0
    assert sla.business_seconds_between(shop(), start, start - timedelta(hours=2)) == 0


def test_business_seconds_between_rounds_down_to_whole_seconds() -> None:
    start = at("2026-11-27T12:00:00-03:00")
    end = start + timedelta(seconds=10, microseconds=999_999)
    assert sla.business_seconds_between(shop(), start, end) == 10


# --- always_open --------------------------------------------------------------------------


def test_always_open_runs_on_wall_clock_time_even_across_dst() -> None:
    madrid = sla.always_open("Europe/Madrid")
    # Clocks jump from 02:00 to 03:00 on 29 March 2026; a real day still has 86,400 s.
    start = at("2026-03-28T12:00:00+00:00")
    assert sla.business_seconds_between(madrid, start, start + timedelta(days=1)) == 86_400
    assert sla.due_at(madrid, start, 86_400) == start + timedelta(days=1)
    assert hours.is_open(madrid, at("2026-12-25T23:59:59+01:00")) is True


def test_always_open_rejects_an_unknown_zone() -> None:
    with pytest.raises(InvalidInput) as caught:
        sla.always_open("Mars/Olympus_Mons")
    assert caught.value.code == "invalid_time_zone"


# --- clocks -------------------------------------------------------------------------------


def test_start_clock_sets_due_and_warning_in_business_time() -> None:
    clock = sla.start_clock(shop(), "first_response", at("2026-11-27T17:30:00-03:00"), HOUR)
    assert clock.kind == "first_response"
    assert clock.started_at == at("2026-11-27T20:30:00+00:00")
    assert clock.started_at.tzinfo is UTC
    assert clock.due_at == at("2026-11-28T10:30:00-03:00")
    # 80 % of an hour is 48 min: 30 on Friday, 18 on Saturday.
    assert clock.warn_at == at("2026-11-28T10:18:00-03:00")


def test_start_clock_with_a_custom_ratio_and_a_zero_target() -> None:
    half = sla.start_clock(shop(), "resolution", at("2026-11-27T17:30:00-03:00"), HOUR, 0.5)
    assert half.warn_at == at("2026-11-27T18:00:00-03:00")
    zero = sla.start_clock(shop(), "next_response", at("2026-11-27T12:00:00-03:00"), 0)
    assert zero.warn_at == zero.due_at == at("2026-11-27T12:00:00-03:00")


@pytest.mark.parametrize("ratio", [0.0, -0.1, 1.01])
def test_start_clock_rejects_a_warn_ratio_outside_zero_one(ratio: float) -> None:
    with pytest.raises(InvalidInput) as caught:
        sla.start_clock(shop(), "resolution", at("2026-11-27T12:00:00-03:00"), HOUR, ratio)
    assert caught.value.code == "invalid_warn_ratio"


CLOCK = sla.SlaClock(
    kind="first_response",
    started_at=at("2026-11-27T12:00:00-03:00"),
    due_at=at("2026-11-27T13:00:00-03:00"),
    warn_at=at("2026-11-27T12:48:00-03:00"),
)


@pytest.mark.parametrize(
    ("now", "stopped_at", "expected"),
    [
        ("2026-11-27T12:10:00-03:00", None, "running"),
        ("2026-11-27T12:47:59-03:00", None, "running"),
        ("2026-11-27T12:48:00-03:00", None, "warning"),
        ("2026-11-27T13:00:00-03:00", None, "warning"),
        ("2026-11-27T13:00:01-03:00", None, "breached"),
        ("2026-11-27T15:00:00-03:00", "2026-11-27T12:30:00-03:00", "met"),
        ("2026-11-27T15:00:00-03:00", "2026-11-27T13:00:00-03:00", "met"),
        ("2026-11-27T15:00:00-03:00", "2026-11-27T13:00:01-03:00", "missed"),
    ],
)
def test_clock_state(now: str, stopped_at: str | None, expected: str) -> None:
    stopped = at(stopped_at) if stopped_at else None
    assert sla.clock_state(CLOCK, at(now), stopped) == expected


# --- targets and policies -----------------------------------------------------------------


def test_targets_by_kind_and_negative_targets_rejected() -> None:
    targets = SlaTargets(first_response=900, next_response=None, resolution=86_400)
    assert targets.for_kind("first_response") == 900
    assert targets.for_kind("next_response") is None
    assert targets.for_kind("resolution") == 86_400
    with pytest.raises(InvalidInput) as caught:
        SlaTargets(first_response=-5, next_response=None, resolution=None)
    assert caught.value.code == "invalid_sla_target"


def test_policy_rule_rejects_a_bad_warn_ratio() -> None:
    with pytest.raises(InvalidInput) as caught:
        SlaPolicyRule(name="x", targets=SlaTargets(60, None, None), warn_ratio=2.0)
    assert caught.value.code == "invalid_warn_ratio"


TARGETS = SlaTargets(first_response=HOUR, next_response=HOUR, resolution=24 * HOUR)
DEFAULT = SlaPolicyRule(name="default", targets=TARGETS)
WHATSAPP = SlaPolicyRule(name="whatsapp", targets=TARGETS, channels=frozenset({"whatsapp"}))
URGENT = SlaPolicyRule(name="urgent", targets=TARGETS, priorities=frozenset({"urgent"}))
VIP_WHATSAPP_URGENT = SlaPolicyRule(
    name="vip-whatsapp-urgent",
    targets=TARGETS,
    channels=frozenset({"whatsapp"}),
    priorities=frozenset({"urgent"}),
    segments=frozenset({"vip", "champions"}),
)
WHATSAPP_URGENT = SlaPolicyRule(
    name="whatsapp-urgent",
    targets=TARGETS,
    channels=frozenset({"whatsapp", "instagram"}),
    priorities=frozenset({"urgent", "high"}),
)
RULES = [DEFAULT, WHATSAPP, URGENT, WHATSAPP_URGENT, VIP_WHATSAPP_URGENT]


@pytest.mark.parametrize(
    ("channel", "priority", "segments", "expected"),
    [
        ("email", "normal", [], "default"),
        ("whatsapp", "normal", [], "whatsapp"),
        ("email", "urgent", ["vip"], "urgent"),
        ("whatsapp", "urgent", [], "whatsapp-urgent"),
        ("instagram", "high", ["vip"], "whatsapp-urgent"),
        ("whatsapp", "urgent", ["new", "champions"], "vip-whatsapp-urgent"),
        ("whatsapp", "high", ["vip"], "whatsapp-urgent"),
    ],
)
def test_choose_policy_prefers_the_most_specific_rule(
    channel: str, priority: str, segments: list[str], expected: str
) -> None:
    chosen = sla.choose_policy(RULES, channel=channel, priority=priority, segments=segments)
    assert chosen is not None
    assert chosen.name == expected


def test_choose_policy_breaks_ties_by_order() -> None:
    # "whatsapp" and "urgent" both set one criterion and both match: the first one wins.
    chosen = sla.choose_policy(
        [DEFAULT, URGENT, WHATSAPP], channel="whatsapp", priority="urgent", segments=()
    )
    assert chosen is URGENT
    chosen = sla.choose_policy(
        [WHATSAPP, URGENT], channel="whatsapp", priority="urgent", segments=()
    )
    assert chosen is WHATSAPP


def test_choose_policy_without_a_match_is_none() -> None:
    assert sla.choose_policy([], channel="email", priority="normal", segments=()) is None
    only_whatsapp = [WHATSAPP, VIP_WHATSAPP_URGENT]
    assert (
        sla.choose_policy(only_whatsapp, channel="email", priority="urgent", segments=["vip"])
        is None
    )


# --- properties ---------------------------------------------------------------------------

SPLIT_SHIFTS = hours.build_schedule(
    time_zone="Europe/Madrid",
    opening_hours={
        "mon": ["09:30-14:00", "17:00-20:30"],
        "tue": ["09:30-14:00", "17:00-20:30"],
        "wed": ["09:30-14:00", "17:00-20:30"],
        "thu": ["09:30-14:00", "17:00-24:00"],
        "fri": ["00:00-02:00", "09:30-14:00"],
        "sat": ["10:00-14:00"],
    },
    country="ES",
    closures=[{"date": "2026-08-14", "hours": [], "reason": "Vacaciones"}],
)
STARTS = st.datetimes(
    min_value=datetime(2025, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2027, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
SCHEDULES = st.sampled_from([shop(), SPLIT_SHIFTS, sla.always_open(AR)])


@settings(max_examples=300, deadline=None)
@given(schedule=SCHEDULES, start=STARTS, target=st.integers(min_value=0, max_value=120 * HOUR))
def test_business_seconds_to_due_at_is_the_target(
    schedule: hours.Schedule, start: datetime, target: int
) -> None:
    due = sla.due_at(schedule, start, target)
    assert due >= start
    assert sla.business_seconds_between(schedule, start, due) == target
    if target:
        assert hours.is_open(schedule, due - timedelta(microseconds=1))


@settings(max_examples=200, deadline=None)
@given(schedule=SCHEDULES, start=STARTS, a=st.integers(0, 80 * HOUR), b=st.integers(0, 80 * HOUR))
def test_due_at_adds_up(schedule: hours.Schedule, start: datetime, a: int, b: int) -> None:
    """Pausing the count and resuming it later gives the same due time (for b > 0)."""
    first = sla.due_at(schedule, start, a)
    if b:
        assert sla.due_at(schedule, first, b) == sla.due_at(schedule, start, a + b)
