"""Real-time identity resolution: attach a contact to its customer, or create one, inside the
caller's transaction (an inbound message, an order, an import line).

Cost does not grow with the number of customers: exact identifier keys and a few blocking
keys are index lookups, then at most ``MAX_CANDIDATES`` profiles are scored by the engine.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select

from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import queries
from mostrador.customers.build import record_from_contact
from mostrador.customers.events import (
    CustomerRegistered,
    IdentifierAttached,
    IdentifierSeen,
)
from mostrador.customers.merging import suggest_in
from mostrador.customers.models import (
    Customer,
    CustomerIdentifier,
    CustomerMatchKey,
    CustomerSearchTerm,
)
from mostrador.customers.names import fold, name_tokens
from mostrador.customers.normalize import normalize
from mostrador.customers.records import IdentityRecord, Key
from mostrador.customers.resolution import Candidate, Decision, blocking_keys, decide, lookup_keys
from mostrador.customers.schemas import ContactInput, IdentifierInput
from mostrador.customers.sharing import key_kind, mark_shared, stored_kinds

MAX_CANDIDATES = 12


@dataclass(frozen=True)
class Resolved:
    customer_id: uuid.UUID
    outcome: str  # attached | created | suggested
    score: float | None
    suggestion_ids: tuple[uuid.UUID, ...] = ()


def _customers_with_keys(tx: Tx, workspace_id: WorkspaceId, keys: Sequence[Key]) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    for key in keys:
        rows = tx.session.execute(
            select(CustomerIdentifier.customer_id)
            .where(
                CustomerIdentifier.workspace_id == workspace_id,
                CustomerIdentifier.kind.in_(stored_kinds(key.kind)),
                CustomerIdentifier.normalized_value == key.value,
            )
            .limit(MAX_CANDIDATES)
        ).scalars()
        found.extend(rows)
    return found


def _customers_with_blocking_keys(
    tx: Tx, workspace_id: WorkspaceId, keys: Sequence[str]
) -> list[uuid.UUID]:
    if not keys:
        return []
    return list(
        tx.session.execute(
            select(CustomerMatchKey.customer_id)
            .where(CustomerMatchKey.workspace_id == workspace_id, CustomerMatchKey.key.in_(keys))
            .limit(MAX_CANDIDATES * 4)
        ).scalars()
    )


def _canonical_active(
    tx: Tx, workspace_id: WorkspaceId, ids: Iterable[uuid.UUID]
) -> list[uuid.UUID]:
    result: list[uuid.UUID] = []
    for customer_id in dict.fromkeys(ids):
        survivor = queries.canonical_customer(tx.session, workspace_id, customer_id)
        if survivor.status == "active" and survivor.id not in result:
            result.append(survivor.id)
        if len(result) >= MAX_CANDIDATES:
            break
    return result


def stored_record(
    tx: Tx, workspace_id: WorkspaceId, survivor_id: uuid.UUID
) -> tuple[IdentityRecord, frozenset[Key]]:
    """The engine's view of a stored person (all merged profiles) and its shared keys."""
    survivor = queries.customer(tx.session, workspace_id, survivor_id)
    members = queries.group_ids(tx.session, workspace_id, survivor_id)
    idents = queries.identifiers(tx.session, workspace_id, members)
    contact = ContactInput(
        name=survivor.display_name,
        identifiers=[
            IdentifierInput(kind=i.kind, value=i.raw_value, source_channel=i.source_channel)
            for i in idents
        ],
        country=survivor.country,
        city=survivor.city,
        address=survivor.address,
        postcode=survivor.postcode,
        birth_date=survivor.birth_date,
    )
    record = record_from_contact(str(survivor_id), contact, survivor.country or "AR")
    shared = frozenset(
        Key(key_kind(i.kind), i.normalized_value) for i in idents if i.shared and i.normalized_value
    )
    return record, shared


def _candidates(tx: Tx, workspace_id: WorkspaceId, record: IdentityRecord) -> list[Candidate]:
    exact = _customers_with_keys(tx, workspace_id, lookup_keys(record))
    by_name = _customers_with_blocking_keys(tx, workspace_id, blocking_keys(record))
    candidates = []
    for survivor_id in _canonical_active(tx, workspace_id, [*exact, *by_name]):
        stored, shared = stored_record(tx, workspace_id, survivor_id)
        candidates.append(
            Candidate(
                customer_id=str(survivor_id), record=stored, shared_keys=shared, rejected=False
            )
        )
    return candidates


def resolve_contact(tx: Tx, workspace_id: WorkspaceId, contact: ContactInput) -> Resolved:
    """Attach ``contact`` to its customer, create one, or create one and suggest merges."""
    workspace = workspace_queries.workspace_by_id(tx.session, workspace_id)
    country = contact.country or workspace.country
    record = record_from_contact("incoming", contact, country)
    candidates = _candidates(tx, workspace_id, record)
    decision: Decision = decide(record, candidates)
    if decision.action == "attach" and decision.customer_id is not None:
        customer_id = uuid.UUID(decision.customer_id)
        _attach(tx, workspace_id, customer_id, contact, country, decision)
        return Resolved(customer_id, "attached", decision.score.total if decision.score else None)
    customer_id = _create(tx, workspace_id, contact, country, record)
    suggested = {other_id for other_id, _score in decision.suggestions}
    distinct = [c for c in candidates if c.customer_id not in suggested]
    _mark_shared_keys(tx, workspace_id, record, distinct, customer_id)
    suggestion_ids = []
    for other_id, score in decision.suggestions:
        row = suggest_in(
            tx,
            workspace_id,
            customer_id,
            uuid.UUID(other_id),
            score=score.total,
            explanation=[list(item) for item in score.explanation],
        )
        if row is not None:
            suggestion_ids.append(row.id)
    outcome = "suggested" if suggestion_ids else "created"
    return Resolved(customer_id, outcome, None, tuple(suggestion_ids))


