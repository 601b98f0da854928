"""Base table: selection checkbox, linked name, and columns a user can choose and keep."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _


class ChoiceBadgeColumn(tables.Column):
    """Shows a choice with the colour its choices class declares, the same everywhere."""

    def render(self, value: Any, record: Any, bound_column: Any) -> str:
        from steward.core.templatetags.steward import choice_badge

        return choice_badge(record, bound_column.accessor)


class StateColumn(tables.Column):
    """The workflow state as a badge in the colour its definition gives."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(accessor="state", **kwargs)
        self._workflow: Any = None

    def render(self, value: Any, record: Any) -> str:
        from steward.core.workflow import get_workflow

        # Read the definition once per table, not once per row.
        self._workflow = self._workflow or get_workflow(type(record))
        state = self._workflow.state(value)
        return format_html('<span class="badge bg-{}-lt">{}</span>', state.colour, state.label)


class RowLinkColumn(tables.Column):
    """A "›" link to the row's own page, for models whose other columns link elsewhere."""

    def __init__(self, **kwargs) -> None:  # noqa: ANN003
        super().__init__(accessor="pk", verbose_name="", linkify=True, orderable=False, **kwargs)

    def render(self, value, record):  # noqa: ANN001, ANN201
        return "›"


class TagsColumn(tables.Column):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(accessor="pk", orderable=False, verbose_name=_("Tags"), **kwargs)

    def render(self, value: Any, record: Any) -> str:
        return format_html(
            "".join(
                format_html(
                    '<span class="badge me-1" style="background:{}">{}</span>', item.tag.colour, item.tag.name
                )
                for item in record.tagged_items.all()
            )
        )


class StewardTable(tables.Table):
    pk = tables.CheckBoxColumn(
        accessor="pk",
        attrs={
            "th__input": {"data-select-all": "1", "aria-label": _("Select all")},
            "td__input": {"aria-label": _("Select")},
        },
    )
    tags = TagsColumn()

    #: Columns shown when the user has not chosen; others can be switched on.
    default_columns: tuple[str, ...] = ()

    class Meta:
        attrs = {"class": "table table-vcenter table-hover card-table"}
        template_name = "core/table.html"

    def __init__(self, *args: Any, user_columns: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Apps may declare the defaults on the table or on its Meta.
        defaults = self.default_columns or getattr(getattr(self, "Meta", None), "default_columns", ())
        wanted = user_columns or list(defaults) or [c for c in self.base_columns if c != "tags"]
        wanted = [c for c in wanted if c != "pk"]
        self.available_columns = [
            (name, col.verbose_name) for name, col in self.columns.items() if name != "pk"
        ]
        for name in self.columns.names():
            if name == "pk":
                continue
            if name in wanted:
                self.columns.show(name)
            else:
                self.columns.hide(name)
        order = ["pk"] + [c for c in wanted if c in self.base_columns]
        order += [c for c in self.base_columns if c not in order]
        self.sequence = order
        self.chosen_columns = [c for c in wanted if c in self.base_columns]
