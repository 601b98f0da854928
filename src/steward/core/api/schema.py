"""Post-processing of the generated OpenAPI schema (drf-spectacular hooks)."""

from __future__ import annotations

from typing import Any


def collapse_nullable_any(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Replace ``oneOf: [{}, {"type": "null"}]`` (a nullable JSON field) by ``{}``.

    ``{}`` already accepts null, so the ``oneOf`` matches null twice and no valid client can
    satisfy it (schemathesis found every nullable JSON field answering ``null`` "invalid").
    """

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            one_of = node.get("oneOf")
            if isinstance(one_of, list) and {} in one_of:
                rest = {k: v for k, v in node.items() if k != "oneOf"}
                return walk(rest)
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(result)
