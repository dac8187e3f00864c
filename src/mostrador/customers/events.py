"""What happens to customer profiles."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from mostrador.core.events import Event, domain_event


@dataclass(frozen=True, kw_only=True)
class IdentifierSeen:
    kind: str
    raw_value: str
    normalized_value: str | None
    source_channel: str


@domain_event("customers.CustomerRegistered")
@dataclass(frozen=True, kw_only=True)
class CustomerRegistered(Event):
    customer_id: uuid.UUID
    display_name: str
    source_channel: str
    identifiers: tuple[IdentifierSeen, ...]
