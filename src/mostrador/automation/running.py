"""Rules at work: every committed event meets the workspace's active rules for its type;
a rule whose conditions hold runs its actions in one transaction, at most once per event
(unique ``(rule_id, event_id)``), and leaves an execution row — done, or failed and why.

Events caused by a rule (actor ``rule:<id>``) do not trigger rules: no chains, no loops.
"""

from __future__ import annotations

import threading
import uuid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mostrador import assistant, commerce, conversations
from mostrador.automation.conditions import matches
from mostrador.automation.facts import facts_of
from mostrador.automation.journeys import enrol_in
from mostrador.automation.models import AutomationRule, RuleExecution
from mostrador.automation.webhooks import queue_call
from mostrador.core.errors import Conflict, InvalidInput, MostradorError
from mostrador.core.events import Envelope
from mostrador.core.ids import WorkspaceId, new_id
from mostrador.core.unit_of_work import Tx, UnitOfWork

__all__ = ["CONSUMER", "run_rules"]

CONSUMER = "automation"
RULE_ACTOR = "rule:"


_cache_lock = threading.Lock()
# (workspace, trigger) -> (version, [(rule id, conditions)]); the version is the rules' count
# and latest change, read with one small query, so an edit is seen at the next event.
_rule_cache: dict[tuple[uuid.UUID, str], tuple[tuple[Any, ...], list[tuple[uuid.UUID, Any]]]] = {}


def _active_rules(
    session: Session, workspace_id: uuid.UUID, trigger: str
) -> list[tuple[uuid.UUID, Any]]:
    where = (
        AutomationRule.workspace_id == workspace_id,
        AutomationRule.trigger == trigger,
        AutomationRule.active.is_(True),
    )
    version = tuple(
        session.execute(
            select(func.count(), func.max(AutomationRule.updated_at)).where(*where)
        ).one()
    )
    key = (workspace_id, trigger)
    with _cache_lock:
        cached = _rule_cache.get(key)
    if cached is not None and cached[0] == version:
        return cached[1]
    rows = [
        (rule_id, conditions)
        for rule_id, conditions in session.execute(
            select(AutomationRule.id, AutomationRule.conditions)
            .where(*where)
            .order_by(AutomationRule.position, AutomationRule.created_at, AutomationRule.id)
        )
    ]
    with _cache_lock:
        _rule_cache[key] = (version, rows)
    return rows


def _fields(tree: Any) -> set[str]:
    if not isinstance(tree, dict):
        return set()
    if "field" in tree:
        return {str(tree["field"])}
    children = tree.get("all") or tree.get("any") or ([tree["not"]] if "not" in tree else [])
    return set().union(*(_fields(child) for child in children)) if children else set()


def run_rules(uow: UnitOfWork, envelope: Envelope) -> int:
    """Run every matching rule for ``envelope``; returns how many ran their actions now.

    The facts are read once (only those some condition looks at) and every rule's conditions
    evaluated on them; only a rule that matches opens a transaction, where it is checked
    again in case it just changed."""
    if envelope.workspace_id is None or (envelope.actor or "").startswith(RULE_ACTOR):
        return 0
    with uow.read() as session:
        candidates = _active_rules(session, envelope.workspace_id, envelope.type)
        if not candidates:
            return 0
        wanted = set().union(*(_fields(conditions) for _id, conditions in candidates))
        # Facts as of the event (business hours when it happened): a redelivery decides
        # the same way.
        facts = facts_of(session, envelope, envelope.occurred_at, wanted)
    ran = 0
    for rule_id, conditions in candidates:
        if matches(conditions, facts):
            ran += _run_rule(uow, rule_id, envelope, facts)
    return ran


def _record(
    tx: Tx,
    rule: AutomationRule,
    envelope: Envelope,
    outcome: str,
    done: list[Any],
    error: str | None,
) -> None:
    tx.session.add(
        RuleExecution(
            id=new_id(),
            workspace_id=rule.workspace_id,
            rule_id=rule.id,
            event_id=envelope.id,
            event_type=envelope.type,
            outcome=outcome,
            done=done,
            error=error,
            created_at=tx.now,
        )
    )


def _already(tx: Tx, rule_id: uuid.UUID, event_id: uuid.UUID) -> bool:
    return (
        tx.session.execute(
            select(RuleExecution.id).where(
                RuleExecution.rule_id == rule_id, RuleExecution.event_id == event_id
            )
        ).first()
        is not None
    )


