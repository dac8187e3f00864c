"""Joining two profiles of one person, undoing it, and deciding on merge suggestions.

Writers: one transaction each, with an audit record (``CustomerMerge``) and events.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select

from mostrador.core.errors import Conflict, InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork
from mostrador.customers import queries
from mostrador.customers.events import (
    CustomersMerged,
    CustomersUnmerged,
    MergeSuggested,
    MergeSuggestionRejected,
)
from mostrador.customers.models import Customer, CustomerMerge, MergeSuggestion
from mostrador.customers.scoring import conflicting_documents
from mostrador.customers.sharing import mark_common_keys_shared

MERGE_REASONS = ("automatic", "suggestion", "manual")


def _document_keys(tx: Tx, workspace_id: WorkspaceId, ids: Sequence[uuid.UUID]) -> set[str]:
    return {
        i.normalized_value
        for i in queries.identifiers(tx.session, workspace_id, ids)
        if i.kind == "document" and i.normalized_value
    }


def _active(tx: Tx, workspace_id: WorkspaceId, customer_id: uuid.UUID) -> Customer:
    found = queries.customer(tx.session, workspace_id, customer_id)
    if found.status != "active":
        raise Conflict(f"customer {customer_id} is {found.status}", code=f"customer_{found.status}")
    return found


def merge_in(
    tx: Tx,
    workspace_id: WorkspaceId,
    survivor_id: uuid.UUID,
    merged_id: uuid.UUID,
    *,
    reason: str,
    score: float | None = None,
    explanation: Sequence[Any] = (),
) -> CustomerMerge:
    """Merge within an open transaction (real-time resolution uses it); see ``merge_customers``."""
    if reason not in MERGE_REASONS:
        raise InvalidInput(f"unknown merge reason {reason!r}", code="invalid_input")
    survivor_id = queries.canonical_id(tx.session, workspace_id, survivor_id)
    merged_id = queries.canonical_id(tx.session, workspace_id, merged_id)
    if survivor_id == merged_id:
        raise Conflict("these profiles are already one customer", code="already_merged")
    survivor = _active(tx, workspace_id, survivor_id)
    merged = _active(tx, workspace_id, merged_id)
    survivor_group = queries.group_ids(tx.session, workspace_id, survivor.id)
    merged_group = queries.group_ids(tx.session, workspace_id, merged.id)
    if conflicting_documents(
        _document_keys(tx, workspace_id, survivor_group),
        _document_keys(tx, workspace_id, merged_group),
    ):
        raise Conflict(
            "the two profiles hold different identity documents", code="conflicting_documents"
        )
    merged.merged_into_id = survivor.id
    merged.status = "merged"
    merged.updated_at = tx.now
    record = CustomerMerge(
        id=new_id(),
        workspace_id=workspace_id,
        survivor_id=survivor.id,
        merged_id=merged.id,
        reason=reason,
        score=score,
        explanation=list(explanation),
        merged_at=tx.now,
        merged_by=tx.actor,
        undone_at=None,
        undone_by=None,
    )
    tx.session.add(record)
    _decide_pair(tx, workspace_id, survivor.id, merged.id, "accepted")
    tx.record(
        CustomersMerged(
            merge_id=record.id,
            customer_id=survivor.id,
            merged_customer_id=merged.id,
            reason=reason,
            score=score,
        )
    )
    return record


def merge_customers(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    survivor_id: uuid.UUID,
    merged_id: uuid.UUID,
    *,
    reason: str = "manual",
    actor: str | None = None,
) -> CustomerMerge:
    """Make ``merged_id`` part of ``survivor_id``: one person, nothing of either lost."""
    with uow.transaction(workspace_id, actor) as tx:
        return merge_in(tx, workspace_id, survivor_id, merged_id, reason=reason)


def unmerge_customers(
    uow: UnitOfWork, workspace_id: WorkspaceId, merge_id: uuid.UUID, *, actor: str | None = None
) -> CustomerMerge:
    """Undo a merge: both profiles are again what they were; the pair is remembered as
    'not the same person' so it is never merged or suggested again automatically."""
    with uow.transaction(workspace_id, actor) as tx:
        record = queries.merge_record(tx.session, workspace_id, merge_id)
        if record.undone_at is not None:
            raise Conflict("this merge was already undone", code="merge_already_undone")
        merged = queries.customer(tx.session, workspace_id, record.merged_id)
        if merged.merged_into_id != record.survivor_id:
            raise Conflict("the profile has changed since this merge", code="merge_superseded")
        merged.merged_into_id = None
        merged.status = "active"
        merged.updated_at = tx.now
        record.undone_at = tx.now
        record.undone_by = tx.actor
        _decide_pair(tx, workspace_id, record.survivor_id, record.merged_id, "rejected")
        mark_common_keys_shared(tx, workspace_id, record.survivor_id, merged.id)
        tx.record(
            CustomersUnmerged(
                merge_id=record.id, customer_id=record.survivor_id, restored_customer_id=merged.id
            )
        )
        return record


def _pair(a: uuid.UUID, b: uuid.UUID) -> tuple[uuid.UUID, uuid.UUID]:
    first, second = sorted((a, b))
    return first, second


def _find_pair(
    tx: Tx, workspace_id: WorkspaceId, a: uuid.UUID, b: uuid.UUID
) -> MergeSuggestion | None:
    first, second = _pair(a, b)
    return tx.session.execute(
        select(MergeSuggestion).where(
            MergeSuggestion.workspace_id == workspace_id,
            MergeSuggestion.customer_a_id == first,
            MergeSuggestion.customer_b_id == second,
        )
    ).scalar_one_or_none()


def _decide_pair(
    tx: Tx, workspace_id: WorkspaceId, a: uuid.UUID, b: uuid.UUID, status: str
) -> None:
    """Record the pair's outcome (creating the row if nobody suggested it)."""
    row = _find_pair(tx, workspace_id, a, b)
    if row is None:
        first, second = _pair(a, b)
        row = MergeSuggestion(
            id=new_id(),
            workspace_id=workspace_id,
            customer_a_id=first,
            customer_b_id=second,
            score=0.0,
            explanation=[],
            status=status,
            created_at=tx.now,
        )
        tx.session.add(row)
    row.status = status
    row.decided_at = tx.now
    row.decided_by = tx.actor