def _identifier_row(
    tx: Tx, workspace_id: WorkspaceId, customer_id: uuid.UUID, ident: IdentifierInput, country: str
) -> CustomerIdentifier:
    seen = ident.first_seen_at or tx.now
    return CustomerIdentifier(
        id=new_id(),
        workspace_id=workspace_id,
        customer_id=customer_id,
        kind=ident.kind,
        raw_value=ident.value,
        normalized_value=normalize(ident.kind, ident.value, country),
        channel_value=ident.value
        if ident.kind in ("whatsapp_id", "whatsapp_bsuid", "messenger_psid", "telegram")
        else None,
        source_channel=ident.source_channel,
        verified=ident.verified,
        shared=False,
        first_seen_at=seen,
        last_seen_at=ident.last_seen_at or seen,
    )


def _seen(row: CustomerIdentifier) -> IdentifierSeen:
    return IdentifierSeen(
        kind=row.kind,
        raw_value=row.raw_value,
        normalized_value=row.normalized_value,
        source_channel=row.source_channel,
    )


def _create(
    tx: Tx, workspace_id: WorkspaceId, contact: ContactInput, country: str, record: IdentityRecord
) -> uuid.UUID:
    customer_id = new_id()
    tx.session.add(
        Customer(
            id=customer_id,
            workspace_id=workspace_id,
            display_name=contact.name or _fallback_name(contact),
            language=contact.language or "es",
            country=country,
            attributes={},
            tags=[],
            city=contact.city,
            address=contact.address,
            postcode=contact.postcode,
            birth_date=contact.birth_date,
            status="active",
            created_at=tx.now,
            updated_at=tx.now,
        )
    )
    tx.session.flush()
    rows = [_identifier_row(tx, workspace_id, customer_id, i, country) for i in contact.identifiers]
    tx.session.add_all(rows)
    index_customer(tx, workspace_id, customer_id, record)
    tx.record(
        CustomerRegistered(
            customer_id=customer_id,
            display_name=contact.name,
            source_channel=contact.source_channel,
            identifiers=tuple(_seen(r) for r in rows),
        )
    )
    return customer_id


def _fallback_name(contact: ContactInput) -> str:
    return contact.identifiers[0].value if contact.identifiers else ""


def index_customer(
    tx: Tx,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    record: IdentityRecord,
    *,
    replace: bool = False,
) -> None:
    """Store the blocking keys and name terms that make this profile findable in real time."""
    if replace:
        for model in (CustomerMatchKey, CustomerSearchTerm):
            tx.session.execute(delete(model).where(model.customer_id == customer_id))
    for key in dict.fromkeys(k[:200] for k in blocking_keys(record)):
        tx.session.merge(
            CustomerMatchKey(customer_id=customer_id, key=key, workspace_id=workspace_id)
        )
    for term in dict.fromkeys(fold(t)[:80] for t in name_tokens(record.name)):
        tx.session.merge(
            CustomerSearchTerm(customer_id=customer_id, term=term, workspace_id=workspace_id)
        )


def _attach(
    tx: Tx,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    contact: ContactInput,
    country: str,
    decision: Decision,
) -> None:
    members = queries.group_ids(tx.session, workspace_id, customer_id)
    existing = {
        (i.kind, i.normalized_value or i.raw_value): i
        for i in queries.identifiers(tx.session, workspace_id, members)
    }
    score = decision.score.total if decision.score else None
    for ident in contact.identifiers:
        key = normalize(ident.kind, ident.value, country)
        known = existing.get((ident.kind, key or ident.value))
        if known is not None:
            known.last_seen_at = max(known.last_seen_at, ident.last_seen_at or tx.now)
            continue
        row = _identifier_row(tx, workspace_id, customer_id, ident, country)
        tx.session.add(row)
        existing[(row.kind, row.normalized_value or row.raw_value)] = row
        tx.record(IdentifierAttached(customer_id=customer_id, identifier=_seen(row), score=score))
    survivor = queries.customer(tx.session, workspace_id, customer_id)
    for field in ("city", "address", "postcode"):
        if not getattr(survivor, field) and getattr(contact, field):
            setattr(survivor, field, getattr(contact, field))
    if survivor.birth_date is None and contact.birth_date is not None:
        survivor.birth_date = contact.birth_date
    survivor.updated_at = tx.now


def _mark_shared_keys(
    tx: Tx,
    workspace_id: WorkspaceId,
    record: IdentityRecord,
    candidates: Sequence[Candidate],
    new_customer_id: uuid.UUID,
) -> None:
    """An exact key held by someone the engine judged a different person is shared."""
    for key in record.keys:
        holders = [c for c in candidates if key in c.record.keys and key not in c.shared_keys]
        if holders:
            ids = [uuid.UUID(c.customer_id) for c in holders]
            mark_shared(tx, workspace_id, key.kind, key.value, [*ids, new_customer_id])
