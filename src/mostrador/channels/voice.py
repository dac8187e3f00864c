"""Phone calls on the timeline: any telephony provider (or a small bridge in front of it)
posts one JSON event per call state, and each becomes a ``call`` item the agent can see,
so a missed call is followed up like an unanswered message.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Final

from mostrador.channels.base import Direction, Inbound, MalformedPayload, Sender

EVENTS: Final = ("ringing", "answered", "missed", "ended")


def _string(data: Mapping[str, object], key: str, *, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise MalformedPayload(f"voice: {key} must be a non-empty string")
    return value.strip()


def _direction(data: Mapping[str, object]) -> Direction:
    value = data.get("direction", "inbound")
    if value == "outbound":
        return "outbound"
    if value != "inbound":
        raise MalformedPayload("voice: direction must be inbound or outbound")
    return "inbound"


def _at(data: Mapping[str, object]) -> datetime:
    value = _string(data, "at") or ""
    try:
        at = datetime.fromisoformat(value)
    except ValueError as exc:
        raise MalformedPayload("voice: at must be an ISO 8601 date and time") from exc
    if at.tzinfo is None:
        raise MalformedPayload("voice: at must carry its UTC offset")
    return at.astimezone(UTC)


def _duration(data: Mapping[str, object]) -> int | None:
    value = data.get("duration_seconds")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise MalformedPayload("voice: duration_seconds must be a whole number ≥ 0")
    return value


def spoken_duration(seconds: int) -> str:
    """3 min 12 s, 1 h 5 min, 45 s: how an agent reads a call's length."""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours} h" if hours else "", f"{minutes} min" if minutes else ""]
    parts.append(f"{secs} s" if secs or not (hours or minutes) else "")
    return " ".join(part for part in parts if part)


def describe(event: str, direction: Direction, duration: int | None) -> str:
    """The line the timeline shows, in Spanish (the product's first language)."""
    if event == "ringing":
        return "Llamada entrante" if direction == "inbound" else "Llamada saliente"
    if event == "answered":
        return "Llamada atendida"
    if event == "missed":
        return "Llamada perdida" if direction == "inbound" else "Llamada no atendida"
    return f"Llamada finalizada ({spoken_duration(duration)})" if duration else "Llamada finalizada"


def parse_call_event(data: Mapping[str, object], *, account: str) -> Inbound:
    """One call event; its id ``"<call_id>:<event>"`` makes a repeated event a duplicate
    while the call's later states are new items. The sender is always the customer."""
    call_id = _string(data, "call_id") or ""
    event = data.get("event")
    if not isinstance(event, str) or event not in EVENTS:
        raise MalformedPayload(f"voice: event must be one of {', '.join(EVENTS)}")
    direction = _direction(data)
    caller, called = _string(data, "from") or "", _string(data, "to") or ""
    customer = caller if direction == "inbound" else called
    duration = _duration(data)
    recording_url = _string(data, "recording_url", required=False)
    extra = {"call_id": call_id, "event": event}
    if duration is not None:
        extra["duration_seconds"] = str(duration)
    if recording_url:
        extra["recording_url"] = recording_url
    return Inbound(
        account=account,
        provider_message_id=f"{call_id}:{event}",
        direction=direction,
        sender=Sender(address=customer, phone=customer),
        sent_at=_at(data),
        kind="call",
        text=describe(event, direction, duration),
        extra=extra,
    )