def suggest_in(
    tx: Tx,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    other_id: uuid.UUID,
    *,
    score: float,
    explanation: Sequence[Any],
) -> MergeSuggestion | None:
    """Propose a merge unless the pair was already decided; returns the open suggestion."""
    existing = _find_pair(tx, workspace_id, customer_id, other_id)
    if existing is not None:
        if existing.status == "open" and score > existing.score:
            existing.score = score
            existing.explanation = list(explanation)
        return existing if existing.status == "open" else None
    first, second = _pair(customer_id, other_id)
    row = MergeSuggestion(
        id=new_id(),
        workspace_id=workspace_id,
        customer_a_id=first,
        customer_b_id=second,
        score=score,
        explanation=list(explanation),
        status="open",
        created_at=tx.now,
        decided_at=None,
        decided_by=None,
    )
    tx.session.add(row)
    tx.record(
        MergeSuggested(
            suggestion_id=row.id, customer_id=customer_id, other_customer_id=other_id, score=score
        )
    )
    return row


def accept_suggestion(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    suggestion_id: uuid.UUID,
    *,
    actor: str | None = None,
) -> CustomerMerge:
    """Merge the pair; the older profile survives (its id is the one people already know)."""
    with uow.transaction(workspace_id, actor) as tx:
        row = queries.suggestion(tx.session, workspace_id, suggestion_id)
        if row.status != "open":
            raise Conflict(f"this suggestion is already {row.status}", code="suggestion_decided")
        a = queries.customer(tx.session, workspace_id, row.customer_a_id)
        b = queries.customer(tx.session, workspace_id, row.customer_b_id)
        survivor, merged = (a, b) if (a.created_at, a.id) <= (b.created_at, b.id) else (b, a)
        return merge_in(
            tx,
            workspace_id,
            survivor.id,
            merged.id,
            reason="suggestion",
            score=row.score,
            explanation=row.explanation,
        )


def reject_suggestion(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    suggestion_id: uuid.UUID,
    *,
    actor: str | None = None,
) -> MergeSuggestion:
    """'Not the same person': remembered, never suggested again."""
    with uow.transaction(workspace_id, actor) as tx:
        row = queries.suggestion(tx.session, workspace_id, suggestion_id)
        if row.status != "open":
            raise Conflict(f"this suggestion is already {row.status}", code="suggestion_decided")
        row.status = "rejected"
        row.decided_at = tx.now
        row.decided_by = tx.actor
        mark_common_keys_shared(
            tx,
            workspace_id,
            queries.canonical_id(tx.session, workspace_id, row.customer_a_id),
            queries.canonical_id(tx.session, workspace_id, row.customer_b_id),
        )
        tx.record(
            MergeSuggestionRejected(
                suggestion_id=row.id,
                customer_id=row.customer_a_id,
                other_customer_id=row.customer_b_id,
            )
        )
        return row
