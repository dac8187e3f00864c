"""SLA clocks on conversations: started by the customer, stopped by the team, swept for
warnings and breaches (events automation reacts to). Time is counted in the business
hours of the policy's location (with its holidays and closures), else of the workspace's
first store, else around the clock in the workspace's zone. The rules are in the pure
``sla`` module."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from mostrador.conversations import sla
from mostrador.conversations.events import SlaBreached, SlaWarning
from mostrador.conversations.models import Conversation, SlaClockRecord, SlaPolicy
from mostrador.core.ids import LocationId, WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork
from mostrador.core.workspaces import Location
from mostrador.core.workspaces import queries as workspace_queries
from mostrador.core.workspaces.hours import Schedule, build_schedule
from mostrador.customers import Customer


def _rule(policy: SlaPolicy) -> sla.SlaPolicyRule:
    return sla.SlaPolicyRule(
        name=str(policy.id),
        targets=sla.SlaTargets(
            first_response=policy.first_response_seconds,
            next_response=policy.next_response_seconds,
            resolution=policy.resolution_seconds,
        ),
        channels=frozenset(policy.channels),
        priorities=frozenset(policy.priorities),
        segments=frozenset(policy.segments),
        warn_ratio=policy.warn_ratio,
    )


def has_policies(tx: Tx, workspace_id: WorkspaceId) -> bool:
    """Whether the workspace keeps SLA clocks at all (most small shops do not)."""
    return (
        tx.session.scalar(
            select(SlaPolicy.id).where(SlaPolicy.workspace_id == workspace_id).limit(1)
        )
        is not None
    )


def policy_for(tx: Tx, conversation: Conversation) -> SlaPolicy | None:
    """The most specific policy for the conversation's channel, priority and the customer's
    tags (their segments)."""
    policies = tx.session.scalars(
        select(SlaPolicy)
        .where(SlaPolicy.workspace_id == conversation.workspace_id)
        .order_by(SlaPolicy.position, SlaPolicy.created_at)
    ).all()
    if not policies:
        return None
    customer = tx.session.get(Customer, conversation.customer_id)
    segments = [str(t) for t in customer.tags] if customer is not None else []
    chosen = sla.choose_policy(
        [_rule(p) for p in policies],
        channel=conversation.last_channel,
        priority=conversation.priority,
        segments=segments,
    )
    return next((p for p in policies if chosen is not None and str(p.id) == chosen.name), None)


def _schedule_of(place: Location) -> Schedule:
    return build_schedule(
        time_zone=place.time_zone,
        opening_hours=place.opening_hours,
        country=place.country,
        subdivision=place.holiday_subdivision,
        closures=place.closures,
    )


def schedule_for(tx: Tx, policy: SlaPolicy) -> Schedule:
    workspace_id = WorkspaceId(policy.workspace_id)
    if policy.location_id is not None:
        return _schedule_of(
            workspace_queries.location(tx.session, workspace_id, LocationId(policy.location_id))
        )
    stores = [p for p in workspace_queries.locations(tx.session, workspace_id) if p.kind == "store"]
    if stores:  # the workspace's hours are its first store's (by code)
        return _schedule_of(min(stores, key=lambda p: p.code))
    workspace = workspace_queries.workspace_by_id(tx.session, workspace_id)
    return sla.always_open(workspace.time_zone)


def _running(tx: Tx, conversation_id: uuid.UUID, kinds: tuple[str, ...]) -> list[SlaClockRecord]:
    return list(
        tx.session.scalars(
            select(SlaClockRecord).where(
                SlaClockRecord.conversation_id == conversation_id,
                SlaClockRecord.kind.in_(kinds),
                SlaClockRecord.stopped_at.is_(None),
            )
        )
    )


def _start(
    tx: Tx,
    conversation: Conversation,
    policy: SlaPolicy,
    kind: str,
    target: int | None,
    at: datetime,
) -> None:
    if target is None:
        return
    clock = sla.start_clock(schedule_for(tx, policy), kind, at, target, policy.warn_ratio)  # type: ignore[arg-type]
    tx.session.add(
        SlaClockRecord(
            id=new_id(),
            workspace_id=conversation.workspace_id,
            conversation_id=conversation.id,
            policy_id=policy.id,
            kind=kind,
            started_at=at,
            due_at=clock.due_at,
            warn_at=clock.warn_at,
            stopped_at=None,
            warned_at=None,
            breached_at=None,
        )
    )


def stop(tx: Tx, conversation_id: uuid.UUID, at: datetime, kinds: tuple[str, ...]) -> None:
    for clock in _running(tx, conversation_id, kinds):
        clock.stopped_at = at


def on_customer_message(tx: Tx, conversation: Conversation, at: datetime, *, started: bool) -> None:
    """A new or reopened conversation starts first-response and resolution clocks; a
    customer writing again after an answer starts the next-response clock."""
    if started:
        stop(tx, conversation.id, at, ("first_response", "next_response", "resolution"))
    waiting = _running(tx, conversation.id, ("first_response", "next_response"))
    if waiting:
        return
    policy = policy_for(tx, conversation)
    if policy is None:
        return
    if started:
        _start(tx, conversation, policy, "first_response", policy.first_response_seconds, at)
        _start(tx, conversation, policy, "resolution", policy.resolution_seconds, at)
    elif conversation.first_response_at is not None:
        _start(tx, conversation, policy, "next_response", policy.next_response_seconds, at)
    else:
        _start(tx, conversation, policy, "first_response", policy.first_response_seconds, at)


def on_reply(tx: Tx, conversation: Conversation, at: datetime) -> None:
    stop(tx, conversation.id, at, ("first_response", "next_response"))


def on_resolved(tx: Tx, conversation: Conversation, at: datetime) -> None:
    stop(tx, conversation.id, at, ("first_response", "next_response", "resolution"))


def sweep(uow: UnitOfWork, workspace_id: WorkspaceId) -> int:
    """Record warnings and breaches that came due; each at most once. Returns how many."""
    count = 0
    with uow.transaction(workspace_id, actor="sla") as tx:
        clocks = tx.session.scalars(
            select(SlaClockRecord).where(
                SlaClockRecord.workspace_id == workspace_id,
                SlaClockRecord.stopped_at.is_(None),
                SlaClockRecord.breached_at.is_(None),
                SlaClockRecord.warn_at <= tx.now,
            )
        ).all()
        for clock in clocks:
            conversation = tx.session.get(Conversation, clock.conversation_id)
            if conversation is None:
                continue
            due = clock.due_at.isoformat()
            if clock.warned_at is None:
                clock.warned_at = tx.now
                tx.record(
                    SlaWarning(
                        conversation_id=conversation.id,
                        customer_id=conversation.customer_id,
                        clock=clock.kind,
                        due_at=due,
                    )
                )
                count += 1
            if clock.due_at <= tx.now:
                clock.breached_at = tx.now
                tx.record(
                    SlaBreached(
                        conversation_id=conversation.id,
                        customer_id=conversation.customer_id,
                        clock=clock.kind,
                        due_at=due,
                    )
                )
                count += 1
    return count
