"""The demo business's automation: a few rules and journeys a shop would switch on first."""

from __future__ import annotations

from typing import Any

from mostrador import automation
from mostrador.bootstrap import Runtime
from mostrador.core.ids import WorkspaceId

ACTOR = "demo:seed"
NIGHT = {"from": "21:00", "to": "09:00"}
RULES: tuple[dict[str, Any], ...] = (
    {
        "name": "Mensajes fuera de horario",
        "trigger": "conversations.MessageReceived",
        "conditions": {"all": [
            {"field": "business_hours", "op": "eq", "value": False},
            {"field": "channel", "op": "in", "value": ["whatsapp", "instagram", "messenger"]},
        ]},
        "actions": [{"type": "label", "labels": ["fuera-de-horario"]}],
        "position": 0,
    },
    {
        "name": "Detractores, a supervisión",
        "trigger": "conversations.SurveyAnswered",
        "conditions": {"field": "detractor", "op": "eq", "value": True},
        "actions": [{"type": "set_priority", "priority": "urgent"}],
        "position": 1,
    },
)  # fmt: skip
JOURNEYS: tuple[dict[str, Any], ...] = (
    {
        "name": "NPS tres días después de recibir la compra",
        "trigger": "commerce.OrderStatusChanged",
        "conditions": {"field": "status", "op": "in", "value": ["delivered", "collected"]},
        "steps": [{"wait": {"days": 3}}, {"survey": "nps"}],
        "quiet_hours": NIGHT,
    },
    {
        "name": "Recordatorio de retiro",
        "trigger": "commerce.OrderStatusChanged",
        "conditions": {"field": "status", "op": "eq", "value": "ready_for_pickup"},
        "steps": [
            {"wait": {"days": 1}},
            {"send": {"text": "Su pedido lo espera en el local. Traiga el código de retiro.",
                      "template": "recordatorio_retiro"}},
        ],
        "exit_on": ["commerce.OrderStatusChanged", "commerce.OrderCancelled"],
        "quiet_hours": NIGHT,
    },
)  # fmt: skip


def seed_automation(runtime: Runtime, workspace_id: WorkspaceId) -> tuple[int, int]:
    """Write the demo rules and journeys; returns how many of each."""
    for rule in RULES:
        automation.actions.create_rule(
            runtime.uow, workspace_id, automation.RuleInput.model_validate(rule), actor=ACTOR
        )
    for journey in JOURNEYS:
        automation.actions.create_journey(
            runtime.uow, workspace_id, automation.JourneyInput.model_validate(journey), actor=ACTOR
        )
    return len(RULES), len(JOURNEYS)
