"""The SCIM filter and path grammar (RFC 7644 §3.4.2.2 and §3.5.2), parsed properly.

``parse_filter`` turns ``userName eq "bjensen" and (emails[type eq "work"] pr or not (title sw "Dr"))``
into a small tree; ``parse_path`` reads a PATCH path such as ``members[value eq "42"].display``.
A tree can be evaluated against a resource's JSON (``matches``), or compiled to a Django ``Q``
when every attribute it names is a mapped column (``to_q``), so the common provisioning
queries (``userName eq``, ``externalId eq``, ``displayName eq``) run in the database.

Operator precedence is ``not`` > ``and`` > ``or``; attribute names and operators are
case-insensitive; string comparisons are case-insensitive except for ``caseExact`` attributes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from steward.identity.scim.errors import ScimError, invalid_filter, invalid_path

COMPARE_OPS = {"eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"}
ORDER_OPS = {"gt", "ge", "lt", "le"}
_ATTRNAME = re.compile(r"^\$?[A-Za-z][\w$-]*$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?([eE][+-]?\d+)?$")


@dataclass(frozen=True)
class AttrPath:
    """``[urn:]attr[.sub]``; ``urn`` is kept only for extension schemas, lower-cased names."""

    urn: str | None
    attr: str
    sub: str | None = None

    @property
    def key(self) -> str:
        base = f"{self.attr}.{self.sub}" if self.sub else self.attr
        return f"{self.urn}:{base}" if self.urn else base

    def __str__(self) -> str:
        return self.key


@dataclass(frozen=True)
class Compare:
    path: AttrPath
    op: str
    value: Any


@dataclass(frozen=True)
class Present:
    path: AttrPath


@dataclass(frozen=True)
class And:
    left: Any
    right: Any


@dataclass(frozen=True)
class Or:
    left: Any
    right: Any


@dataclass(frozen=True)
class Not:
    inner: Any


@dataclass(frozen=True)
class ValuePath:
    """``attr[filter]``: the filter applies to each element of a multi-valued attribute."""

    path: AttrPath
    inner: Any


Node = Compare | Present | And | Or | Not | ValuePath


# --- tokens ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Token:
    kind: str  # "word", "string", "(", ")", "[", "]"
    text: str
    value: Any
    pos: int


def tokenize(text: str, error: Callable[[str], ScimError] = invalid_filter) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in "()[]":
            tokens.append(Token(ch, ch, ch, i))
            i += 1
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise error(f"Unterminated string starting at position {i + 1}.")
            raw = text[i : j + 1]
            try:
                value = json.loads(raw)
            except ValueError:
                raise error(f"Bad string {raw} at position {i + 1}.") from None
            tokens.append(Token("string", raw, value, i))
            i = j + 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in '()[]"':
                j += 1
            tokens.append(Token("word", text[i:j], text[i:j], i))
            i = j
    return tokens


def split_path(text: str, error: Callable[[str], ScimError] = invalid_filter) -> AttrPath:
    """``urn:…:User:name.givenName`` → AttrPath; the core schema URN is dropped."""
    from steward.identity.scim.schemas import CORE_URNS, EXTENSION_URNS

    urn = None
    rest = text
    if ":" in text:
        urn_part, rest = text.rsplit(":", 1)
        lowered = urn_part.lower()
        if lowered in CORE_URNS:
            urn = None
        elif lowered in EXTENSION_URNS:
            urn = lowered
        else:
            raise error(f"Unknown schema in attribute path {text!r}.")
        if not rest:
            # A bare extension URN names the whole extension object.
            raise error(f"Attribute path {text!r} names no attribute.")
    parts = rest.split(".")
    if len(parts) > 2 or not all(_ATTRNAME.match(p) for p in parts):
        raise error(f"Bad attribute path {text!r}.")
    return AttrPath(urn, parts[0].lower(), parts[1].lower() if len(parts) == 2 else None)


class _Parser:
    def __init__(self, text: str, error: Callable[[str], ScimError]) -> None:
        self.text = text
        self.error = error
        self.tokens = tokenize(text, error)
        self.i = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token:
        token = self.peek()
        if token is None:
            raise self.error("The filter ends too early.")
        self.i += 1
        return token

    def expect(self, kind: str) -> Token:
        token = self.take()
        if token.kind != kind:
            raise self.error(f"Expected {kind!r} at position {token.pos + 1}, found {token.text!r}.")
        return token

    def is_word(self, *words: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "word" and token.text.lower() in words

    def parse_or(self) -> Node:
        node = self.parse_and()
        while self.is_word("or"):
            self.take()
            node = Or(node, self.parse_and())
        return node

    def parse_and(self) -> Node:
        node = self.parse_not()
        while self.is_word("and"):
            self.take()
            node = And(node, self.parse_not())
        return node

    def parse_not(self) -> Node:
        if self.is_word("not"):
            self.take()
            self.expect("(")
            inner = self.parse_or()
            self.expect(")")
            return Not(inner)
        return self.parse_atom()

    def parse_atom(self) -> Node:
        token = self.take()
        if token.kind == "(":
            inner = self.parse_or()
            self.expect(")")
            return inner
        if token.kind != "word":
            raise self.error(f"Expected an attribute at position {token.pos + 1}, found {token.text!r}.")
        path = split_path(token.text, self.error)
        nxt = self.peek()
        if nxt is not None and nxt.kind == "[":
            if path.sub:
                raise self.error(f"A value filter cannot follow a sub-attribute ({token.text!r}).")
            self.take()
            inner = self.parse_or()
            self.expect("]")
            return ValuePath(path, inner)
        op_token = self.take()
        op = op_token.text.lower()
        if op_token.kind != "word" or (op != "pr" and op not in COMPARE_OPS):
            raise self.error(f"Unknown operator {op_token.text!r} at position {op_token.pos + 1}.")
        if op == "pr":
            return Present(path)
        value_token = self.take()
        return Compare(path, op, self.literal(value_token))

    def literal(self, token: Token) -> Any:
        if token.kind == "string":
            return token.value
        if token.kind == "word":
            word = token.text
            if word in ("true", "false"):
                return word == "true"
            if word == "null":
                return None
            if _NUMBER.match(word):
                return float(word) if any(c in word for c in ".eE") else int(word)
        raise self.error(
            f"Expected a value (string, number, true, false or null) at position {token.pos + 1}."
        )


def parse_filter(text: str) -> Node:
    """Parse a ``filter`` query parameter; ``invalidFilter`` on any mistake."""
    if not text or not text.strip():
        raise invalid_filter("The filter is empty.")
    if len(text) > 4000:
        raise invalid_filter("The filter is too long.")
    parser = _Parser(text, invalid_filter)
    node = parser.parse_or()
    rest = parser.peek()
    if rest is not None:
        raise invalid_filter(f"Unexpected {rest.text!r} at position {rest.pos + 1}.")
    return node


@dataclass(frozen=True)
class PatchPath:
    """A PATCH ``path``: attribute, optional value filter on its elements, optional sub-attribute."""

    path: AttrPath
    value_filter: Node | None = None
    sub: str | None = None


def parse_path(text: str) -> PatchPath:
    """Parse a PATCH operation's ``path``; ``invalidPath`` (or ``invalidFilter``) on mistakes."""
    if not isinstance(text, str) or not text.strip():
        raise invalid_path("The path is empty.")
    text = text.strip()
    if "[" not in text:
        return PatchPath(split_path(text, invalid_path))
    head, _sep, rest = text.partition("[")
    if not rest.count("]"):
        raise invalid_path(f"Unclosed '[' in path {text!r}.")
    inner_text, _sep, tail = rest.rpartition("]")
    path = split_path(head, invalid_path)
    if path.sub:
        raise invalid_path(f"A value filter cannot follow a sub-attribute in {text!r}.")
    sub = None
    if tail:
        if not tail.startswith(".") or not _ATTRNAME.match(tail[1:]):
            raise invalid_path(f"Bad text after the value filter in {text!r}.")
        sub = tail[1:].lower()
    return PatchPath(path, parse_filter(inner_text), sub)


