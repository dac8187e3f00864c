"""Journeys at work. An event enrols its customer in every active journey it starts (once
per event: unique ``(journey, event)``) and ends their enrolments in journeys it exits; the
sweep runs what is due — steps until the next wait — and writes when the next step is due.
Everything is in the database, so a restart resumes where it left off.
"""

from __future__ import annotations

import uuid
from datetime import UTC
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mostrador import conversations, customers
from mostrador.automation.conditions import matches
from mostrador.automation.facts import facts_of
from mostrador.automation.journey_steps import quiet_until, wait_of
from mostrador.automation.models import Journey, JourneyEnrollment
from mostrador.core.errors import MostradorError, NotFound
from mostrador.core.events import Envelope
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork
from mostrador.core.workspaces import Workspace

__all__ = ["advance_due", "enrol_in", "on_event"]

_DUE_BATCH = 200


def on_event(uow: UnitOfWork, envelope: Envelope) -> int:
    """Enrol and exit for one event; returns how many enrolments started or ended."""
    customer_id = getattr(envelope.event, "customer_id", None)
    if envelope.workspace_id is None or customer_id is None:
        return 0
    with uow.read() as session:
        journeys = session.execute(
            select(Journey.id, Journey.trigger, Journey.conditions, Journey.exit_on).where(
                Journey.workspace_id == envelope.workspace_id, Journey.active.is_(True)
            )
        ).all()
        starting = [j for j in journeys if j.trigger == envelope.type]
        exiting = [j.id for j in journeys if envelope.type in (j.exit_on or [])]
        facts = facts_of(session, envelope, envelope.occurred_at) if starting else {}
    changed = _exit(uow, envelope, customer_id, exiting) if exiting else 0
    for journey in starting:
        if matches(journey.conditions, facts):
            changed += _enrol(uow, envelope, journey.id, customer_id)
    return changed


def _enrol(
    uow: UnitOfWork, envelope: Envelope, journey_id: uuid.UUID, customer_id: uuid.UUID
) -> int:
    workspace_id = WorkspaceId(envelope.workspace_id)  # type: ignore[arg-type]
    try:
        with uow.transaction(workspace_id, actor=f"journey:{journey_id}") as tx:
            tx.session.add(
                JourneyEnrollment(
                    id=new_id(),
                    workspace_id=workspace_id,
                    journey_id=journey_id,
                    customer_id=customer_id,
                    trigger_event_id=envelope.id,
                    step=0,
                    state="active",
                    next_run_at=tx.now,
                    log=[{"at": tx.now.isoformat(), "did": "enrolled", "by": envelope.type}],
                    created_at=tx.now,
                    updated_at=tx.now,
                )
            )
            tx.session.flush()
    except IntegrityError:
        return 0  # this event already enrolled them (a redelivery)
    return 1


def enrol_in(
    tx: Tx, journey_id: uuid.UUID, customer_id: uuid.UUID, event_id: uuid.UUID, by: str
) -> bool:
    """Enrol inside the caller's transaction (a rule's ``start_journey``); False if this
    event already enrolled the customer or the journey is not the workspace's."""
    journey = tx.session.get(Journey, journey_id)
    if journey is None or journey.workspace_id != tx.workspace_id or not journey.active:
        raise NotFound("no such active journey", code="journey_not_found")
    already = tx.session.execute(
        select(JourneyEnrollment.id).where(
            JourneyEnrollment.journey_id == journey_id,
            JourneyEnrollment.trigger_event_id == event_id,
        )
    ).first()
    if already is not None:
        return False
    tx.session.add(
        JourneyEnrollment(
            id=new_id(),
            workspace_id=journey.workspace_id,
            journey_id=journey_id,
            customer_id=customer_id,
            trigger_event_id=event_id,
            step=0,
            state="active",
            next_run_at=tx.now,
            log=[{"at": tx.now.isoformat(), "did": "enrolled", "by": by}],
            created_at=tx.now,
            updated_at=tx.now,
        )
    )
    return True


