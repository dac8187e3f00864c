"""Automation over HTTP: rules, their execution log, and a dry run over past events."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from mostrador import automation
from mostrador.core.access import Permission, Principal
from mostrador.core.errors import NotFound
from mostrador.web.deps import RuntimeDep, allowed

router = APIRouter(tags=["automation"])

Viewer = Annotated[Principal, Depends(allowed(Permission.VIEW_INBOX))]
Manager = Annotated[Principal, Depends(allowed(Permission.MANAGE_INBOX))]


def _uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("no such rule", code="rule_not_found") from None


@router.get("/automation/triggers")
def triggers(principal: Viewer) -> list[str]:
    return automation.actions.TRIGGERS()


@router.get("/automation/rules")
def rules(runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return automation.queries.rules(session, principal.workspace_id)


@router.post("/automation/rules", status_code=201)
def create_rule(
    data: automation.RuleInput, runtime: RuntimeDep, principal: Manager
) -> dict[str, Any]:
    rule = automation.actions.create_rule(
        runtime.uow, principal.workspace_id, data, actor=principal.actor
    )
    return automation.queries.rule_document(rule)


@router.post("/automation/rules/dry-run")
def dry_run(
    data: automation.RuleInput,
    runtime: RuntimeDep,
    principal: Manager,
    limit: Annotated[int, Query(ge=1, le=5000)] = 200,
) -> dict[str, Any]:
    automation.actions.validate_rule(data)
    with runtime.uow.read() as session:
        return automation.queries.dry_run(session, principal.workspace_id, data, limit)


@router.put("/automation/rules/{rule_id}")
def update_rule(
    rule_id: str, data: automation.RuleInput, runtime: RuntimeDep, principal: Manager
) -> dict[str, Any]:
    rule = automation.actions.update_rule(
        runtime.uow, principal.workspace_id, _uuid(rule_id), data, actor=principal.actor
    )
    return automation.queries.rule_document(rule)


@router.delete("/automation/rules/{rule_id}", status_code=204)
def delete_rule(rule_id: str, runtime: RuntimeDep, principal: Manager) -> None:
    automation.actions.delete_rule(
        runtime.uow, principal.workspace_id, _uuid(rule_id), actor=principal.actor
    )


@router.get("/automation/rules/{rule_id}/executions")
def executions(rule_id: str, runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return automation.queries.executions(session, principal.workspace_id, _uuid(rule_id))


def _journey_id(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise NotFound("no such journey", code="journey_not_found") from None


@router.get("/automation/journeys")
def journeys(runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return automation.queries.journeys(session, principal.workspace_id)


@router.post("/automation/journeys", status_code=201)
def create_journey(
    data: automation.JourneyInput, runtime: RuntimeDep, principal: Manager
) -> dict[str, Any]:
    journey = automation.actions.create_journey(
        runtime.uow, principal.workspace_id, data, actor=principal.actor
    )
    return automation.queries.journey_document(journey)


@router.put("/automation/journeys/{journey_id}")
def update_journey(
    journey_id: str, data: automation.JourneyInput, runtime: RuntimeDep, principal: Manager
) -> dict[str, Any]:
    journey = automation.actions.update_journey(
        runtime.uow, principal.workspace_id, _journey_id(journey_id), data, actor=principal.actor
    )
    return automation.queries.journey_document(journey)


@router.delete("/automation/journeys/{journey_id}", status_code=204)
def delete_journey(journey_id: str, runtime: RuntimeDep, principal: Manager) -> None:
    automation.actions.delete_journey(
        runtime.uow, principal.workspace_id, _journey_id(journey_id), actor=principal.actor
    )


@router.get("/automation/journeys/{journey_id}/enrollments")
def enrollments(journey_id: str, runtime: RuntimeDep, principal: Viewer) -> list[dict[str, Any]]:
    with runtime.uow.read() as session:
        return automation.queries.enrollments(
            session, principal.workspace_id, _journey_id(journey_id)
        )
