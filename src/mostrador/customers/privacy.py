"""Data-subject rights: export everything about a person; erase it (blocked, then purged).

Erasure blocks the whole person at once (hidden from search and matching, never contacted)
and purges personal data after the retention period: identifiers, consents and search keys
are deleted, the profile is anonymized, and the payloads of the person's events are redacted.
Records other contexts keep for accounting (orders) keep the anonymous customer id.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select, update

from mostrador.core.errors import Conflict, InvalidInput
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.customers import queries
from mostrador.customers.customer_360 import person_document
from mostrador.customers.events import (
    CustomerDataExported,
    CustomerErasureRequested,
    CustomerPurged,
)
from mostrador.customers.models import (
    Consent,
    Customer,
    CustomerIdentifier,
    CustomerMatchKey,
    CustomerSearchTerm,
)

DEFAULT_RETENTION = timedelta(days=30)


def export_customer(
    uow: UnitOfWork, workspace_id: WorkspaceId, customer_id: uuid.UUID, *, actor: str | None = None
) -> dict[str, Any]:
    """Everything stored about the person (all merged profiles), as JSON-ready data. Audited."""
    with uow.transaction(workspace_id, actor) as tx:
        survivor = queries.canonical_id(tx.session, workspace_id, customer_id)
        document = person_document(tx.session, workspace_id, survivor, timeline_limit=None)
        tx.record(CustomerDataExported(customer_id=survivor))
    document["exported_at"] = tx.now.isoformat()
    return document


def request_erasure(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    *,
    retention: timedelta = DEFAULT_RETENTION,
    actor: str | None = None,
) -> Customer:
    """Block the person now; their data is purged once ``retention`` has passed."""
    if retention < timedelta(0):
        raise InvalidInput("retention cannot be negative", code="invalid_input")
    with uow.transaction(workspace_id, actor) as tx:
        survivor = queries.canonical_customer(tx.session, workspace_id, customer_id)
        if survivor.status == "blocked":
            raise Conflict("erasure was already requested", code="erasure_already_requested")
        purge_after = tx.now + retention
        for member_id in queries.group_ids(tx.session, workspace_id, survivor.id):
            member = queries.customer(tx.session, workspace_id, member_id)
            if member_id == survivor.id:
                member.status = "blocked"
            member.erasure_requested_at = tx.now
            member.purge_after = purge_after
            member.updated_at = tx.now
        tx.record(
            CustomerErasureRequested(customer_id=survivor.id, purge_after=purge_after.isoformat())
        )
        return survivor


def purge_due(uow: UnitOfWork, workspace_id: WorkspaceId, *, actor: str | None = None) -> int:
    """Purge every person whose erasure retention has passed; returns how many."""
    now = uow.clock.now()
    with uow.read() as session:
        due = (
            session.execute(
                select(Customer.id).where(
                    Customer.workspace_id == workspace_id,
                    Customer.status == "blocked",
                    Customer.purge_after <= now,
                )
            )
            .scalars()
            .all()
        )
    for survivor_id in due:
        _purge_person(uow, workspace_id, survivor_id, actor=actor)
    return len(due)


def _purge_person(
    uow: UnitOfWork, workspace_id: WorkspaceId, survivor_id: uuid.UUID, *, actor: str | None
) -> None:
    with uow.transaction(workspace_id, actor) as tx:
        members = queries.group_ids(tx.session, workspace_id, survivor_id)
        for model in (CustomerIdentifier, Consent, CustomerMatchKey, CustomerSearchTerm):
            tx.session.execute(
                delete(model).where(
                    model.workspace_id == workspace_id, model.customer_id.in_(members)
                )
            )
        tx.session.execute(
            update(Customer)
            .where(Customer.workspace_id == workspace_id, Customer.id.in_(members))
            .values(
                display_name="",
                attributes={},
                tags=[],
                city="",
                address="",
                postcode="",
                birth_date=None,
                preferred_channel=None,
                status="erased",
                updated_at=tx.now,
            )
        )
        tx.session.execute(
            update(EventRecord)
            .where(
                EventRecord.workspace_id == workspace_id,
                EventRecord.customer_id.in_(members),
                EventRecord.redacted_at.is_(None),
            )
            .values(payload={}, redacted_at=tx.now)
        )
        tx.record(CustomerPurged(customer_id=survivor_id))
