"""What happens to customer profiles. ``customer_id`` puts an event on that customer's timeline."""

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


@domain_event("customers.IdentifierAttached")
@dataclass(frozen=True, kw_only=True)
class IdentifierAttached(Event):
    """A known customer showed up with an identifier (new or seen again) on a channel."""

    customer_id: uuid.UUID
    identifier: IdentifierSeen
    score: float | None


@domain_event("customers.IdentifierMarkedShared")
@dataclass(frozen=True, kw_only=True)
class IdentifierMarkedShared(Event):
    """Distinct people use this identifier (a family phone, a company inbox): no longer a key."""

    kind: str
    normalized_value: str
    customer_ids: tuple[uuid.UUID, ...]


@domain_event("customers.MergeSuggested")
@dataclass(frozen=True, kw_only=True)
class MergeSuggested(Event):
    suggestion_id: uuid.UUID
    customer_id: uuid.UUID
    other_customer_id: uuid.UUID
    score: float


@domain_event("customers.MergeSuggestionRejected")
@dataclass(frozen=True, kw_only=True)
class MergeSuggestionRejected(Event):
    suggestion_id: uuid.UUID
    customer_id: uuid.UUID
    other_customer_id: uuid.UUID


@domain_event("customers.CustomersMerged")
@dataclass(frozen=True, kw_only=True)
class CustomersMerged(Event):
    merge_id: uuid.UUID
    customer_id: uuid.UUID  # the survivor
    merged_customer_id: uuid.UUID
    reason: str
    score: float | None


@domain_event("customers.CustomersUnmerged")
@dataclass(frozen=True, kw_only=True)
class CustomersUnmerged(Event):
    merge_id: uuid.UUID
    customer_id: uuid.UUID  # the former survivor
    restored_customer_id: uuid.UUID


@domain_event("customers.ConsentChanged")
@dataclass(frozen=True, kw_only=True)
class ConsentChanged(Event):
    customer_id: uuid.UUID
    purpose: str
    channel: str
    granted: bool
    source: str


@domain_event("customers.CustomerUpdated")
@dataclass(frozen=True, kw_only=True)
class CustomerUpdated(Event):
    customer_id: uuid.UUID
    changed: tuple[str, ...]


@domain_event("customers.CustomerDataExported")
@dataclass(frozen=True, kw_only=True)
class CustomerDataExported(Event):
    customer_id: uuid.UUID


@domain_event("customers.CustomerErasureRequested")
@dataclass(frozen=True, kw_only=True)
class CustomerErasureRequested(Event):
    """The profile is blocked now (hidden, never contacted) and purged after the retention."""

    customer_id: uuid.UUID
    purge_after: str


@domain_event("customers.CustomerPurged")
@dataclass(frozen=True, kw_only=True)
class CustomerPurged(Event):
    customer_id: uuid.UUID
