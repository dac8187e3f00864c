"""Rule conditions: AND / OR / NOT over field comparisons, checked before they are stored."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

import pytest

from mostrador.automation.conditions import ConditionError, check, matches
from mostrador.automation.rule_actions import ActionError, check_actions
from mostrador.automation.webhook_rules import blocked_address, sign

FACTS = {
    "channel": "whatsapp",
    "business_hours": False,
    "customer.tags": ["vip", "mayorista"],
    "total": "125000.00",
    "text": "Hola, quiero CAMBIAR el talle",
}


@pytest.mark.parametrize(
    ("tree", "expected"),
    [
        ({}, True),
        ({"field": "channel", "op": "eq", "value": "whatsapp"}, True),
        ({"field": "channel", "op": "in", "value": ["instagram", "email"]}, False),
        ({"field": "channel", "op": "not_in", "value": ["instagram", "email"]}, True),
        ({"field": "customer.tags", "op": "contains", "value": "vip"}, True),
        ({"field": "text", "op": "contains", "value": "cambiar"}, True),
        ({"field": "text", "op": "not_contains", "value": "devolver"}, True),
        ({"field": "total", "op": "gte", "value": 100000}, True),
        ({"field": "total", "op": "lt", "value": 100000}, False),
        ({"field": "channel", "op": "gt", "value": 3}, False),  # not numbers: no match
        ({"field": "missing", "op": "ne", "value": "x"}, False),  # missing matches nothing
        ({"field": "missing", "op": "exists", "value": False}, True),
        ({"field": "channel", "op": "exists"}, True),
        (
            {
                "all": [
                    {"field": "channel", "op": "eq", "value": "whatsapp"},
                    {
                        "any": [
                            {"field": "business_hours", "op": "eq", "value": True},
                            {"field": "customer.tags", "op": "contains", "value": "vip"},
                        ]
                    },
                ]
            },
            True,
        ),
        ({"not": {"field": "business_hours", "op": "eq", "value": False}}, False),
    ],
)
def test_conditions_match_the_facts(tree: dict[str, Any], expected: bool) -> None:
    check(tree)
    assert matches(tree, FACTS) is expected


@pytest.mark.parametrize(
    ("tree", "message"),
    [
        ({"all": []}, "conditions.all: a non-empty list, alone in its object"),
        ({"field": "x", "op": "like", "value": 1}, "conditions.op: one of exists, eq, ne, in, "
         "not_in, contains, not_contains, gt, gte, lt, lte"),
        ({"field": "x", "op": "eq"}, "conditions.value: missing"),
        ({"field": "x", "op": "in", "value": "a"}, "conditions.value: in takes a list"),
        ({"any": [{"op": "eq", "value": 1}]}, "conditions.any[0].field: a field name"),
        ({"not": {"field": "x", "op": "eq", "value": 1}, "all": []},
         "conditions.all: a non-empty list, alone in its object"),
    ],
)  # fmt: skip
def test_malformed_conditions_are_refused_with_where(tree: dict[str, Any], message: str) -> None:
    with pytest.raises(ConditionError) as raised:
        check(tree)
    assert str(raised.value) == message


def test_a_too_deep_tree_is_refused() -> None:
    tree: dict[str, Any] = {"field": "x", "op": "eq", "value": 1}
    for _ in range(7):
        tree = {"not": tree}
    with pytest.raises(ConditionError, match="at most 60 conditions, 6 deep"):
        check(tree)


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        ([], "actions: a non-empty list"),
        ([{"type": "explode"}], "actions[0].type: one of label, set_priority, assign, reply, "
         "note, hand_to_person, hand_to_bot, add_loyalty_points, send_survey, start_journey, call_webhook"),
        ([{"type": "set_priority", "priority": "asap"}],
         "actions[0].priority: one of low, normal, high, urgent"),
        ([{"type": "reply", "text": "  "}], "actions[0].text: 1 to 4096 characters"),
        ([{"type": "assign"}], "actions[0]: assign needs user_id or team_id"),
        ([{"type": "add_loyalty_points", "points": True, "reason": "x"}],
         "actions[0].points: missing or of the wrong type"),
        ([{"type": "label", "labels": ["ok", ""]}], "actions[0].labels: a list of label names"),
    ],
)  # fmt: skip
def test_malformed_actions_are_refused_with_where(actions: Any, message: str) -> None:
    with pytest.raises(ActionError) as raised:
        check_actions(actions)
    assert str(raised.value) == message


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ({"type": "call_webhook", "url": "ftp://erp.example/x", "secret": "s" * 16},
         "actions[0].url: an http(s) URL with a host"),
        ({"type": "call_webhook", "url": "https://user:pw@erp.example/x", "secret": "s" * 16},
         "actions[0].url: no credentials in the URL"),
        ({"type": "call_webhook", "url": "https://erp.example/x", "secret": "corto"},
         "actions[0].secret: at least 16 characters"),
    ],
)  # fmt: skip
def test_webhook_actions_are_checked(action: dict[str, Any], message: str) -> None:
    with pytest.raises(ActionError) as raised:
        check_actions([action])
    assert str(raised.value) == message


def test_private_and_loopback_addresses_are_blocked_public_ones_are_not() -> None:
    assert [blocked_address(a) for a in ("127.0.0.1", "10.0.0.5", "169.254.169.254", "::1")] == [
        True,
        True,
        True,
        True,
    ]
    assert blocked_address("200.45.191.35") is False
    expected = hmac.new(b"clave", b'1764000000.{"a":1}', hashlib.sha256).hexdigest()
    assert sign("clave", 1764000000, b'{"a":1}') == f"sha256={expected}"
