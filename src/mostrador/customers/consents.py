"""Recording consent: granting and withdrawing are one action each, equally easy."""

from __future__ import annotations

import uuid

from mostrador.core.errors import InvalidInput
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import UnitOfWork
from mostrador.customers import queries
from mostrador.customers.consent_rules import ALL_CHANNELS, PURPOSES
from mostrador.customers.events import ConsentChanged
from mostrador.customers.models import Consent
from mostrador.customers.normalize import CHANNELS


def record_consent(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    customer_id: uuid.UUID,
    *,
    purpose: str,
    channel: str,
    granted: bool,
    source: str,
    evidence: str = "",
    actor: str | None = None,
) -> Consent:
    """Grant or withdraw ``purpose`` on ``channel`` (or ``all``), with where it came from."""
    if purpose not in PURPOSES:
        raise InvalidInput(
            f"unknown purpose {purpose!r}; use {', '.join(PURPOSES)}", code="invalid_purpose"
        )
    if channel != ALL_CHANNELS and channel not in CHANNELS:
        raise InvalidInput(f"unknown channel {channel!r}", code="invalid_channel")
    if not source.strip():
        raise InvalidInput("say where the consent came from (source)", code="invalid_input")
    with uow.transaction(workspace_id, actor) as tx:
        target = queries.canonical_customer(tx.session, workspace_id, customer_id)
        if target.status != "active":
            raise InvalidInput(f"customer is {target.status}", code=f"customer_{target.status}")
        row = Consent(
            id=new_id(),
            workspace_id=workspace_id,
            customer_id=target.id,
            purpose=purpose,
            channel=channel,
            granted=granted,
            source=source.strip()[:40],
            evidence=evidence[:2000],
            recorded_at=tx.now,
            actor=tx.actor,
        )
        tx.session.add(row)
        tx.record(
            ConsentChanged(
                customer_id=target.id,
                purpose=purpose,
                channel=channel,
                granted=granted,
                source=row.source,
            )
        )
        return row
