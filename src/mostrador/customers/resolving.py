"""Real-time identity resolution: attach a contact to its customer, or create one, inside the
caller's transaction (an inbound message, an order, an import line).

Cost does not grow with the number of customers: exact identifier keys and a few blocking
keys are index lookups, then at most ``MAX_CANDIDATES`` profiles are scored by the engine.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, literal, select, text, union_all, update

from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.customers import queries
from mostrador.customers.build import record_from_contact, record_from_stored
from mostrador.customers.clustering import MAX_BLOCK, MAX_NAME_BLOCK
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


def _read(tx: Tx, statement: Any, params: dict[str, Any]) -> Any:
    """Plain Core reads on the transaction's connection: no ORM bookkeeping on the hot path
    (``resolve_contact`` flushes pending rows once before reading). The statements are built
    once, below, with bound parameters: SQLAlchemy then reuses their compiled form, and
    building a statement costs more than running an indexed lookup."""
    return tx.session.connection().execute(statement, params)


def block_limit(key: str) -> int:
    """How many profiles may share a blocking key before it is too common to use (as in batch)."""
    return MAX_NAME_BLOCK if key.startswith(("n:", "s:")) else MAX_BLOCK


def _slots(count: int) -> int:
    """Lookups are padded to a few statement sizes (1, 2, 4, 8, 16, 32...): each size is
    compiled and prepared once per process, instead of once per mix of keys."""
    size = 1
    while size < count:
        size *= 2
    return size


@lru_cache(maxsize=64)
def _holders_statement(exact: int, blocking: int) -> Any:
    """One round trip for every lookup of a contact: the holders of each of its ``exact``
    identifier keys, then of each ``blocking`` key (at most its limit + 1 rows, to see whether
    it is too common). Rows are tagged with the lookup's position."""
    parts = [
        select(literal(i).label("lookup"), CustomerIdentifier.customer_id)
        .where(
            CustomerIdentifier.workspace_id == bindparam("ws"),
            CustomerIdentifier.kind.in_(bindparam(f"kinds{i}", expanding=True)),
            CustomerIdentifier.normalized_value == bindparam(f"value{i}"),
        )
        .limit(MAX_CANDIDATES)
        for i in range(exact)
    ]
    parts.extend(
        select(literal(exact + j).label("lookup"), CustomerMatchKey.customer_id)
        .where(
            CustomerMatchKey.workspace_id == bindparam("ws"),
            CustomerMatchKey.key == bindparam(f"key{j}"),
        )
        .limit(bindparam(f"limit{j}"))
        for j in range(blocking)
    )
    # Each part keeps its own LIMIT inside a subquery (SQLite refuses it on a compound's arm).
    return union_all(*(part.subquery().select() for part in parts))


_NOTHING = ""  # the padding slots look this up: no identifier or blocking key is empty


