"""Finding a customer the way staff type it: a phone in any format, an e-mail, a document,
a handle, a card number, or a name without accents, in any order."""

from __future__ import annotations

import uuid

from sqlalchemy import intersect, select
from sqlalchemy.orm import Session

from mostrador.core.ids import WorkspaceId
from mostrador.customers import queries
from mostrador.customers.documents import parse_document
from mostrador.customers.models import Customer, CustomerIdentifier, CustomerSearchTerm
from mostrador.customers.names import fold, name_tokens
from mostrador.customers.normalize import normalize_email, normalize_handle
from mostrador.customers.phones import phone_variants

MAX_RESULTS = 50


def _identifier_matches(
    session: Session, workspace_id: WorkspaceId, pairs: list[tuple[tuple[str, ...], str]]
) -> list[uuid.UUID]:
    found: list[uuid.UUID] = []
    for kinds, value in pairs:
        found.extend(
            session.execute(
                select(CustomerIdentifier.customer_id)
                .where(
                    CustomerIdentifier.workspace_id == workspace_id,
                    CustomerIdentifier.kind.in_(kinds),
                    CustomerIdentifier.normalized_value == value,
                )
                .limit(MAX_RESULTS)
            ).scalars()
        )
    return found


def _identifier_queries(text: str, country: str) -> list[tuple[tuple[str, ...], str]]:
    pairs: list[tuple[tuple[str, ...], str]] = []
    if "@" in text and not text.startswith("@"):
        email = normalize_email(text)
        if email:
            pairs.append((("email",), email))
        return pairs
    if text.startswith("@"):
        handle = normalize_handle(text)
        if handle:
            pairs.append((("instagram", "telegram"), handle))
        return pairs
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 6:
        pairs.extend((("phone", "whatsapp_id"), v) for v in phone_variants(text, country))
        document = parse_document(text, country)
        if document is not None and document.key:
            pairs.append((("document",), document.key))
        pairs.append((("loyalty_card", "shop_account"), text.strip()))
    return pairs


def _name_matches(session: Session, workspace_id: WorkspaceId, text: str) -> list[uuid.UUID]:
    tokens = [fold(t) for t in name_tokens(text)]
    tokens = [t for t in dict.fromkeys(tokens) if len(t) >= 2]
    if not tokens:
        return []
    per_token = [
        select(CustomerSearchTerm.customer_id).where(
            CustomerSearchTerm.workspace_id == workspace_id, CustomerSearchTerm.term.like(f"{t}%")
        )
        for t in tokens
    ]
    # Every typed word must start a word of the name (order-free): "gonz mar" finds
    # "María González".
    query = intersect(*per_token) if len(per_token) > 1 else per_token[0]
    return list(session.execute(select(query.subquery().c[0]).limit(MAX_RESULTS)).scalars())


def search_customers(
    session: Session, workspace_id: WorkspaceId, text: str, *, country: str, limit: int = 20
) -> list[Customer]:
    """Active people matching ``text``, identifiers first, then names; each person once."""
    text = text.strip()
    if not text:
        return []
    ids = _identifier_matches(session, workspace_id, _identifier_queries(text, country))
    if not ids:
        ids = _name_matches(session, workspace_id, text)
    people: list[Customer] = []
    seen: set[uuid.UUID] = set()
    for customer_id in ids:
        survivor = queries.canonical_customer(session, workspace_id, customer_id)
        if survivor.status != "active" or survivor.id in seen:
            continue
        seen.add(survivor.id)
        people.append(survivor)
        if len(people) >= limit:
            break
    return people
