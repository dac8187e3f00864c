"""What the people get when the bot hands over: a summary they can act on without asking
the customer again, and — outside business hours — when someone will answer."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.assistant.examples import Language
from mostrador.assistant.understanding import Understanding
from mostrador.core.workspaces import Location, Workspace, hours

__all__ = ["closed_until", "summary"]

_REASONS: Final = {
    "escalation": "señales de escalamiento",
    "asked_for_person": "pidió hablar con una persona",
    "complaint": "reclamo",
    "unclear_twice": "no entendí dos mensajes seguidos",
    "skill_failed": "no pude consultar el dato",
    "identity_not_verified": "no pude verificar que el pedido sea suyo",
    "confirmed_return": "confirmó que quiere abrir una devolución",
}
_WEEKDAYS: Final[dict[Language, tuple[str, ...]]] = {
    "es": ("el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado",
           "el domingo"),
    "pt": ("na segunda", "na terça", "na quarta", "na quinta", "na sexta", "no sábado",
           "no domingo"),
    "en": ("on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday",
           "on Saturday", "on Sunday"),
}  # fmt: skip
_TODAY: Final[dict[Language, str]] = {"es": "hoy", "pt": "hoje", "en": "today"}
_TOMORROW: Final[dict[Language, str]] = {"es": "mañana", "pt": "amanhã", "en": "tomorrow"}
_AT: Final[dict[Language, str]] = {"es": "desde las", "pt": "a partir das", "en": "from"}


def summary(
    understood: Understanding,
    reason: str,
    recent: Sequence[tuple[str, str, str]],
    pending: dict[str, Any],
) -> str:
    """The private note on the conversation (in the team's language, Spanish first)."""
    entities = {k: v for k, v in understood.entities.as_dict().items() if v}
    lines = [
        f"🤖 El asistente pasa la conversación: {_REASONS.get(reason, reason)}.",
        f"Intención: {understood.intent} ({understood.guess.confidence:.0%}); idioma: "
        f"{understood.language}.",
    ]
    if understood.escalation.reasons:
        lines.append("Señales: " + ", ".join(understood.escalation.reasons) + ".")
    if entities:
        lines.append("Datos: " + "; ".join(f"{k}={v}" for k, v in entities.items()) + ".")
    if pending.get("ref"):
        lines.append(f"Pedido en cuestión: {pending['ref']}.")
    said = [text for direction, author, text in recent if author == "bot"][-2:]
    if said:
        lines.append("El asistente ya dijo: " + " / ".join(f"«{text[:160]}»" for text in said))
    lines.append(f"Último mensaje: «{understood.text[:300]}»")
    return "\n".join(lines)


def closed_until(
    session: Session, workspace: Workspace, now: datetime, language: Language
) -> str | None:
    """When a person will answer, in words ("mañana desde las 10:00"), if now is closed."""
    first = session.execute(
        select(Location)
        .where(Location.workspace_id == workspace.id, Location.kind == "store")
        .order_by(Location.code)
        .limit(1)
    ).scalar_one_or_none()
    if first is None or not first.opening_hours:
        return None
    schedule = hours.build_schedule(
        time_zone=first.time_zone,
        opening_hours=first.opening_hours,
        country=first.country,
        subdivision=first.holiday_subdivision,
        closures=first.closures,
    )
    if hours.is_open(schedule, now):
        return None
    opening = hours.next_opening(schedule, now)
    if opening is None:
        return None
    local_now, local = now.astimezone(schedule.zone), opening.astimezone(schedule.zone)
    days = (local.date() - local_now.date()).days
    if days == 0:
        day = _TODAY[language]
    elif days == 1:
        day = _TOMORROW[language]
    else:
        day = _WEEKDAYS[language][local.weekday()]
    return f"{day} {_AT[language]} {local.strftime('%H:%M')}"