def _exit(
    uow: UnitOfWork, envelope: Envelope, customer_id: uuid.UUID, journeys: list[uuid.UUID]
) -> int:
    workspace_id = WorkspaceId(envelope.workspace_id)  # type: ignore[arg-type]
    with uow.transaction(workspace_id, actor="journeys") as tx:
        found = tx.session.scalars(
            select(JourneyEnrollment).where(
                JourneyEnrollment.workspace_id == workspace_id,
                JourneyEnrollment.customer_id == customer_id,
                JourneyEnrollment.journey_id.in_(journeys),
                JourneyEnrollment.state == "active",
                JourneyEnrollment.created_at < envelope.occurred_at,
            )
        ).all()
        for enrollment in found:
            _finish(tx, enrollment, "exited", f"exit: {envelope.type}")
        return len(found)


def _finish(tx: Tx, enrollment: JourneyEnrollment, state: str, why: str) -> None:
    enrollment.state, enrollment.next_run_at = state, None
    _note(tx, enrollment, why)


def _note(tx: Tx, enrollment: JourneyEnrollment, did: str) -> None:
    enrollment.log = [*enrollment.log, {"at": tx.now.isoformat(), "did": did}]
    enrollment.updated_at = tx.now


def advance_due(uow: UnitOfWork, workspace_id: WorkspaceId) -> int:
    """Run every due step of the workspace's journeys; returns how many enrolments moved."""
    moved = 0
    with uow.transaction(workspace_id, actor="journeys") as tx:
        due = tx.session.scalars(
            select(JourneyEnrollment)
            .where(
                JourneyEnrollment.workspace_id == workspace_id,
                JourneyEnrollment.state == "active",
                JourneyEnrollment.next_run_at <= tx.now,
            )
            .order_by(JourneyEnrollment.next_run_at)
            .limit(_DUE_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        workspace = tx.session.get(Workspace, workspace_id)
        for enrollment in due:
            journey = tx.session.get(Journey, enrollment.journey_id)
            if journey is None or workspace is None:
                continue
            _advance(tx, workspace, journey, enrollment)
            moved += 1
    return moved


def _advance(tx: Tx, workspace: Workspace, journey: Journey, enrollment: JourneyEnrollment) -> None:
    if not journey.active:
        _finish(tx, enrollment, "exited", "journey paused")
        return
    while enrollment.step < len(journey.steps):
        step: dict[str, Any] = journey.steps[enrollment.step]
        if "wait" in step:
            enrollment.next_run_at = tx.now + wait_of(step)
            enrollment.step += 1
            _note(tx, enrollment, f"waiting until {enrollment.next_run_at.isoformat()}")
            return
        quiet = quiet_until(tx.now, journey.quiet_hours, workspace.time_zone)
        if quiet is not None:
            enrollment.next_run_at = quiet.astimezone(UTC)
            _note(tx, enrollment, "quiet hours")
            return
        _note(tx, enrollment, _run_step(tx, workspace, journey, enrollment, step))
        enrollment.step += 1
    _finish(tx, enrollment, "done", "done")


def _run_step(
    tx: Tx,
    workspace: Workspace,
    journey: Journey,
    enrollment: JourneyEnrollment,
    step: dict[str, Any],
) -> str:
    workspace_id = WorkspaceId(workspace.id)
    desk = conversations.rule_desk
    conversation = desk.latest_of_customer(tx, workspace_id, enrollment.customer_id)
    if conversation is None:
        return "skipped: no conversation to write in"
    channel = conversation.last_channel
    if journey.purpose == "marketing" and not customers.queries.consents_allow(
        tx.session, workspace_id, enrollment.customer_id, "marketing", channel
    ):
        return f"skipped: no marketing consent on {channel}"
    try:
        if "survey" in step:
            survey = desk.send_survey(tx, workspace_id, conversation, step["survey"])
            return f"survey {step['survey']}" if survey else "skipped: survey cannot be sent"
        spec = step["send"]
        how = desk.send_in_or_out_of_window(
            tx, workspace_id, conversation, spec["text"], spec.get("template")
        )
    except MostradorError as exc:
        return f"skipped: {exc.code}"
    return how
