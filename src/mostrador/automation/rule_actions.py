"""What a rule may do, and the check of a rule's action list. Pure.

Each action is an object with a ``type`` and its parameters. Conversation actions need an
event that names a conversation (or a customer, whose latest conversation is used).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from mostrador.automation.webhook_rules import valid_url

__all__ = ["ACTION_TYPES", "ActionError", "check_actions"]

PRIORITIES: Final = ("low", "normal", "high", "urgent")
# type -> required parameters and their Python types
ACTION_TYPES: Final[dict[str, dict[str, type | tuple[type, ...]]]] = {
    "label": {"labels": list},
    "set_priority": {"priority": str},
    "assign": {},  # "user_id" or "team_id" (with "auto": true for the team's next agent)
    "reply": {"text": str},
    "note": {"text": str},
    "hand_to_person": {},
    "hand_to_bot": {},
    "add_loyalty_points": {"points": int, "reason": str},
    "send_survey": {"kind": str},
    "start_journey": {"journey_id": str},
    "call_webhook": {"url": str, "secret": str},
}
_MAX_ACTIONS: Final = 10
_MAX_TEXT: Final = 4096


class ActionError(ValueError):
    """An action list that cannot run; the message says where."""


def _check_one(at: int, action: Any) -> None:
    where = f"actions[{at}]"
    if not isinstance(action, Mapping):
        raise ActionError(f"{where}: an action is an object")
    kind = action.get("type")
    if kind not in ACTION_TYPES:
        raise ActionError(f"{where}.type: one of {', '.join(ACTION_TYPES)}")
    for name, expected in ACTION_TYPES[kind].items():
        value = action.get(name)
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ActionError(f"{where}.{name}: missing or of the wrong type")
    if kind == "label" and not all(isinstance(v, str) and v.strip() for v in action["labels"]):
        raise ActionError(f"{where}.labels: a list of label names")
    if kind == "set_priority" and action["priority"] not in PRIORITIES:
        raise ActionError(f"{where}.priority: one of {', '.join(PRIORITIES)}")
    if kind in ("reply", "note") and not 0 < len(action["text"].strip()) <= _MAX_TEXT:
        raise ActionError(f"{where}.text: 1 to {_MAX_TEXT} characters")
    if kind == "assign" and not (action.get("user_id") or action.get("team_id")):
        raise ActionError(f"{where}: assign needs user_id or team_id")
    if kind == "send_survey" and action["kind"] not in ("csat", "nps", "ces"):
        raise ActionError(f"{where}.kind: one of csat, nps, ces")
    if kind == "call_webhook":
        problem = valid_url(action["url"])
        if problem is not None:
            raise ActionError(f"{where}.url: {problem}")
        if len(action["secret"]) < 16:
            raise ActionError(f"{where}.secret: at least 16 characters")
    if kind == "add_loyalty_points" and action["points"] == 0:
        raise ActionError(f"{where}.points: not zero")


def check_actions(actions: Sequence[Any]) -> None:
    if not isinstance(actions, Sequence) or isinstance(actions, str) or not actions:
        raise ActionError("actions: a non-empty list")
    if len(actions) > _MAX_ACTIONS:
        raise ActionError(f"actions: at most {_MAX_ACTIONS}")
    for at, action in enumerate(actions):
        _check_one(at, action)