# --- evaluation against JSON ---------------------------------------------------------------------
def ci_get(mapping: Any, key: str) -> Any:
    if not isinstance(mapping, dict):
        return None
    if key in mapping:
        return mapping[key]
    lowered = key.lower()
    for k, v in mapping.items():
        if k.lower() == lowered:
            return v
    return None


def values_at(resource: dict, path: AttrPath) -> list[Any]:
    container = ci_get(resource, path.urn) if path.urn else resource
    value = ci_get(container, path.attr)
    if value is None:
        return []
    if isinstance(value, list):
        if path.sub:
            return [v for v in (ci_get(e, path.sub) for e in value) if v is not None]
        return [ci_get(e, "value") if isinstance(e, dict) else e for e in value]
    if isinstance(value, dict):
        return [] if not path.sub else [v for v in [ci_get(value, path.sub)] if v is not None]
    return [value]


def _as_datetime(value: Any) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _compare(actual: Any, op: str, expected: Any, case_exact: bool) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        if op in ORDER_OPS or op in {"co", "sw", "ew"}:
            raise invalid_filter(f"Operator {op!r} cannot compare booleans.")
        return actual is expected if op == "eq" else actual is not expected
    if isinstance(expected, str) and isinstance(actual, str):
        when_a, when_e = _as_datetime(actual), _as_datetime(expected)
        if op in ORDER_OPS and when_a and when_e:
            actual, expected = when_a, when_e
        elif not case_exact:
            actual, expected = actual.lower(), expected.lower()
    elif isinstance(expected, int | float) and isinstance(actual, int | float):
        pass
    elif isinstance(expected, str) and isinstance(actual, int | float):
        actual = str(actual)
    else:
        return op == "ne"
    if op == "eq":
        return actual == expected
    if op == "ne":
        return actual != expected
    if op in {"co", "sw", "ew"}:
        if not isinstance(actual, str):
            return False
        return {"co": expected in actual, "sw": actual.startswith(expected), "ew": actual.endswith(expected)}[
            op
        ]
    return {
        "gt": actual > expected,
        "ge": actual >= expected,
        "lt": actual < expected,
        "le": actual <= expected,
    }[op]


