"""Identifiers that belong to several people (a family phone, a shop's inbox) stop being keys."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import update

from mostrador.core.ids import WorkspaceId
from mostrador.core.unit_of_work import Tx
from mostrador.customers import queries
from mostrador.customers.events import IdentifierMarkedShared
from mostrador.customers.models import CustomerIdentifier

# Stored identifier kinds whose normalized values share one key space.
KEY_KIND = {"whatsapp_id": "phone"}


def key_kind(kind: str) -> str:
    return KEY_KIND.get(kind, kind)


def stored_kinds(kind: str) -> tuple[str, ...]:
    return (kind, *(k for k, v in KEY_KIND.items() if v == kind))


def mark_shared(
    tx: Tx, workspace_id: WorkspaceId, kind: str, value: str, customer_ids: Sequence[uuid.UUID]
) -> None:
    """Flag every stored copy of the key as shared and record who shares it."""
    tx.session.flush()
    tx.session.execute(
        update(CustomerIdentifier)
        .where(
            CustomerIdentifier.workspace_id == workspace_id,
            CustomerIdentifier.kind.in_(stored_kinds(kind)),
            CustomerIdentifier.normalized_value == value,
        )
        .values(shared=True)
    )
    tx.record(
        IdentifierMarkedShared(kind=kind, normalized_value=value, customer_ids=tuple(customer_ids))
    )


def mark_common_keys_shared(tx: Tx, workspace_id: WorkspaceId, a: uuid.UUID, b: uuid.UUID) -> None:
    """Two people declared distinct: whatever keys they have in common are shared."""

    def keys(survivor: uuid.UUID) -> set[tuple[str, str]]:
        members = queries.group_ids(tx.session, workspace_id, survivor)
        return {
            (key_kind(i.kind), i.normalized_value)
            for i in queries.identifiers(tx.session, workspace_id, members)
            if i.normalized_value and not i.shared
        }

    for kind, value in sorted(keys(a) & keys(b)):
        mark_shared(tx, workspace_id, kind, value, (a, b))