def _padded(ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """``ids`` repeated up to a statement size (``_slots``): ``IN (...)`` lists of a few
    lengths, so the database prepares a few statements instead of one per length."""
    ids = list(ids)
    return ids + [ids[-1]] * (_slots(len(ids)) - len(ids)) if ids else ids


def _candidate_ids(
    tx: Tx, workspace_id: WorkspaceId, keys: Sequence[Key], block_keys: Sequence[str]
) -> list[uuid.UUID]:
    """Holders of the exact keys, then of the blocking keys, in that order; a blocking key
    held by more profiles than the batch engine's block limit (a common name) is skipped,
    so it cannot crowd out the useful keys."""
    block_keys = list(dict.fromkeys(block_keys))
    if not keys and not block_keys:
        return []
    exact, blocking = _slots(len(keys)), _slots(len(block_keys))
    limits = [block_limit(k) for k in block_keys]
    params: dict[str, Any] = {"ws": workspace_id}
    for i in range(exact):
        key = keys[i] if i < len(keys) else Key(_NOTHING, _NOTHING)
        params[f"kinds{i}"] = stored_kinds(key.kind)
        params[f"value{i}"] = key.value
    for j in range(blocking):
        params[f"key{j}"] = block_keys[j] if j < len(block_keys) else _NOTHING
        params[f"limit{j}"] = limits[j] + 1 if j < len(block_keys) else 1
    found: list[list[uuid.UUID]] = [[] for _ in range(exact + blocking)]
    for lookup, customer_id in _read(tx, _holders_statement(exact, blocking), params):
        found[lookup].append(customer_id)
    ids = [i for holders in found[: len(keys)] for i in holders]
    for holders, limit in zip(found[exact : exact + len(block_keys)], limits, strict=True):
        if len(holders) <= limit:
            ids.extend(holders)
    return ids


_PROFILES = select(
    Customer.id,
    Customer.merged_into_id,
    Customer.status,
    Customer.display_name,
    Customer.country,
    Customer.city,
    Customer.address,
    Customer.postcode,
    Customer.birth_date,
).where(Customer.workspace_id == bindparam("ws"), Customer.id.in_(bindparam("ids", expanding=True)))

# Core updates of rows the session has not loaded (the ORM's bulk update would first look
# for them in the session): an attach touches ``last_seen_at`` and the profile's gaps.
_IDENTIFIERS = cast(Table, CustomerIdentifier.__table__)
_CUSTOMERS = cast(Table, Customer.__table__)
_SEEN_AGAIN = (
    update(_IDENTIFIERS)
    .where(_IDENTIFIERS.c.id.in_(bindparam("ids", expanding=True)))
    .values(last_seen_at=bindparam("now"))
)


def _load_profiles(
    tx: Tx, workspace_id: WorkspaceId, ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Any]:
    """Profile rows for ``ids`` and every survivor their merge pointers lead to (bulk)."""
    rows: dict[uuid.UUID, Any] = {}
    wanted = set(ids)
    for _ in range(queries.MAX_MERGE_DEPTH):
        if not wanted:
            break
        found = _read(tx, _PROFILES, {"ws": workspace_id, "ids": _padded(list(wanted))}).all()
        rows.update((r.id, r) for r in found)
        wanted = {
            r.merged_into_id for r in found if r.merged_into_id and r.merged_into_id not in rows
        }
    return rows


def _survivor(rows: dict[uuid.UUID, Any], customer_id: uuid.UUID) -> uuid.UUID | None:
    current = rows.get(customer_id)
    for _ in range(queries.MAX_MERGE_DEPTH):
        if current is None:
            return None
        if current.merged_into_id is None:
            return current.id if current.status == "active" else None
        current = rows.get(current.merged_into_id)
    return None


def _group_identifiers_statement() -> Any:
    """Every identifier of the people ``ids`` (each survivor with all the profiles merged into
    it, at any depth), tagged with the survivor: one round trip instead of walking the merge
    tree level by level and then reading identifiers."""
    customers = cast(Table, Customer.__table__)
    members = (
        select(customers.c.id.label("id"), customers.c.id.label("survivor"))
        .where(
            customers.c.workspace_id == bindparam("ws"),
            customers.c.id.in_(bindparam("ids", expanding=True)),
        )
        .cte("members", recursive=True)
    )
    child = customers.alias("child")
    members = members.union_all(
        select(child.c.id, members.c.survivor).where(
            child.c.merged_into_id == members.c.id, child.c.workspace_id == bindparam("ws")
        )
    )
    return select(
        members.c.survivor,
        CustomerIdentifier.id,
        CustomerIdentifier.customer_id,
        CustomerIdentifier.kind,
        CustomerIdentifier.raw_value,
        CustomerIdentifier.normalized_value,
        CustomerIdentifier.source_channel,
        CustomerIdentifier.shared,
    ).join(
        members,
        (CustomerIdentifier.customer_id == members.c.id)
        & (CustomerIdentifier.workspace_id == bindparam("ws")),
    )


_GROUP_IDENTIFIERS = _group_identifiers_statement()


@dataclass(frozen=True)
class StoredPerson:
    """One stored person as resolution sees them, with the rows it read them from."""

    survivor_id: uuid.UUID
    record: IdentityRecord
    shared_keys: frozenset[Key]
    profile: Any  # the survivor's row (_PROFILES)
    identifiers: tuple[Any, ...]  # every profile's identifier rows


def stored_records(
    tx: Tx,
    workspace_id: WorkspaceId,
    customer_ids: Iterable[uuid.UUID],
    *,
    limit: int | None = None,
    from_raw: bool = False,
) -> list[StoredPerson]:
    """The engine's view of the people behind ``customer_ids`` (all merged profiles each),
    with their shared keys; merged ids resolve to survivors, inactive people are left out.
    A handful of queries whatever the number of candidates. Phones are read from their
    stored keys (``build.record_from_stored``) unless ``from_raw`` asks to parse them again,
    as reindexing a profile does (its blocking keys need the checked readings)."""
    ordered = list(dict.fromkeys(customer_ids))
    wanted = len(ordered) if limit is None else limit
    rows: dict[uuid.UUID, Any] = {}
    survivors: list[uuid.UUID] = []
    # Profiles are read a chunk at a time until ``limit`` people are found: the blocking
    # keys may name a hundred profiles, of which the first dozen are nearly always enough.
    start = 0
    while start < len(ordered) and len(survivors) < wanted:
        chunk = ordered[start : start + max(wanted, 1) * 2]
        start += len(chunk)
        rows.update(_load_profiles(tx, workspace_id, chunk))
        for customer_id in chunk:
            survivor = _survivor(rows, customer_id)
            if survivor is not None and survivor not in survivors:
                survivors.append(survivor)
    survivors = survivors[:wanted]
    if not survivors:
        return []
    by_survivor: dict[uuid.UUID, list[Any]] = {s: [] for s in survivors}
    params = {"ws": workspace_id, "ids": _padded(survivors)}
    for ident in _read(tx, _GROUP_IDENTIFIERS, params):
        by_survivor[ident.survivor].append(ident)
    return [_stored_person(rows[s], tuple(by_survivor[s]), from_raw=from_raw) for s in survivors]


def _stored_person(profile: Any, idents: tuple[Any, ...], *, from_raw: bool) -> StoredPerson:
    contact = ContactInput.model_construct(
        name=profile.display_name,
        identifiers=[
            IdentifierInput.model_construct(
                kind=i.kind, value=i.raw_value, source_channel=i.source_channel
            )
            for i in idents
        ]
        if from_raw
        else [],
        source_channel="import",
        country=profile.country,
        city=profile.city,
        address=profile.address,
        postcode=profile.postcode,
        birth_date=profile.birth_date,
    )
    country = profile.country or "AR"
    record = (
        record_from_contact(str(profile.id), contact, country)
        if from_raw
        else record_from_stored(str(profile.id), contact, idents, country)
    )
    shared = frozenset(
        Key(key_kind(i.kind), i.normalized_value) for i in idents if i.shared and i.normalized_value
    )
    return StoredPerson(profile.id, record, shared, profile, idents)


def stored_record(
    tx: Tx, workspace_id: WorkspaceId, survivor_id: uuid.UUID
) -> tuple[IdentityRecord, frozenset[Key]]:
    """The engine's view of one stored person and its shared keys."""
    (person,) = stored_records(tx, workspace_id, [survivor_id], from_raw=True)
    return person.record, person.shared_keys


def _candidates(
    tx: Tx, workspace_id: WorkspaceId, record: IdentityRecord
) -> dict[str, StoredPerson]:
    ids = _candidate_ids(tx, workspace_id, lookup_keys(record), blocking_keys(record))
    people = stored_records(tx, workspace_id, ids, limit=MAX_CANDIDATES)
    return {str(p.survivor_id): p for p in people}


@dataclass(frozen=True)
class Match:
    """Who an incoming contact is, before anything is written: the engine's decision over
    the stored candidates (``match_contact``), applied by ``record_match``."""

    contact: ContactInput
    country: str
    record: IdentityRecord
    stored: dict[str, StoredPerson]
    candidates: tuple[Candidate, ...]
    decision: Decision


def resolve_contact(tx: Tx, workspace_id: WorkspaceId, contact: ContactInput) -> Resolved:
    """Attach ``contact`` to its customer, create one, or create one and suggest merges."""
    return record_match(tx, workspace_id, match_contact(tx, workspace_id, contact))


def match_contact(tx: Tx, workspace_id: WorkspaceId, contact: ContactInput) -> Match:
    """The read half of ``resolve_contact``: index lookups, the candidates, the decision."""
    tx.session.flush()  # the reads below bypass the ORM
    workspace = workspace_queries.workspace_by_id(tx.session, workspace_id)
    country = contact.country or workspace.country
    record = record_from_contact("incoming", contact, country)
    _serialize_on_keys(tx, workspace_id, record)
    stored = _candidates(tx, workspace_id, record)
    candidates = tuple(
        Candidate(customer_id=key, record=p.record, shared_keys=p.shared_keys, rejected=False)
        for key, p in stored.items()
    )
    return Match(contact, country, record, stored, candidates, decide(record, candidates))


def _serialize_on_keys(tx: Tx, workspace_id: WorkspaceId, record: IdentityRecord) -> None:
    """Two first contacts with the same phone at the same moment must not both create a
    customer. On PostgreSQL each exact key takes a transaction-scoped advisory lock, in one
    order (so two contacts sharing keys cannot deadlock); SQLite writers are serialized
    already (``BEGIN IMMEDIATE``)."""
    if tx.session.get_bind().dialect.name != "postgresql":
        return
    for name in sorted({f"{workspace_id}:{key.kind}:{key.value}" for key in lookup_keys(record)}):
        tx.session.connection().execute(_ADVISORY_LOCK, {"name": name})


_ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))")


