"""Typed domain events: frozen dataclasses, a registry by type name, a schema version.

A context declares its events in its ``events.py``::

    @domain_event("locations.LocationOpened", version=1)
    @dataclass(frozen=True, kw_only=True)
    class LocationOpened(Event):
        location_id: LocationId
        name: str

``Envelope`` carries one event with what the log knows about it (id, workspace, time,
actor). Payloads are (de)serialized by pydantic from the dataclass' own type hints, and
older stored versions are brought up to date by registered upcasters.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from pydantic import TypeAdapter

from mostrador.core.errors import ConfigurationError
from mostrador.core.ids import EventId, WorkspaceId


@dataclass(frozen=True, kw_only=True)
class Event:
    """Base of every domain event. Subclasses are named in the past tense."""

    event_type: ClassVar[str] = ""
    schema_version: ClassVar[int] = 0

    def customer_ref(self) -> uuid.UUID | None:
        """The customer whose timeline shows this event, if any."""
        value = getattr(self, "customer_id", None)
        return value if isinstance(value, uuid.UUID) else None


E = TypeVar("E", bound=Event)
Upcaster = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class _Registration:
    cls: type[Event]
    adapter: TypeAdapter[Any]


_REGISTRY: dict[str, _Registration] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def domain_event(name: str, *, version: int = 1) -> Callable[[type[E]], type[E]]:
    """Register an event class under a stable ``name`` (``context.PastTenseVerb``)."""

    def register(cls: type[E]) -> type[E]:
        existing = _REGISTRY.get(name)
        if existing is not None and existing.cls.__qualname__ != cls.__qualname__:
            raise ConfigurationError(f"event type {name!r} is registered twice")
        cls.event_type = name
        cls.schema_version = version
        _REGISTRY[name] = _Registration(cls, TypeAdapter(cls))
        return cls

    return register


def upcaster(name: str, *, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register how a stored ``name`` payload at ``from_version`` becomes the next version."""

    def register(fn: Upcaster) -> Upcaster:
        _UPCASTERS[(name, from_version)] = fn
        return fn

    return register


def event_class(name: str) -> type[Event]:
    try:
        return _REGISTRY[name].cls
    except KeyError:
        raise ConfigurationError(f"unknown event type {name!r}", code="unknown_event") from None


def registered_event_types() -> list[str]:
    return sorted(_REGISTRY)


def serialize_event(event: Event) -> dict[str, Any]:
    """The payload as JSON-ready data (UUIDs, Decimals and datetimes as strings)."""
    registration = _REGISTRY.get(type(event).event_type)
    if registration is None or registration.cls is not type(event):
        raise ConfigurationError(f"{type(event).__name__} is not a registered event")
    data: dict[str, Any] = registration.adapter.dump_python(event, mode="json")
    return data


def deserialize_event(name: str, version: int, payload: dict[str, Any]) -> Event:
    """Rebuild an event from the log, upcasting old versions first."""
    registration = _REGISTRY.get(name)
    if registration is None:
        raise ConfigurationError(f"unknown event type {name!r}", code="unknown_event")
    current = registration.cls.schema_version
    if version > current:
        raise ConfigurationError(
            f"{name} v{version} is newer than this code (v{current})", code="event_too_new"
        )
    data = dict(payload)
    for step in range(version, current):
        fn = _UPCASTERS.get((name, step))
        if fn is None:
            raise ConfigurationError(f"no upcaster for {name} v{step}", code="missing_upcaster")
        data = fn(data)
    event: Event = registration.adapter.validate_python(data)
    return event


@dataclass(frozen=True)
class Envelope:
    """One recorded event and its place in the log."""

    id: EventId
    workspace_id: WorkspaceId | None
    occurred_at: datetime
    actor: str | None
    event: Event

    @property
    def type(self) -> str:
        return self.event.event_type

    @property
    def version(self) -> int:
        return self.event.schema_version

    def to_message(self) -> dict[str, Any]:
        """Wire form for the bus."""
        return {
            "id": str(self.id),
            "workspace_id": str(self.workspace_id) if self.workspace_id else None,
            "occurred_at": self.occurred_at.isoformat(),
            "actor": self.actor,
            "type": self.type,
            "version": self.version,
            "payload": serialize_event(self.event),
        }

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> Envelope:
        workspace = message.get("workspace_id")
        return cls(
            id=EventId(uuid.UUID(message["id"])),
            workspace_id=WorkspaceId(uuid.UUID(workspace)) if workspace else None,
            occurred_at=datetime.fromisoformat(message["occurred_at"]),
            actor=message.get("actor"),
            event=deserialize_event(message["type"], int(message["version"]), message["payload"]),
        )