def _run_rule(
    uow: UnitOfWork, rule_id: uuid.UUID, envelope: Envelope, facts: dict[str, Any]
) -> int:
    workspace_id = WorkspaceId(envelope.workspace_id)  # type: ignore[arg-type]
    try:
        with uow.transaction(workspace_id, actor=f"{RULE_ACTOR}{rule_id}") as tx:
            rule = tx.session.get(AutomationRule, rule_id)
            if rule is None or not rule.active or _already(tx, rule_id, envelope.id):
                return 0
            if not matches(rule.conditions, facts):
                return 0
            done = [perform(tx, workspace_id, rule, action, envelope) for action in rule.actions]
            _record(tx, rule, envelope, "done", done, None)
            tx.session.flush()
            return 1
    except IntegrityError:
        return 0  # another worker ran this rule for this event first
    except MostradorError as exc:
        with uow.transaction(workspace_id, actor=f"{RULE_ACTOR}{rule_id}") as tx:
            rule = tx.session.get(AutomationRule, rule_id)
            if rule is not None and not _already(tx, rule_id, envelope.id):
                _record(tx, rule, envelope, "failed", [], f"{exc.code}: {exc.message}")
        return 0


def _conversation_of(
    tx: Tx, workspace_id: WorkspaceId, envelope: Envelope
) -> conversations.Conversation:
    conversation_id = getattr(envelope.event, "conversation_id", None)
    if conversation_id is not None:
        found = conversations.rule_desk.rule_conversation(tx, workspace_id, conversation_id)
    else:
        customer_id = getattr(envelope.event, "customer_id", None)
        found = (
            conversations.rule_desk.latest_of_customer(tx, workspace_id, customer_id)
            if customer_id is not None
            else None
        )
    if found is None:
        raise InvalidInput("the event names no conversation", code="no_conversation")
    return found


def _uuid(value: Any, what: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise InvalidInput(f"{what} is not an id", code="invalid_action") from None


def perform(
    tx: Tx,
    workspace_id: WorkspaceId,
    rule: AutomationRule,
    action: dict[str, Any],
    envelope: Envelope,
) -> dict[str, Any]:
    """Do one action; returns what was done (kept on the execution row)."""
    kind = action["type"]
    if kind == "start_journey":
        customer_id = getattr(envelope.event, "customer_id", None)
        if customer_id is None:
            raise InvalidInput("the event names no customer", code="no_customer")
        journey_id = _uuid(action["journey_id"], "journey_id")
        if journey_id is None:
            raise InvalidInput("start_journey needs a journey_id", code="invalid_action")
        started = enrol_in(tx, journey_id, customer_id, envelope.id, f"rule on {envelope.type}")
        return {"type": kind, "journey_id": str(journey_id), "enrolled": started}
    if kind == "call_webhook":
        delivery = queue_call(tx, rule.id, rule.name, action, envelope)
        return {"type": kind, "delivery_id": str(delivery)}
    if kind == "add_loyalty_points":
        customer_id = getattr(envelope.event, "customer_id", None)
        if customer_id is None:
            raise InvalidInput("the event names no customer", code="no_customer")
        balance = commerce.adjust_points_in(
            tx, workspace_id, customer_id, action["points"], action["reason"]
        )
        return {"type": kind, "points": action["points"], "balance": balance}
    conversation = _conversation_of(tx, workspace_id, envelope)
    desk = conversations.rule_desk
    if kind == "label":
        return {"type": kind, "labels": desk.add_labels(tx, conversation, action["labels"])}
    if kind == "set_priority":
        desk.set_priority(tx, conversation, action["priority"])
        return {"type": kind, "priority": action["priority"]}
    if kind == "assign":
        chosen = desk.assign_to(
            tx,
            workspace_id,
            conversation,
            user_id=_uuid(action.get("user_id"), "user_id"),
            team_id=_uuid(action.get("team_id"), "team_id"),
            auto=bool(action.get("auto")),
        )
        return {"type": kind, "user_id": str(chosen) if chosen else None}
    if kind == "reply":
        message_id = desk.rule_reply(tx, workspace_id, conversation, action["text"])
        return {"type": kind, "message_id": str(message_id)}
    if kind == "note":
        desk.rule_note(tx, workspace_id, conversation, action["text"])
        return {"type": kind}
    if kind == "send_survey":
        survey = desk.send_survey(tx, workspace_id, conversation, action["kind"])
        if survey is None:
            raise Conflict("no channel can carry the survey now", code="survey_not_sendable")
        return {"type": kind, "survey_id": str(survey.id)}
    if kind == "hand_to_person":
        assistant.take_from_bot(tx, workspace_id, conversation.id, "rule")
        return {"type": kind}
    if kind == "hand_to_bot":
        assistant.give_to_bot(tx, workspace_id, conversation.id)
        return {"type": kind}
    raise InvalidInput(f"unknown action {kind}", code="invalid_action")
