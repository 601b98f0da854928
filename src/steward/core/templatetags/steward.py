"""Template helpers used by the generic templates."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from steward.utilities.choices import ChoiceField
from steward.utilities.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(value: str | None) -> SafeString:
    return render_markdown(value)


@register.simple_tag
def choice_badge(obj: Any, field_name: str) -> SafeString:
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field_name)
    if value in (None, ""):
        return mark_safe("—")  # noqa: S308  # a constant dash  # nosec B308, B703
    label = getattr(obj, f"get_{field_name}_display")()
    colour = (
        field.choices_class.colour(value)
        if isinstance(field, ChoiceField) and field.choices_class
        else "secondary"
    )
    return format_html('<span class="badge bg-{}-lt">{}</span>', colour, label)


@register.simple_tag
def field_label(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name).capitalize()
    except Exception:
        return name.replace("_", " ").capitalize()


@register.simple_tag
def field_value(obj: Any, name: str) -> Any:
    """A field's value as people should see it: choice labels, links, yes/no, dashes."""
    try:
        field = obj._meta.get_field(name)
    except Exception:
        value = getattr(obj, name, None)
        return "—" if value in (None, "") else value
    if field.many_to_many:
        items = list(getattr(obj, name).all())
        if not items:
            return "—"
        return format_html_join(", ", "{}", ((link(i),) for i in items))
    value = getattr(obj, name)
    if value in (None, ""):
        return "—"
    if field.choices:
        return choice_badge(obj, name)
    if isinstance(field, models.BooleanField):
        return format_html(
            '<span class="badge bg-{}-lt">{}</span>',
            "green" if value else "secondary",
            "Yes" if value else "No",
        )
    if field.is_relation:
        return link(value)
    if isinstance(field, models.EmailField):
        return format_html('<a href="mailto:{}">{}</a>', value, value)
    if isinstance(field, models.URLField):
        return format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', value, value)
    return value


@register.simple_tag
def link(obj: Any) -> SafeString:
    if obj is None:
        return mark_safe("—")  # noqa: S308  # a constant dash  # nosec B308, B703
    try:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), obj)
    except (AttributeError, NoReverseMatch):
        return format_html("{}", obj)


@register.simple_tag
def model_url(model: Any, action: str, pk: Any = None) -> str:
    meta = model._meta
    kwargs = {"pk": pk} if pk is not None else {}
    return reverse(f"{meta.app_label}:{meta.model_name}_{action}", kwargs=kwargs)


@register.filter
def cf_value(obj: Any, name: str) -> Any:
    value = (obj.custom_field_data or {}).get(name)
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return value


@register.simple_tag(takes_context=True)
def qs_replace(context: dict[str, Any], **kwargs: Any) -> str:
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + query.urlencode()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if mapping else None


@register.filter
def get_attr(obj: Any, name: str) -> Any:
    return getattr(obj, name, None)


@register.simple_tag
def form_widget(field: Any, size: str = "") -> SafeString:
    """Render a bound field's widget with Tabler's classes, marked invalid when it has errors.

    Django already adds ``aria-invalid`` and ``aria-describedby`` (pointing at
    ``<id>_error`` / ``<id>_helptext``); this adds the look to match.
    """
    kind = field.widget_type
    if kind in ("checkbox", "radioselect", "checkboxselectmultiple"):
        css = "form-check-input"
    elif "select" in kind:
        css = "form-select"
    else:
        css = "form-control"
    widget = field.field.widget
    classes = set(widget.attrs.get("class", "").split())
    if kind not in ("radioselect", "checkboxselectmultiple") and not classes & {
        "form-control",
        "form-select",
        "form-check-input",
    }:
        classes.add(css)
    if size and css != "form-check-input":
        classes.add(f"{css}-{size}")
    if field.errors:
        classes.add("is-invalid")
    return field.as_widget(attrs={"class": " ".join(sorted(classes))})


class _ActiveFilter:
    def __init__(self, field: Any, shown: str) -> None:
        self.label = field.label
        self.name = field.name
        self.data_display = shown


@register.filter
def active_filters(form: Any) -> list[_ActiveFilter]:
    """The filters a list is narrowed by (quick search aside), with the values people chose."""
    if form is None or not form.is_bound:
        return []
    active = []
    for field in form:
        if field.name == "q":
            continue
        value = field.value()
        values = [v for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")]
        if not values:
            continue
        choices = dict(getattr(field.field, "choices", None) or [])
        shown = [str(choices.get(v, choices.get(_as_int(v), v))) for v in values]
        active.append(_ActiveFilter(field, ", ".join(shown)))
    return active


def _as_int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value
