"""Automation's reads: rules, their executions, and a dry run over past events."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mostrador.automation.conditions import matches
from mostrador.automation.facts import facts_of
from mostrador.automation.models import (
    AutomationRule,
    Journey,
    JourneyEnrollment,
    RuleExecution,
)
from mostrador.automation.schemas import RuleInput
from mostrador.core.event_log import EventRecord
from mostrador.core.events import Envelope, deserialize_event
from mostrador.core.ids import EventId, WorkspaceId

__all__ = [
    "dry_run",
    "enrollments",
    "executions",
    "journey_document",
    "journeys",
    "rule_document",
    "rules",
]


def rule_document(rule: AutomationRule) -> dict[str, Any]:
    return {
        "id": str(rule.id),
        "name": rule.name,
        "trigger": rule.trigger,
        "conditions": rule.conditions,
        "actions": rule.actions,
        "active": rule.active,
        "position": rule.position,
        "updated_at": rule.updated_at.isoformat(),
    }


def rules(session: Session, workspace_id: WorkspaceId) -> list[dict[str, Any]]:
    found = session.scalars(
        select(AutomationRule)
        .where(AutomationRule.workspace_id == workspace_id)
        .order_by(AutomationRule.position, AutomationRule.created_at, AutomationRule.id)
    )
    return [rule_document(rule) for rule in found]


def executions(
    session: Session, workspace_id: WorkspaceId, rule_id: uuid.UUID, limit: int = 100
) -> list[dict[str, Any]]:
    found = session.scalars(
        select(RuleExecution)
        .where(RuleExecution.workspace_id == workspace_id, RuleExecution.rule_id == rule_id)
        .order_by(RuleExecution.created_at.desc(), RuleExecution.id)
        .limit(limit)
    )
    return [
        {
            "event_id": str(e.event_id),
            "event_type": e.event_type,
            "outcome": e.outcome,
            "done": e.done,
            "error": e.error,
            "at": e.created_at.isoformat(),
        }
        for e in found
    ]


def dry_run(
    session: Session, workspace_id: WorkspaceId, data: RuleInput, limit: int = 200
) -> dict[str, Any]:
    """What ``data`` would have done over the latest ``limit`` events of its trigger.

    Nothing is changed: conditions are evaluated on each event's facts (business hours as
    they were when it happened) and the actions are listed, not run."""
    records = session.scalars(
        select(EventRecord)
        .where(EventRecord.workspace_id == workspace_id, EventRecord.type == data.trigger)
        .order_by(EventRecord.occurred_at.desc(), EventRecord.id.desc())
        .limit(limit)
    ).all()
    matched = []
    for record in records:
        envelope = Envelope(
            id=EventId(record.id),
            workspace_id=WorkspaceId(record.workspace_id) if record.workspace_id else None,
            occurred_at=record.occurred_at,
            actor=record.actor,
            event=deserialize_event(record.type, record.version, record.payload),
        )
        if matches(data.conditions, facts_of(session, envelope, record.occurred_at)):
            matched.append(
                {"event_id": str(record.id), "occurred_at": record.occurred_at.isoformat()}
            )
    return {
        "trigger": data.trigger,
        "events": len(records),
        "matched": len(matched),
        "would_run": [action["type"] for action in data.actions],
        "matches": matched,
    }


def journey_document(journey: Journey) -> dict[str, Any]:
    return {
        "id": str(journey.id),
        "name": journey.name,
        "trigger": journey.trigger,
        "conditions": journey.conditions,
        "steps": journey.steps,
        "exit_on": journey.exit_on,
        "purpose": journey.purpose,
        "quiet_hours": journey.quiet_hours,
        "active": journey.active,
        "updated_at": journey.updated_at.isoformat(),
    }


def journeys(session: Session, workspace_id: WorkspaceId) -> list[dict[str, Any]]:
    found = session.scalars(
        select(Journey)
        .where(Journey.workspace_id == workspace_id)
        .order_by(Journey.created_at, Journey.id)
    )
    return [journey_document(j) for j in found]


def enrollments(
    session: Session, workspace_id: WorkspaceId, journey_id: uuid.UUID, limit: int = 200
) -> list[dict[str, Any]]:
    found = session.scalars(
        select(JourneyEnrollment)
        .where(
            JourneyEnrollment.workspace_id == workspace_id,
            JourneyEnrollment.journey_id == journey_id,
        )
        .order_by(JourneyEnrollment.created_at.desc(), JourneyEnrollment.id)
        .limit(limit)
    )
    return [
        {
            "id": str(e.id),
            "customer_id": str(e.customer_id),
            "state": e.state,
            "step": e.step,
            "next_run_at": e.next_run_at.isoformat() if e.next_run_at else None,
            "log": e.log,
        }
        for e in found
    ]
