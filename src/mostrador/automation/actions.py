"""Automation's writers for entry points: one transaction each."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from mostrador.automation.conditions import ConditionError, check
from mostrador.automation.journey_steps import StepError, check_quiet_hours, check_steps
from mostrador.automation.models import AutomationRule, Journey
from mostrador.automation.rule_actions import ActionError, check_actions
from mostrador.automation.schemas import JourneyInput, RuleInput
from mostrador.core.errors import InvalidInput, NotFound
from mostrador.core.events import registered_event_types
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import UnitOfWork

__all__ = [
    "TRIGGERS",
    "create_journey",
    "create_rule",
    "delete_journey",
    "delete_rule",
    "update_journey",
    "update_rule",
    "validate_journey",
    "validate_rule",
]


def _triggers() -> list[str]:
    # Sign-ins and token issues are security events, never automation triggers.
    return [name for name in registered_event_types() if not name.startswith("access.")]


TRIGGERS = _triggers


def validate_rule(data: RuleInput) -> None:
    """Raise ``InvalidInput`` (code ``invalid_rule``) naming the first problem."""
    if data.trigger not in _triggers():
        raise InvalidInput(
            f"trigger: unknown event type {data.trigger!r}",
            code="invalid_rule",
            details={"field": "trigger"},
        )
    try:
        check(data.conditions)
        check_actions(data.actions)
    except (ConditionError, ActionError) as exc:
        raise InvalidInput(
            str(exc), code="invalid_rule", details={"field": str(exc).split(":")[0]}
        ) from None


def create_rule(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: RuleInput, *, actor: str
) -> AutomationRule:
    validate_rule(data)
    with uow.transaction(workspace_id, actor=actor) as tx:
        rule = AutomationRule(
            id=new_id(),
            workspace_id=workspace_id,
            created_at=tx.now,
            updated_at=tx.now,
            **data.model_dump(),
        )
        tx.session.add(rule)
        return rule


def _rule(session: Session, workspace_id: WorkspaceId, rule_id: uuid.UUID) -> AutomationRule:
    found = session.get(AutomationRule, rule_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("no such rule", code="rule_not_found")
    return found


def update_rule(
    uow: UnitOfWork, workspace_id: WorkspaceId, rule_id: uuid.UUID, data: RuleInput, *, actor: str
) -> AutomationRule:
    validate_rule(data)
    with uow.transaction(workspace_id, actor=actor) as tx:
        rule = _rule(tx.session, workspace_id, rule_id)
        for name, value in data.model_dump().items():
            setattr(rule, name, value)
        rule.updated_at = tx.now
        return rule


def delete_rule(
    uow: UnitOfWork, workspace_id: WorkspaceId, rule_id: uuid.UUID, *, actor: str
) -> None:
    with uow.transaction(workspace_id, actor=actor) as tx:
        tx.session.delete(_rule(tx.session, workspace_id, rule_id))


def validate_journey(data: JourneyInput) -> None:
    """Raise ``InvalidInput`` (code ``invalid_journey``) naming the first problem."""
    known = _triggers()
    problems = [
        (data.trigger not in known, f"trigger: unknown event type {data.trigger!r}"),
        *[(name not in known, f"exit_on: unknown event type {name!r}") for name in data.exit_on],
    ]
    for bad, message in problems:
        if bad:
            raise InvalidInput(message, code="invalid_journey")
    try:
        check(data.conditions)
        check_steps(data.steps)
        check_quiet_hours(data.quiet_hours)
    except (ConditionError, StepError) as exc:
        raise InvalidInput(str(exc), code="invalid_journey") from None


def create_journey(
    uow: UnitOfWork, workspace_id: WorkspaceId, data: JourneyInput, *, actor: str
) -> Journey:
    validate_journey(data)
    with uow.transaction(workspace_id, actor=actor) as tx:
        journey = Journey(
            id=new_id(),
            workspace_id=workspace_id,
            created_at=tx.now,
            updated_at=tx.now,
            **data.model_dump(),
        )
        tx.session.add(journey)
        return journey


def _journey(session: Session, workspace_id: WorkspaceId, journey_id: uuid.UUID) -> Journey:
    found = session.get(Journey, journey_id)
    if found is None or found.workspace_id != workspace_id:
        raise NotFound("no such journey", code="journey_not_found")
    return found


def update_journey(
    uow: UnitOfWork,
    workspace_id: WorkspaceId,
    journey_id: uuid.UUID,
    data: JourneyInput,
    *,
    actor: str,
) -> Journey:
    validate_journey(data)
    with uow.transaction(workspace_id, actor=actor) as tx:
        journey = _journey(tx.session, workspace_id, journey_id)
        for name, value in data.model_dump().items():
            setattr(journey, name, value)
        journey.updated_at = tx.now
        return journey


def delete_journey(
    uow: UnitOfWork, workspace_id: WorkspaceId, journey_id: uuid.UUID, *, actor: str
) -> None:
    with uow.transaction(workspace_id, actor=actor) as tx:
        tx.session.delete(_journey(tx.session, workspace_id, journey_id))