def matches(node: Node, resource: dict, case_exact: Iterable[str] = ()) -> bool:
    """Whether ``resource`` (its SCIM JSON) satisfies the filter ``node``."""
    exact = set(case_exact)
    if isinstance(node, And):
        return matches(node.left, resource, exact) and matches(node.right, resource, exact)
    if isinstance(node, Or):
        return matches(node.left, resource, exact) or matches(node.right, resource, exact)
    if isinstance(node, Not):
        return not matches(node.inner, resource, exact)
    if isinstance(node, Present):
        return any(v not in (None, "", [], {}) for v in values_at(resource, node.path))
    if isinstance(node, ValuePath):
        container = ci_get(resource, node.path.urn) if node.path.urn else resource
        elements = ci_get(container, node.path.attr)
        if isinstance(elements, dict):
            elements = [elements]
        return any(isinstance(e, dict) and matches(node.inner, e, set()) for e in elements or [])
    values = values_at(resource, node.path)
    if node.value is None:
        present = any(v is not None for v in values)
        return (not present) if node.op == "eq" else present
    if node.op == "ne":
        return not any(_compare(v, "eq", node.value, node.path.key in exact) for v in values)
    return any(_compare(v, node.op, node.value, node.path.key in exact) for v in values)


# --- compilation to the ORM ----------------------------------------------------------------------
class Unmapped(Exception):
    """The filter names an attribute with no column: evaluate it in Python instead."""


QBuilder = Callable[[str, Any], Q]


def string_column(field: str, *, case_exact: bool = False) -> QBuilder:
    def build(op: str, value: Any) -> Q:
        if op == "pr":
            return Q(**{f"{field}__isnull": False}) & ~Q(**{field: ""})
        if value is None:
            return Q(**{f"{field}__isnull": True}) | Q(**{field: ""})
        if isinstance(value, bool):
            raise Unmapped
        value = str(value)
        prefix = "" if case_exact else "i"
        lookup = {
            "eq": f"{prefix}exact",
            "ne": f"{prefix}exact",
            "co": f"{prefix}contains",
            "sw": f"{prefix}startswith",
            "ew": f"{prefix}endswith",
        }.get(op)
        if lookup is None:
            lookup = op.replace("ge", "gte").replace("le", "lte")
        q = Q(**{f"{field}__{lookup}": value})
        return ~q if op == "ne" else q

    return build


def integer_column(field: str) -> QBuilder:
    def build(op: str, value: Any) -> Q:
        if op == "pr":
            return Q(**{f"{field}__isnull": False})
        try:
            number = int(value)
        except (TypeError, ValueError):
            return Q(pk__in=[]) if op != "ne" else ~Q(pk__in=[])
        if op in {"co", "sw", "ew"}:
            raise Unmapped
        q = Q(
            **{
                f"{field}__{'exact' if op in ('eq', 'ne') else op.replace('ge', 'gte').replace('le', 'lte')}": number
            }
        )
        return ~q if op == "ne" else q

    return build


def datetime_column(field: str) -> QBuilder:
    def build(op: str, value: Any) -> Q:
        if op == "pr":
            return Q(**{f"{field}__isnull": False})
        when = _as_datetime(value)
        if when is None or op in {"co", "sw", "ew"}:
            raise invalid_filter(f"Give an ISO 8601 date-time to compare with, not {value!r}.")
        lookup = {"eq": "exact", "ne": "exact", "gt": "gt", "ge": "gte", "lt": "lt", "le": "lte"}[op]
        q = Q(**{f"{field}__{lookup}": when})
        return ~q if op == "ne" else q

    return build


def to_q(node: Node, columns: dict[str, QBuilder]) -> Q:
    """Compile ``node`` to a ``Q``; raises ``Unmapped`` if an attribute has no column."""
    if isinstance(node, And):
        return to_q(node.left, columns) & to_q(node.right, columns)
    if isinstance(node, Or):
        return to_q(node.left, columns) | to_q(node.right, columns)
    if isinstance(node, Not):
        return ~to_q(node.inner, columns)
    if isinstance(node, ValuePath):
        inner = node.inner
        if isinstance(inner, Compare | Present) and inner.path.sub is None and inner.path.urn is None:
            path = AttrPath(node.path.urn, node.path.attr, inner.path.attr)
            return to_q(
                Compare(path, inner.op, inner.value) if isinstance(inner, Compare) else Present(path), columns
            )
        raise Unmapped
    builder = columns.get(node.path.key)
    if builder is None:
        raise Unmapped
    if isinstance(node, Present):
        return builder("pr", None)
    if node.value is None and node.op not in ("eq", "ne"):
        raise invalid_filter(f"Operator {node.op!r} cannot compare with null.")
    if node.value is None and node.op == "ne":
        return ~builder("eq", None)
    if isinstance(node.value, bool) and (node.op in ORDER_OPS or node.op in {"co", "sw", "ew"}):
        raise invalid_filter(f"Operator {node.op!r} cannot compare booleans.")
    return builder(node.op, node.value)
