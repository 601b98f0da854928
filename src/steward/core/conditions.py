"""A small, safe condition language evaluated against an event payload.

A condition is JSON data, never code::

    {"field": "data.title", "op": "contains", "value": "Engineer"}
    {"and": [cond, ...]}    {"or": [cond, ...]}    {"not": cond}

``field`` is a dotted path into the payload (``data.status``, ``prechange.title``, ``changed``);
a missing path reads as ``null``. ``parse`` checks a condition once (when a rule is saved) and
names the exact place of an error; ``evaluate`` never raises: a comparison between values of
incompatible types is simply false. No regular expressions, so a rule cannot hang the worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MAX_DEPTH = 8
MAX_NODES = 100


class ConditionError(ValueError):
    """A condition that cannot be parsed; ``path`` says where (``and[1].op``)."""

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _contains(left: Any, right: Any) -> bool:
    if isinstance(left, str):
        return isinstance(right, str) and right in left
    if isinstance(left, (list, tuple)):
        return right in left
    if isinstance(left, dict):
        return right in left
    return False


OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
    "in": lambda a, b: a in b,
    "contains": _contains,
    "icontains": lambda a, b: _contains(
        _lower(a) if not isinstance(a, list) else [_lower(x) for x in a], _lower(b)
    ),
    "startswith": lambda a, b: isinstance(a, str) and isinstance(b, str) and a.startswith(b),
    "endswith": lambda a, b: isinstance(a, str) and isinstance(b, str) and a.endswith(b),
    "exists": lambda a, b: (a is not None) == bool(b),
}
#: Operators comparing order need a scalar on the right.
ORDERED = {"lt", "lte", "gt", "gte"}
STRING_OPS = {"startswith", "endswith"}


def parse(condition: Any, path: str = "") -> None:
    """Raise ``ConditionError`` unless ``condition`` is well formed (``None`` means always)."""
    if condition is None or condition == {}:
        return
    counter = [0]
    _check(condition, path, 0, counter)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check(node: Any, path: str, depth: int, counter: list[int]) -> None:
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise ConditionError(path, f"too many conditions (at most {MAX_NODES})")
    if depth > MAX_DEPTH:
        raise ConditionError(path, f"nested too deeply (at most {MAX_DEPTH} levels)")
    if not isinstance(node, dict):
        raise ConditionError(path, 'expected an object such as {"field": …, "op": …, "value": …}')
    keys = set(node)
    if keys & {"and", "or"}:
        if len(keys) != 1:
            raise ConditionError(path, "“and”/“or” must be the only key of its object")
        key = next(iter(keys))
        items = node[key]
        if not isinstance(items, list) or not items:
            raise ConditionError(_join(path, key), "expected a non-empty list of conditions")
        for i, item in enumerate(items):
            _check(item, f"{_join(path, key)}[{i}]", depth + 1, counter)
        return
    if "not" in keys:
        if len(keys) != 1:
            raise ConditionError(path, "“not” must be the only key of its object")
        _check(node["not"], _join(path, "not"), depth + 1, counter)
        return
    unknown = keys - {"field", "op", "value"}
    if unknown:
        raise ConditionError(path, f"unknown key(s): {', '.join(sorted(unknown))}")
    field = node.get("field")
    if not isinstance(field, str) or not field or any(not part for part in field.split(".")):
        raise ConditionError(_join(path, "field"), "expected a dotted path such as “data.title”")
    op = node.get("op", "eq")
    if op not in OPERATORS:
        raise ConditionError(_join(path, "op"), f"unknown operator “{op}”; use one of {', '.join(OPERATORS)}")
    if "value" not in node and op != "exists":
        raise ConditionError(_join(path, "value"), "missing")
    value = node.get("value", True)
    if op == "in" and not isinstance(value, list):
        raise ConditionError(_join(path, "value"), "“in” needs a list")
    if op in ORDERED and not isinstance(value, (int, float, str)):
        raise ConditionError(_join(path, "value"), f"“{op}” needs a number or a string")
    if op in STRING_OPS and not isinstance(value, str):
        raise ConditionError(_join(path, "value"), f"“{op}” needs a string")


def resolve(payload: Any, path: str) -> Any:
    value = payload
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def evaluate(condition: Any, payload: dict[str, Any]) -> bool:
    """True when ``payload`` meets ``condition``; an empty condition always matches."""
    if condition is None or condition == {}:
        return True
    if "and" in condition:
        return all(evaluate(c, payload) for c in condition["and"])
    if "or" in condition:
        return any(evaluate(c, payload) for c in condition["or"])
    if "not" in condition:
        return not evaluate(condition["not"], payload)
    op = condition.get("op", "eq")
    try:
        return bool(OPERATORS[op](resolve(payload, condition["field"]), condition.get("value", True)))
    except (TypeError, KeyError):
        return False