def record_match(tx: Tx, workspace_id: WorkspaceId, match: Match) -> Resolved:
    """The write half: attach the identifiers, or create the customer, its index rows, the
    shared marks and the suggestions."""
    contact, country, record, decision = match.contact, match.country, match.record, match.decision
    if decision.action == "attach" and decision.customer_id is not None:
        person = match.stored[decision.customer_id]
        _attach(tx, workspace_id, person, contact, country, decision)
        return Resolved(
            person.survivor_id, "attached", decision.score.total if decision.score else None
        )
    customer_id = _create(tx, workspace_id, contact, country, record)
    suggested = {other_id for other_id, _score in decision.suggestions}
    distinct = [c for c in match.candidates if c.customer_id not in suggested]
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
    """Store the blocking keys and name terms that make this profile findable in real time.

    A new profile has none yet; ``replace`` rewrites them for an existing one."""
    if replace:
        for model in (CustomerMatchKey, CustomerSearchTerm):
            tx.session.execute(delete(model).where(model.customer_id == customer_id))
    tx.session.add_all(
        CustomerMatchKey(customer_id=customer_id, key=key, workspace_id=workspace_id)
        for key in dict.fromkeys(k[:200] for k in blocking_keys(record))
    )
    tx.session.add_all(
        CustomerSearchTerm(customer_id=customer_id, term=term, workspace_id=workspace_id)
        for term in dict.fromkeys(fold(t)[:80] for t in name_tokens(record.name))
    )


