"""Automation's writers for entry points: one transaction each."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session

from mostrador.automation.conditions import ConditionError, check
from mostrador.automation.models import AutomationRule
from mostrador.automation.rule_actions import ActionError, check_actions
from mostrador.automation.schemas import RuleInput
from mostrador.core.errors import InvalidInput, NotFound
from mostrador.core.events import registered_event_types
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import UnitOfWork

__all__ = ["TRIGGERS", "create_rule", "delete_rule", "update_rule", "validate_rule"]


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
