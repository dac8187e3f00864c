from __future__ import annotations

import uuid
from dataclasses import FrozenInstanceError, dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from mostrador.core.errors import ConfigurationError
from mostrador.core.events import (
    Envelope,
    Event,
    deserialize_event,
    domain_event,
    serialize_event,
    upcaster,
)
from mostrador.core.ids import EventId, WorkspaceId


@domain_event("tests.PriceTagPrinted", version=3)
@dataclass(frozen=True, kw_only=True)
class PriceTagPrinted(Event):
    customer_id: uuid.UUID | None
    sku: str
    price: Decimal
    printed_at: datetime


@upcaster("tests.PriceTagPrinted", from_version=1)
def _v1_to_v2(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "sku": payload.pop("code")}


@upcaster("tests.PriceTagPrinted", from_version=2)
def _v2_to_v3(payload: dict[str, Any]) -> dict[str, Any]:
    return {**payload, "customer_id": None}


WHEN = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_events_round_trip_with_exact_types() -> None:
    event = PriceTagPrinted(
        customer_id=uuid.UUID(int=7), sku="REM-001-M", price=Decimal("15999.90"), printed_at=WHEN
    )
    payload = serialize_event(event)
    assert payload == {
        "customer_id": "00000000-0000-0000-0000-000000000007",
        "sku": "REM-001-M",
        "price": "15999.90",
        "printed_at": "2026-11-24T12:00:00Z",
    }
    assert deserialize_event("tests.PriceTagPrinted", 3, payload) == event
    assert event.customer_ref() == uuid.UUID(int=7)
    with pytest.raises(FrozenInstanceError):
        event.sku = "x"  # type: ignore[misc]


def test_old_versions_are_upcast_step_by_step() -> None:
    old = {"code": "REM-002-S", "price": "10", "printed_at": "2026-01-01T00:00:00+00:00"}
    event = deserialize_event("tests.PriceTagPrinted", 1, old)
    assert event == PriceTagPrinted(
        customer_id=None,
        sku="REM-002-S",
        price=Decimal("10"),
        printed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )


def test_unknown_and_future_events_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError) as err:
        deserialize_event("tests.Nope", 1, {})
    assert err.value.code == "unknown_event"
    with pytest.raises(ConfigurationError) as err:
        deserialize_event("tests.PriceTagPrinted", 4, {})
    assert err.value.code == "event_too_new"


def test_a_type_name_cannot_be_registered_by_two_classes() -> None:
    with pytest.raises(ConfigurationError):

        @domain_event("tests.PriceTagPrinted")
        @dataclass(frozen=True, kw_only=True)
        class Impostor(Event):
            sku: str


def test_envelope_wire_form_round_trips() -> None:
    envelope = Envelope(
        id=EventId(uuid.UUID(int=1)),
        workspace_id=WorkspaceId(uuid.UUID(int=2)),
        occurred_at=WHEN,
        actor="user:abc",
        event=PriceTagPrinted(customer_id=None, sku="A", price=Decimal("1.5"), printed_at=WHEN),
    )
    message = envelope.to_message()
    assert message["type"] == "tests.PriceTagPrinted"
    assert message["version"] == 3
    assert Envelope.from_message(message) == envelope
