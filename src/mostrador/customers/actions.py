"""The writers of the customers context (one transaction each, events on commit).

Grouped by what they do: bulk registration here; resolution and profile edits in
``profiles``; merging in ``merging``; consent in ``consents``; data-subject rights in
``privacy``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert

from mostrador.core.errors import InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers.build import record_from_contact
from mostrador.customers.consents import record_consent
from mostrador.customers.events import CustomerRegistered, IdentifierSeen
from mostrador.customers.merging import (
    accept_suggestion,
    merge_customers,
    reject_suggestion,
    unmerge_customers,
)
from mostrador.customers.models import (
    Customer,
    CustomerIdentifier,
    CustomerMatchKey,
    CustomerSearchTerm,
)
from mostrador.customers.names import fold, name_tokens
from mostrador.customers.normalize import normalize
from mostrador.customers.privacy import export_customer, purge_due, request_erasure
from mostrador.customers.profiles import import_contacts, register_contact, update_customer
from mostrador.customers.resolution import blocking_keys
from mostrador.customers.schemas import ContactInput, CustomerInput, IdentifierInput

__all__ = [
    "accept_suggestion",
    "export_customer",
    "import_contacts",
    "merge_customers",
    "purge_due",
    "record_consent",
    "register_contact",
    "register_customers",
    "reject_suggestion",
    "request_erasure",
    "unmerge_customers",
    "update_customer",
]


def register_customers(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    inputs: Sequence[CustomerInput],
    *,
    actor: str | None = None,
) -> list[uuid.UUID]:
    """Create one profile per input WITHOUT resolution (the inputs are known to be distinct
    people, e.g. the demo generator); profiles are indexed so later contacts resolve to them."""
    ids: list[uuid.UUID] = []
    with uow.transaction(workspace_id, actor) as tx:
        workspace = workspace_queries.workspace_by_id(tx.session, workspace_id)
        customers: list[dict[str, Any]] = []
        identifiers: list[dict[str, Any]] = []
        match_keys: list[dict[str, Any]] = []
        terms: list[dict[str, Any]] = []
        for item in inputs:
            customer_id = new_id()
            ids.append(customer_id)
            seen_at = item.first_seen_at or tx.now
            if seen_at.tzinfo is None:
                raise InvalidInput("first_seen_at needs a time zone", code="invalid_input")
            country = (item.country or workspace.country).upper()
            customers.append(
                {
                    "id": customer_id,
                    "workspace_id": workspace_id,
                    "display_name": item.display_name,
                    "language": item.language,
                    "country": country,
                    "home_location_id": uuid.UUID(item.home_location_id)
                    if item.home_location_id
                    else None,
                    "attributes": item.attributes,
                    "tags": [],
                    "status": "active",
                    "created_at": seen_at,
                    "updated_at": seen_at,
                }
            )
            seen: list[IdentifierSeen] = []
            for ident in item.identifiers:
                key = normalize(ident.kind, ident.value, country)
                identifiers.append(
                    {
                        "id": new_id(),
                        "workspace_id": workspace_id,
                        "customer_id": customer_id,
                        "kind": ident.kind,
                        "raw_value": ident.value,
                        "normalized_value": key,
                        "channel_value": None,
                        "shared": False,
                        "source_channel": ident.source_channel,
                        "verified": ident.verified,
                        "first_seen_at": ident.first_seen_at or seen_at,
                        "last_seen_at": ident.last_seen_at or ident.first_seen_at or seen_at,
                    }
                )
                seen.append(
                    IdentifierSeen(
                        kind=ident.kind,
                        raw_value=ident.value,
                        normalized_value=key,
                        source_channel=ident.source_channel,
                    )
                )
            record = record_from_contact(
                str(customer_id),
                ContactInput(
                    name=item.display_name,
                    identifiers=[
                        IdentifierInput(kind=i.kind, value=i.value) for i in item.identifiers
                    ],
                    country=country,
                ),
                country,
            )
            match_keys.extend(
                {"customer_id": customer_id, "key": k[:200], "workspace_id": workspace_id}
                for k in dict.fromkeys(blocking_keys(record))
            )
            terms.extend(
                {"customer_id": customer_id, "term": t, "workspace_id": workspace_id}
                for t in dict.fromkeys(fold(t)[:80] for t in name_tokens(item.display_name))
            )
            tx.record(
                CustomerRegistered(
                    customer_id=customer_id,
                    display_name=item.display_name,
                    source_channel=item.source_channel,
                    identifiers=tuple(seen),
                ),
                occurred_at=seen_at,
            )
        for model, rows in (
            (Customer, customers),
            (CustomerIdentifier, identifiers),
            (CustomerMatchKey, match_keys),
            (CustomerSearchTerm, terms),
        ):
            if rows:
                tx.session.execute(insert(model), rows)
    return ids
