"""Home-page widgets contributed by each app through ``registry.dashboard_widgets``.

A widget is data, rendered server-side: a counter, a chart (Chart.js reads its config from a
JSON data block; no inline script, so the CSP holds) or a small table. Each carries the
permission a user needs to see it; its ``data`` callable receives the user and must only
read rows that user may see (``.restrict(user)``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

logger = logging.getLogger(__name__)

KINDS = ("counter", "chart", "table")


@dataclass(frozen=True)
class Widget:
    """One box on the home page.

    ``data(user)`` returns, by kind:
    counter — ``{"value": int, "url": str?, "subtitle": str?}``;
    chart — ``{"type": "bar"|"doughnut"|"line"…, "labels": [...], "datasets": [{"label", "data"}]}``;
    table — ``{"columns": [...], "rows": [[cell, ...]], "links": [url per row]?, "url": str?}``.
    """

    name: str
    title: str
    kind: str
    data: Callable[[Any], dict[str, Any]]
    permission: str | None = None  # e.g. "org.view_person"; None: any signed-in user
    weight: int = 100
    width: int = 3  # columns of 12 on large screens

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"Widget {self.name}: kind must be one of {', '.join(KINDS)}, not {self.kind!r}")


def register_widget(widget: Widget) -> Widget:
    from steward.core.registry import registry

    if any(w.name == widget.name for w in registry.dashboard_widgets):
        raise ValueError(f"Widget {widget.name} is registered twice")
    registry.dashboard_widgets.append(widget)
    return widget


def visible_widgets(user: Any) -> list[Widget]:
    from steward.core.registry import registry

    return sorted(
        (w for w in registry.dashboard_widgets if w.permission is None or user.has_perm(w.permission)),
        key=lambda w: (w.weight, w.name),
    )


def render_widgets(user: Any) -> list[dict[str, Any]]:
    """Each visible widget with its data; a widget that fails shows an error, not a broken page."""
    result = []
    for widget in visible_widgets(user):
        try:
            data = widget.data(user)
            error = False
        except Exception:
            logger.exception("Dashboard widget %s failed", widget.name)
            data, error = {}, True
        item = {"widget": widget, "data": data, "error": error, "dom_id": f"widget-{widget.name}"}
        item["data_id"] = f"{item['dom_id']}-data"
        if widget.kind == "table" and not error:
            links = list(data.get("links") or [])
            rows = list(data.get("rows") or [])
            item["rows"] = [(row, links[i] if i < len(links) else "") for i, row in enumerate(rows)]
        result.append(item)
    return result