def _attach(
    tx: Tx,
    workspace_id: WorkspaceId,
    person: StoredPerson,
    contact: ContactInput,
    country: str,
    decision: Decision,
) -> None:
    """Record the identifiers the person brought: new ones are added, known ones seen again."""
    customer_id = person.survivor_id
    known = {(i.kind, i.normalized_value or i.raw_value): i.id for i in person.identifiers}
    seen_again: list[uuid.UUID] = []
    score = decision.score.total if decision.score else None
    for ident in contact.identifiers:
        key = normalize(ident.kind, ident.value, country)
        existing = known.get((ident.kind, key or ident.value))
        if existing is not None:
            seen_again.append(existing)
            continue
        row = _identifier_row(tx, workspace_id, customer_id, ident, country)
        tx.session.add(row)
        known[(row.kind, row.normalized_value or row.raw_value)] = row.id
        tx.record(IdentifierAttached(customer_id=customer_id, identifier=_seen(row), score=score))
    if seen_again:
        _read(tx, _SEEN_AGAIN, {"ids": _padded(seen_again), "now": tx.now})
    profile = person.profile
    gaps: dict[str, Any] = {
        field: getattr(contact, field)
        for field in ("city", "address", "postcode")
        if not getattr(profile, field) and getattr(contact, field)
    }
    if profile.birth_date is None and contact.birth_date is not None:
        gaps["birth_date"] = contact.birth_date
    _read(
        tx,
        update(_CUSTOMERS)
        .where(_CUSTOMERS.c.id == bindparam("customer"))
        .values(updated_at=bindparam("now"), **gaps),
        {"customer": customer_id, "now": tx.now},
    )


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
