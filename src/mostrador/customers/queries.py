"""Reads of customer profiles, always scoped to a workspace and aware of merge groups.

A person may be several stored profiles joined by merges; ``canonical_id`` finds the
surviving profile and ``group_ids`` every profile it absorbed, so reads see the whole person.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from mostrador.core.errors import NotFound
from mostrador.core.event_log import EventRecord
from mostrador.core.ids import WorkspaceId
from mostrador.customers.consent_rules import ConsentDecision, group_allows
from mostrador.customers.models import (
    Consent,
    Customer,
    CustomerIdentifier,
    CustomerMerge,
    MergeSuggestion,
)

MAX_MERGE_DEPTH = 50


def customer(session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID) -> Customer:
    """One stored profile (active, merged or blocked) of this workspace."""
    found = session.execute(
        select(Customer).where(Customer.workspace_id == workspace_id, Customer.id == customer_id)
    ).scalar_one_or_none()
    if found is None or found.status == "erased":
        raise NotFound("no such customer", code="customer_not_found")
    return found


def canonical_id(session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID) -> uuid.UUID:
    """The profile that currently stands for this person (follows merges to the survivor)."""
    current = customer(session, workspace_id, customer_id)
    for _ in range(MAX_MERGE_DEPTH):
        if current.merged_into_id is None:
            return current.id
        current = customer(session, workspace_id, current.merged_into_id)
    raise NotFound("merge chain too long", code="customer_not_found")


def canonical_customer(
    session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID
) -> Customer:
    return customer(session, workspace_id, canonical_id(session, workspace_id, customer_id))


def group_ids(
    session: Session, workspace_id: WorkspaceId, survivor_id: uuid.UUID
) -> list[uuid.UUID]:
    """The survivor first, then every profile merged into it (directly or not), oldest first."""
    found = [survivor_id]
    frontier = [survivor_id]
    while frontier:
        children = (
            session.execute(
                select(Customer.id)
                .where(Customer.workspace_id == workspace_id, Customer.merged_into_id.in_(frontier))
                .order_by(Customer.id)
            )
            .scalars()
            .all()
        )
        frontier = [c for c in children if c not in found]
        found.extend(frontier)
    return found


def identifiers(
    session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID]
) -> Sequence[CustomerIdentifier]:
    return (
        session.execute(
            select(CustomerIdentifier)
            .where(
                CustomerIdentifier.workspace_id == workspace_id,
                CustomerIdentifier.customer_id.in_(customer_ids),
            )
            .order_by(CustomerIdentifier.first_seen_at, CustomerIdentifier.id)
        )
        .scalars()
        .all()
    )


def consent_rows(
    session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID]
) -> Sequence[Consent]:
    return (
        session.execute(
            select(Consent)
            .where(Consent.workspace_id == workspace_id, Consent.customer_id.in_(customer_ids))
            .order_by(Consent.recorded_at, Consent.id)
        )
        .scalars()
        .all()
    )


def consent_decisions(rows: Sequence[Consent]) -> dict[str, list[ConsentDecision]]:
    """Consent rows grouped per profile, as the pure consent rules read them."""
    grouped: dict[str, list[ConsentDecision]] = {}
    for row in rows:
        grouped.setdefault(str(row.customer_id), []).append(
            ConsentDecision(
                customer_id=str(row.customer_id),
                purpose=row.purpose,
                channel=row.channel,
                granted=row.granted,
                recorded_at=row.recorded_at,
                source=row.source,
            )
        )
    return grouped


def timeline(
    session: Session,
    workspace_id: WorkspaceId,
    customer_ids: Sequence[uuid.UUID],
    *,
    limit: int = 200,
) -> Sequence[EventRecord]:
    """The person's events from the log, newest first (redacted ones left out)."""
    return (
        session.execute(
            select(EventRecord)
            .where(
                EventRecord.workspace_id == workspace_id,
                EventRecord.customer_id.in_(customer_ids),
                EventRecord.redacted_at.is_(None),
            )
            .order_by(EventRecord.occurred_at.desc(), EventRecord.id.desc())
            .limit(limit)
        )
        .scalars()
        .all()
    )


def merges(
    session: Session, workspace_id: WorkspaceId, customer_ids: Sequence[uuid.UUID]
) -> Sequence[CustomerMerge]:
    return (
        session.execute(
            select(CustomerMerge)
            .where(
                CustomerMerge.workspace_id == workspace_id,
                or_(
                    CustomerMerge.survivor_id.in_(customer_ids),
                    CustomerMerge.merged_id.in_(customer_ids),
                ),
            )
            .order_by(CustomerMerge.merged_at, CustomerMerge.id)
        )
        .scalars()
        .all()
    )


def merge_record(session: Session, workspace_id: WorkspaceId, merge_id: uuid.UUID) -> CustomerMerge:
    found = session.execute(
        select(CustomerMerge).where(
            CustomerMerge.workspace_id == workspace_id, CustomerMerge.id == merge_id
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such merge", code="merge_not_found")
    return found


def suggestion(
    session: Session, workspace_id: WorkspaceId, suggestion_id: uuid.UUID
) -> MergeSuggestion:
    found = session.execute(
        select(MergeSuggestion).where(
            MergeSuggestion.workspace_id == workspace_id, MergeSuggestion.id == suggestion_id
        )
    ).scalar_one_or_none()
    if found is None:
        raise NotFound("no such merge suggestion", code="suggestion_not_found")
    return found


def suggestions(
    session: Session,
    workspace_id: WorkspaceId,
    *,
    customer_ids: Sequence[uuid.UUID] | None = None,
    status: str | None = "open",
    limit: int = 100,
) -> Sequence[MergeSuggestion]:
    query = select(MergeSuggestion).where(MergeSuggestion.workspace_id == workspace_id)
    if customer_ids is not None:
        query = query.where(
            or_(
                MergeSuggestion.customer_a_id.in_(customer_ids),
                MergeSuggestion.customer_b_id.in_(customer_ids),
            )
        )
    if status is not None:
        query = query.where(MergeSuggestion.status == status)
    return (
        session.execute(
            query.order_by(MergeSuggestion.score.desc(), MergeSuggestion.id).limit(limit)
        )
        .scalars()
        .all()
    )


def pair_rejected(session: Session, workspace_id: WorkspaceId, a: uuid.UUID, b: uuid.UUID) -> bool:
    """Whether a person said these two profiles are not the same person."""
    first, second = sorted((a, b))
    return (
        session.execute(
            select(MergeSuggestion.id).where(
                MergeSuggestion.workspace_id == workspace_id,
                MergeSuggestion.customer_a_id == first,
                MergeSuggestion.customer_b_id == second,
                MergeSuggestion.status == "rejected",
            )
        ).first()
        is not None
    )


def count_customers(session: Session, workspace_id: WorkspaceId) -> int:
    """People, not profiles: merged, blocked and erased profiles are not counted."""
    return int(
        session.execute(
            select(func.count())
            .select_from(Customer)
            .where(Customer.workspace_id == workspace_id, Customer.status == "active")
        ).scalar_one()
    )


def consents_allow(
    session: Session, workspace_id: WorkspaceId, customer_id: uuid.UUID, purpose: str, channel: str
) -> bool:
    """Whether the person (every merged profile) consents to ``purpose`` on ``channel`` now."""
    survivor = canonical_id(session, workspace_id, customer_id)
    rows = consent_rows(session, workspace_id, group_ids(session, workspace_id, survivor))
    return group_allows(consent_decisions(rows), purpose, channel)
