"""The only writers of customer profiles.

``register_customers`` takes a batch in one transaction (the demo generator and imports
send thousands at a time); identity resolution across channels arrives with the
customers issue and will decide *whether* to register or to attach.
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
from mostrador.customers.events import CustomerRegistered, IdentifierSeen
from mostrador.customers.models import Customer, CustomerIdentifier
from mostrador.customers.normalize import normalize
from mostrador.customers.schemas import CustomerInput


def register_customers(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    inputs: Sequence[CustomerInput],
    *,
    actor: str | None = None,
) -> list[uuid.UUID]:
    """Create one profile per input, with its identifiers; returns the new ids in order."""
    ids: list[uuid.UUID] = []
    with uow.transaction(workspace_id, actor) as tx:
        workspace = workspace_queries.workspace_by_id(tx.session, workspace_id)
        customer_rows: list[dict[str, Any]] = []
        identifier_rows: list[dict[str, Any]] = []
        for item in inputs:
            customer_id = new_id()
            ids.append(customer_id)
            seen_at = item.first_seen_at or tx.now
            if seen_at.tzinfo is None:
                raise InvalidInput("first_seen_at needs a time zone", code="invalid_input")
            home = uuid.UUID(item.home_location_id) if item.home_location_id else None
            country = (item.country or workspace.country).upper()
            customer_rows.append(
                {
                    "id": customer_id,
                    "workspace_id": workspace_id,
                    "display_name": item.display_name,
                    "language": item.language,
                    "country": country,
                    "home_location_id": home,
                    "attributes": item.attributes,
                    "created_at": seen_at,
                    "updated_at": seen_at,
                }
            )
            seen: list[IdentifierSeen] = []
            for ident in item.identifiers:
                key = normalize(ident.kind, ident.value, country)
                identifier_rows.append(
                    {
                        "id": new_id(),
                        "workspace_id": workspace_id,
                        "customer_id": customer_id,
                        "kind": ident.kind,
                        "raw_value": ident.value,
                        "normalized_value": key,
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
            tx.record(
                CustomerRegistered(
                    customer_id=customer_id,
                    display_name=item.display_name,
                    source_channel=item.source_channel,
                    identifiers=tuple(seen),
                ),
                occurred_at=seen_at,
            )
        if customer_rows:
            tx.session.execute(insert(Customer), customer_rows)
        if identifier_rows:
            tx.session.execute(insert(CustomerIdentifier), identifier_rows)
    return ids
