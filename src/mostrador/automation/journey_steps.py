"""A journey's steps and quiet hours. Pure.

    [{"wait": {"days": 3}},
     {"send": {"text": "¿Cómo le fue con su compra?", "template": "seguimiento_compra"}},
     {"wait": {"hours": 24}},
     {"survey": "nps"}]

``send`` goes as free text inside the channel's reply window and as the approved template
outside it (no template: the step is skipped and logged). Nothing is sent in quiet hours
(``{"from": "21:00", "to": "09:00"}`` in the workspace's time zone): it waits until they end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from typing import Any, Final
from zoneinfo import ZoneInfo

__all__ = ["StepError", "check_quiet_hours", "check_steps", "quiet_until", "wait_of"]

_MAX_STEPS: Final = 20
_MAX_WAIT: Final = timedelta(days=400)


class StepError(ValueError):
    """Steps that cannot run; the message says where."""


def wait_of(step: Mapping[str, Any]) -> timedelta:
    spec = step["wait"]
    return timedelta(
        days=spec.get("days", 0), hours=spec.get("hours", 0), minutes=spec.get("minutes", 0)
    )


def _check_one(at: int, step: Any) -> None:
    where = f"steps[{at}]"
    if not isinstance(step, Mapping) or len(step) != 1:
        raise StepError(f"{where}: one of wait, send, survey")
    ((kind, spec),) = step.items()
    if kind == "wait":
        units = {"days", "hours", "minutes"}
        if not isinstance(spec, Mapping) or not spec or set(spec) - units:
            raise StepError(f"{where}.wait: days, hours and/or minutes")
        if not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in spec.values()
        ):
            raise StepError(f"{where}.wait: whole, non-negative numbers")
        if not timedelta(0) < wait_of(step) <= _MAX_WAIT:
            raise StepError(f"{where}.wait: more than nothing and at most 400 days")
    elif kind == "send":
        text = spec.get("text") if isinstance(spec, Mapping) else None
        if not isinstance(text, str) or not 0 < len(text.strip()) <= 4096:
            raise StepError(f"{where}.send.text: 1 to 4096 characters")
        template = spec.get("template")
        if template is not None and (not isinstance(template, str) or not template.strip()):
            raise StepError(f"{where}.send.template: a template name")
    elif kind == "survey":
        if spec not in ("csat", "nps", "ces"):
            raise StepError(f"{where}.survey: one of csat, nps, ces")
    else:
        raise StepError(f"{where}: one of wait, send, survey")


def check_steps(steps: Sequence[Any]) -> None:
    if not isinstance(steps, Sequence) or isinstance(steps, str) or not steps:
        raise StepError("steps: a non-empty list")
    if len(steps) > _MAX_STEPS:
        raise StepError(f"steps: at most {_MAX_STEPS}")
    for at, step in enumerate(steps):
        _check_one(at, step)


def _clock(text: Any) -> time:
    try:
        hour, minute = str(text).split(":")
        return time(int(hour), int(minute))
    except ValueError:
        raise StepError("quiet_hours: times as HH:MM") from None


def check_quiet_hours(quiet: Mapping[str, Any] | None) -> None:
    if not quiet:
        return
    if set(quiet) != {"from", "to"}:
        raise StepError("quiet_hours: from and to")
    _clock(quiet["from"])
    _clock(quiet["to"])


def quiet_until(now: datetime, quiet: Mapping[str, Any] | None, time_zone: str) -> datetime | None:
    """When quiet hours end, if ``now`` (aware) falls inside them; otherwise None."""
    if not quiet:
        return None
    zone = ZoneInfo(time_zone)
    local = now.astimezone(zone)
    start, end = _clock(quiet["from"]), _clock(quiet["to"])
    clock = local.time().replace(tzinfo=None)
    overnight = start > end
    inside = (clock >= start or clock < end) if overnight else (start <= clock < end)
    if not inside:
        return None
    day = local.date()
    if overnight and clock >= start:
        day += timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)
