"""The customer 360 over HTTP: search, profile, identifiers, consents, merges, privacy."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from mostrador.commerce import customer_commerce
from mostrador.conversations import queries as conversation_queries
from mostrador.core.access import Permission, Principal
from mostrador.core.errors import NotFound
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import (
    ConsentInput,
    ContactInput,
    Customer,
    CustomerPatch,
    actions,
    person_document,
    queries,
    search_customers,
)
from mostrador.web.deps import RuntimeDep, allowed
from mostrador.web.idempotency import run_idempotent

router = APIRouter(tags=["customers"])

Viewer = Annotated[Principal, Depends(allowed(Permission.VIEW_CUSTOMERS))]
Editor = Annotated[Principal, Depends(allowed(Permission.EDIT_CUSTOMERS))]
Merger = Annotated[Principal, Depends(allowed(Permission.MERGE_CUSTOMERS))]
Exporter = Annotated[Principal, Depends(allowed(Permission.EXPORT_CUSTOMER_DATA))]
Eraser = Annotated[Principal, Depends(allowed(Permission.ERASE_CUSTOMERS))]


def _id(value: str, what: str = "customer") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound(f"no such {what}", code=f"{what}_not_found") from None


class CustomerSummary(BaseModel):
    id: str
    display_name: str
    city: str
    preferred_channel: str | None


def summary(c: Customer) -> CustomerSummary:
    return CustomerSummary(
        id=str(c.id),
        display_name=c.display_name,
        city=c.city,
        preferred_channel=c.preferred_channel,
    )


class ResolvedOut(BaseModel):
    customer_id: str
    outcome: str
    score: float | None
    suggestion_ids: list[str]


class MergeIn(BaseModel):
    other_customer_id: str = Field(description="the profile to fold into this one")


class MergeOut(BaseModel):
    id: str
    survivor_id: str
    merged_id: str
    reason: str
    undone: bool


class ErasureIn(BaseModel):
    retention_days: int = Field(default=30, ge=0, le=3650)


@router.get("/customers", response_model=list[CustomerSummary])
def find_customers(
    runtime: RuntimeDep,
    principal: Viewer,
    q: Annotated[
        str,
        Query(min_length=1, max_length=200, description="phone, e-mail, document, @handle or name"),
    ],
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[CustomerSummary]:
    with runtime.uow.read() as session:
        country = workspace_queries.workspace_by_id(session, principal.workspace_id).country
        found = search_customers(session, principal.workspace_id, q, country=country, limit=limit)
        return [summary(c) for c in found]


@router.post("/customers", status_code=201, response_model=ResolvedOut)
async def bring_in_contact(
    data: ContactInput, request: Request, runtime: RuntimeDep, principal: Editor
) -> JSONResponse:
    """Resolve a contact: the existing customer it belongs to, or a new one."""

    def create() -> tuple[int, dict[str, Any]]:
        resolved = actions.register_contact(
            runtime.uow, principal.workspace_id, data, actor=principal.actor
        )
        body = ResolvedOut(
            customer_id=str(resolved.customer_id),
            outcome=resolved.outcome,
            score=resolved.score,
            suggestion_ids=[str(s) for s in resolved.suggestion_ids],
        )
        return (200 if resolved.outcome == "attached" else 201), body.model_dump()

    return await run_idempotent(request, runtime, principal, create)


@router.get("/customers/{customer_id}")
def customer_360(customer_id: str, runtime: RuntimeDep, principal: Viewer) -> dict[str, Any]:
    """The person: profile, merged profiles, identifiers, consents, suggestions, timeline.

    An id that was merged answers with the surviving profile (``id`` says which)."""
    with runtime.uow.read() as session:
        survivor = queries.canonical_id(session, principal.workspace_id, _id(customer_id))
        if queries.customer(session, principal.workspace_id, survivor).status != "active":
            raise NotFound("no such customer", code="customer_not_found")
        document = person_document(session, principal.workspace_id, survivor)
        workspace = workspace_queries.workspace_by_id(session, principal.workspace_id)
        group = queries.group_ids(session, principal.workspace_id, survivor)
        document["commerce"] = customer_commerce(
            session, principal.workspace_id, group, workspace.currency, runtime.clock.now()
        )
        document["conversations"] = conversation_queries.customer_section(
            session, principal.workspace_id, survivor
        )
        return document


@router.patch("/customers/{customer_id}", response_model=CustomerSummary)
def edit_customer(
    customer_id: str, patch: CustomerPatch, runtime: RuntimeDep, principal: Editor
) -> CustomerSummary:
    updated = actions.update_customer(
        runtime.uow, principal.workspace_id, _id(customer_id), patch, actor=principal.actor
    )
    return summary(updated)


@router.post("/customers/{customer_id}/consents", status_code=201)
def change_consent(
    customer_id: str, data: ConsentInput, runtime: RuntimeDep, principal: Editor
) -> dict[str, Any]:
    row = actions.record_consent(
        runtime.uow,
        principal.workspace_id,
        _id(customer_id),
        purpose=data.purpose,
        channel=data.channel,
        granted=data.granted,
        source=data.source,
        evidence=data.evidence,
        actor=principal.actor,
    )
    return {
        "customer_id": str(row.customer_id),
        "purpose": row.purpose,
        "channel": row.channel,
        "granted": row.granted,
        "source": row.source,
        "recorded_at": row.recorded_at.isoformat(),
    }


def _merge_out(record: Any) -> MergeOut:
    return MergeOut(
        id=str(record.id),
        survivor_id=str(record.survivor_id),
        merged_id=str(record.merged_id),
        reason=record.reason,
        undone=record.undone_at is not None,
    )


@router.post("/customers/{customer_id}/merge", response_model=MergeOut)
def merge_into(customer_id: str, data: MergeIn, runtime: RuntimeDep, principal: Merger) -> MergeOut:
    """Fold ``other_customer_id`` into this customer (both must be of this workspace)."""
    record = actions.merge_customers(
        runtime.uow,
        principal.workspace_id,
        _id(customer_id),
        _id(data.other_customer_id),
        actor=principal.actor,
    )
    return _merge_out(record)


@router.post("/merges/{merge_id}/undo", response_model=MergeOut)
def undo_merge(merge_id: str, runtime: RuntimeDep, principal: Merger) -> MergeOut:
    record = actions.unmerge_customers(
        runtime.uow, principal.workspace_id, _id(merge_id, "merge"), actor=principal.actor
    )
    return _merge_out(record)


@router.get("/merge-suggestions")
def list_suggestions(
    runtime: RuntimeDep,
    principal: Viewer,
    status: Annotated[str, Query(pattern="^(open|accepted|rejected)$")] = "open",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        rows = queries.suggestions(session, principal.workspace_id, status=status, limit=limit)
        return [
            {
                "id": str(r.id),
                "customer_a_id": str(r.customer_a_id),
                "customer_b_id": str(r.customer_b_id),
                "score": r.score,
                "explanation": r.explanation,
                "status": r.status,
            }
            for r in rows
        ]


@router.post("/merge-suggestions/{suggestion_id}/accept", response_model=MergeOut)
def accept(suggestion_id: str, runtime: RuntimeDep, principal: Merger) -> MergeOut:
    record = actions.accept_suggestion(
        runtime.uow, principal.workspace_id, _id(suggestion_id, "suggestion"), actor=principal.actor
    )
    return _merge_out(record)


@router.post("/merge-suggestions/{suggestion_id}/reject")
def reject(suggestion_id: str, runtime: RuntimeDep, principal: Merger) -> dict[str, str]:
    row = actions.reject_suggestion(
        runtime.uow, principal.workspace_id, _id(suggestion_id, "suggestion"), actor=principal.actor
    )
    return {"id": str(row.id), "status": row.status}


@router.get("/customers/{customer_id}/export")
def export(customer_id: str, runtime: RuntimeDep, principal: Exporter) -> dict[str, Any]:
    """Everything about the person, as JSON (the access/portability right). Audited."""
    return actions.export_customer(
        runtime.uow, principal.workspace_id, _id(customer_id), actor=principal.actor
    )


@router.post("/customers/{customer_id}/erasure", status_code=202)
def erase(
    customer_id: str, data: ErasureIn, runtime: RuntimeDep, principal: Eraser
) -> dict[str, Any]:
    """Block the person now; personal data is purged after ``retention_days``."""
    from datetime import timedelta

    blocked = actions.request_erasure(
        runtime.uow,
        principal.workspace_id,
        _id(customer_id),
        retention=timedelta(days=data.retention_days),
        actor=principal.actor,
    )
    return {
        "customer_id": str(blocked.id),
        "status": blocked.status,
        "purge_after": blocked.purge_after.isoformat() if blocked.purge_after else None,
    }
