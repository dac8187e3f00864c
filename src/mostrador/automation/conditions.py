"""A rule's conditions: a tree of ``all`` / ``any`` / ``not`` over field comparisons. Pure.

    {"all": [{"field": "channel", "op": "in", "value": ["whatsapp", "instagram"]},
             {"any": [{"field": "business_hours", "op": "eq", "value": false},
                      {"field": "customer.tags", "op": "contains", "value": "vip"}]}]}

Facts are a flat mapping with dotted names (``customer.tags``); a missing field never
matches anything but ``exists: false``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["OPERATORS", "ConditionError", "check", "matches"]

_MISSING: Final = object()
_MAX_DEPTH: Final = 6
_MAX_NODES: Final = 60


class ConditionError(ValueError):
    """A condition tree that cannot be evaluated; the message says where."""


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _compare(left: Any, right: Any, test: Callable[[float, float], bool]) -> bool:
    a, b = _number(left), _number(right)
    if a is None or b is None:
        return False
    return test(a, b)


def _contains(left: Any, right: Any) -> bool:
    if isinstance(left, list | tuple | set):
        return right in left
    if isinstance(left, str) and isinstance(right, str):
        return right.lower() in left.lower()
    return False


OPERATORS: Final[dict[str, Callable[[Any, Any], bool]]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "in": lambda a, b: isinstance(b, list) and a in b,
    "not_in": lambda a, b: isinstance(b, list) and a not in b,
    "contains": _contains,
    "not_contains": lambda a, b: not _contains(a, b),
    "gt": lambda a, b: _compare(a, b, lambda x, y: x > y),
    "gte": lambda a, b: _compare(a, b, lambda x, y: x >= y),
    "lt": lambda a, b: _compare(a, b, lambda x, y: x < y),
    "lte": lambda a, b: _compare(a, b, lambda x, y: x <= y),
}


def check(tree: Mapping[str, Any] | None) -> None:
    """Raise :class:`ConditionError` unless ``tree`` is a well-formed condition tree."""
    count = 0

    def visit(node: Any, where: str, depth: int) -> None:
        nonlocal count
        count += 1
        if count > _MAX_NODES or depth > _MAX_DEPTH:
            raise ConditionError(f"{where}: at most {_MAX_NODES} conditions, {_MAX_DEPTH} deep")
        if not isinstance(node, Mapping) or len(node) == 0:
            raise ConditionError(f"{where}: a condition is an object")
        if "all" in node or "any" in node:
            key = "all" if "all" in node else "any"
            children = node[key]
            if len(node) != 1 or not isinstance(children, list) or not children:
                raise ConditionError(f"{where}.{key}: a non-empty list, alone in its object")
            for at, child in enumerate(children):
                visit(child, f"{where}.{key}[{at}]", depth + 1)
            return
        if "not" in node:
            if len(node) != 1:
                raise ConditionError(f"{where}.not: alone in its object")
            visit(node["not"], f"{where}.not", depth + 1)
            return
        field, op = node.get("field"), node.get("op")
        if not isinstance(field, str) or not field:
            raise ConditionError(f"{where}.field: a field name")
        if op == "exists":
            if not isinstance(node.get("value", True), bool):
                raise ConditionError(f"{where}.value: exists takes true or false")
            return
        if op not in OPERATORS:
            raise ConditionError(f"{where}.op: one of exists, {', '.join(OPERATORS)}")
        if "value" not in node:
            raise ConditionError(f"{where}.value: missing")
        if op in ("in", "not_in") and not isinstance(node["value"], list):
            raise ConditionError(f"{where}.value: {op} takes a list")

    if tree:
        visit(tree, "conditions", 0)


def matches(tree: Mapping[str, Any] | None, facts: Mapping[str, Any]) -> bool:
    """Whether ``facts`` satisfy ``tree`` (no tree: always). ``tree`` must have passed ``check``."""
    if not tree:
        return True
    if "all" in tree:
        return all(matches(child, facts) for child in tree["all"])
    if "any" in tree:
        return any(matches(child, facts) for child in tree["any"])
    if "not" in tree:
        return not matches(tree["not"], facts)
    value = facts.get(tree["field"], _MISSING)
    if tree["op"] == "exists":
        return (value is not _MISSING and value is not None) is bool(tree.get("value", True))
    if value is _MISSING:
        return False
    return bool(OPERATORS[tree["op"]](value, tree["value"]))
