"""Journey steps are checked before they are stored; quiet hours postpone, never skip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from mostrador.automation.journey_steps import (
    StepError,
    check_quiet_hours,
    check_steps,
    quiet_until,
    wait_of,
)

BA = "America/Argentina/Buenos_Aires"
NIGHT = {"from": "21:00", "to": "09:00"}


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 11, 25, 1, 0, tzinfo=UTC), "2026-11-25T09:00:00-03:00"),  # 22:00
        (datetime(2026, 11, 25, 11, 59, tzinfo=UTC), "2026-11-25T09:00:00-03:00"),  # 08:59
        (datetime(2026, 11, 25, 12, 0, tzinfo=UTC), None),  # 09:00 sharp: open
        (datetime(2026, 11, 25, 23, 59, tzinfo=UTC), None),  # 20:59
        (datetime(2026, 11, 26, 0, 0, tzinfo=UTC), "2026-11-26T09:00:00-03:00"),  # 21:00
    ],
)
def test_quiet_hours_over_midnight(now: datetime, expected: str | None) -> None:
    found = quiet_until(now, NIGHT, BA)
    assert (found.isoformat() if found else None) == expected


def test_daytime_quiet_hours_and_none() -> None:
    lunch = {"from": "13:00", "to": "14:00"}
    assert quiet_until(datetime(2026, 11, 25, 16, 30, tzinfo=UTC), lunch, BA) == datetime(
        2026, 11, 25, 17, 0, tzinfo=UTC
    )
    assert quiet_until(datetime(2026, 11, 25, 16, 30, tzinfo=UTC), {}, BA) is None


def test_waits_add_up_their_units() -> None:
    assert wait_of({"wait": {"days": 1, "hours": 2, "minutes": 3}}) == timedelta(
        days=1, hours=2, minutes=3
    )


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "steps: a non-empty list"),
        ([{"wait": {"weeks": 1}}], "steps[0].wait: days, hours and/or minutes"),
        ([{"wait": {"days": -1}}], "steps[0].wait: whole, non-negative numbers"),
        ([{"wait": {"days": 401}}], "steps[0].wait: more than nothing and at most 400 days"),
        ([{"send": {"text": ""}}], "steps[0].send.text: 1 to 4096 characters"),
        ([{"send": {"text": "hola", "template": " "}}], "steps[0].send.template: a template name"),
        ([{"survey": "nps", "wait": {"days": 1}}], "steps[0]: one of wait, send, survey"),
        ([{"call": "now"}], "steps[0]: one of wait, send, survey"),
    ],
)
def test_bad_steps_say_where(steps: Any, message: str) -> None:
    with pytest.raises(StepError) as raised:
        check_steps(steps)
    assert str(raised.value) == message


def test_quiet_hours_need_both_ends_as_clock_times() -> None:
    check_quiet_hours(NIGHT)
    check_quiet_hours({})
    with pytest.raises(StepError, match="quiet_hours: from and to"):
        check_quiet_hours({"from": "21:00"})
    with pytest.raises(StepError, match="quiet_hours: times as HH:MM"):
        check_quiet_hours({"from": "9pm", "to": "09:00"})
