"""Base forms: custom fields, tags and optimistic concurrency for every model form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from steward.core.models import CustomField, Tag, TaggedItem


class RemoteSelect(forms.Select):
    """A select that renders only its chosen option and searches the rest through the API.

    For links to large tables (configuration items, people): ``data-remote-url`` is a list
    endpoint answering ``&q=…`` with ``results`` of ``{id, display}`` (``?brief=1``);
    steward.js turns the select into a searching tom-select. Validation is unchanged.
    """

    def __init__(self, url: Any, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={**(attrs or {}), "data-remote-url": url, "class": "form-select"})

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        choices = self.choices
        if hasattr(choices, "queryset"):
            wanted = [v for v in value if str(v).isdigit()]
            qs = choices.queryset.filter(pk__in=wanted) if wanted else choices.queryset.none()
            field = choices.field
            empty = [] if self.allow_multiple_selected else [("", field.empty_label or "")]
            self.choices = empty + [(field.prepare_value(o), field.label_from_instance(o)) for o in qs]
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = choices


class RemoteSelectMultiple(RemoteSelect, forms.SelectMultiple):
    """``RemoteSelect`` for many-to-many links (configuration items of a service)."""


class StewardModelForm(forms.ModelForm):
    """A model form that also edits custom fields and tags and refuses stale writes.

    The hidden ``_last_updated`` field carries the version the user started from; if the row
    changed since, the save is refused with a message instead of silently overwriting.
    """

    tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all(), required=False, label=_("Tags"))
    _last_updated = forms.CharField(required=False, widget=forms.HiddenInput)

    custom_field_prefix = "cf_"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.custom_fields = CustomField.objects.for_model(self._meta.model)
        data = self.instance.custom_field_data or {} if self.instance else {}
        for cf in self.custom_fields:
            name = f"{self.custom_field_prefix}{cf.name}"
            self.fields[name] = cf.form_field()
            if self.instance.pk:
                self.initial[name] = data.get(cf.name)
            elif cf.default is not None:
                self.initial[name] = cf.default
        if self.instance.pk:
            self.initial["tags"] = [item.tag_id for item in self.instance.tagged_items.all()]
            self.initial["_last_updated"] = self.instance.last_updated.isoformat()
        for field in self.fields.values():
            widget = field.widget
            css = (
                "form-check-input"
                if isinstance(widget, forms.CheckboxInput)
                else ("form-select" if isinstance(widget, forms.Select) else "form-control")
            )
            widget.attrs.setdefault("class", css)

    @property
    def custom_field_names(self) -> list[str]:
        return [f"{self.custom_field_prefix}{cf.name}" for cf in self.custom_fields]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        started_from = cleaned.get("_last_updated")
        if self.instance.pk and started_from:
            current = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("last_updated", flat=True)
                .first()
            )
            parsed = parse_datetime(started_from)
            if current is not None and parsed is not None and current != parsed:
                raise forms.ValidationError(
                    _(
                        "Someone else changed this record since you opened it. Reload it and apply your change again."
                    ),
                    code="stale",
                )
        data = dict(self.instance.custom_field_data or {})
        for cf in self.custom_fields:
            name = f"{self.custom_field_prefix}{cf.name}"
            if name in self.fields and name in cleaned:
                try:
                    data[cf.name] = cf.to_python(cleaned[name])
                except forms.ValidationError as exc:
                    self.add_error(name, exc)
        self.instance.custom_field_data = {k: v for k, v in data.items() if v is not None}
        return cleaned

    def save(self, commit: bool = True) -> models.Model:
        instance = super().save(commit=commit)
        if commit and "tags" in self.cleaned_data:
            set_tags(instance, self.cleaned_data["tags"])
        return instance


def set_tags(instance: models.Model, tags: Any) -> None:
    from django.contrib.contenttypes.models import ContentType

    ct = ContentType.objects.get_for_model(instance)
    wanted = {t.pk for t in tags}
    current = set(instance.tagged_items.values_list("tag_id", flat=True))
    if wanted == current:
        return
    instance.tagged_items.filter(tag_id__in=current - wanted).delete()
    TaggedItem.objects.bulk_create(
        [TaggedItem(tag_id=pk, content_type=ct, object_id=instance.pk) for pk in wanted - current]
    )
    # Tags prefetched before this write are stale now; the next read must see the new ones.
    getattr(instance, "_prefetched_objects_cache", {}).pop("tagged_items", None)
    for cached in ("tag_list", "prefetched_tagged_items"):  # the API serializer's own caches
        instance.__dict__.pop(cached, None)
    from steward.core import changelog

    slugs = dict(Tag.objects.filter(pk__in=current | wanted).values_list("pk", "slug"))
    changelog.record_related(
        instance,
        {"tags": sorted(slugs[pk] for pk in current)},
        {"tags": sorted(slugs[pk] for pk in wanted)},
    )


class BulkEditForm(forms.Form):
    """Built per model from its edit form: every field optional, only filled ones applied."""

    pk = forms.ModelMultipleChoiceField(queryset=None, widget=forms.MultipleHiddenInput)

    def __init__(
        self, model: type[models.Model], base_form: type[forms.ModelForm], *args: Any, **kwargs: Any
    ):
        super().__init__(*args, **kwargs)
        self.fields["pk"].queryset = model._default_manager.all()
        template = base_form()
        self.editable: list[str] = []
        for name, field in template.fields.items():
            if name in ("_last_updated", "tags") or name.startswith("cf_"):
                continue
            model_field = (
                model._meta.get_field(name) if name in {f.name for f in model._meta.fields} else None
            )
            if model_field is not None and model_field.unique:
                continue
            field.required = False
            # Nothing may be preselected: a default shown here would be applied to every row.
            field.initial = None
            if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
                if not any(value in ("", None) for value, _label in field.choices):
                    field.choices = [("", "---------"), *field.choices]
            if isinstance(field, forms.BooleanField):
                field = forms.NullBooleanField(
                    label=field.label,
                    required=False,
                    widget=forms.Select(
                        choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))],
                        attrs={"class": "form-select"},
                    ),
                )
            self.fields[name] = field
            self.editable.append(name)
        self.add_tags = forms.ModelMultipleChoiceField(queryset=Tag.objects.all(), required=False)
        self.fields["add_tags"] = self.add_tags
        self.fields["add_tags"].widget.attrs["class"] = "form-select"

    def changes(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.editable
            if self.cleaned_data.get(name) not in (None, "", [])
        }


class ImportForm(forms.Form):
    FORMATS = (("csv", "CSV"), ("json", "JSON"), ("yaml", "YAML"))
    data = forms.CharField(
        label=_("Data"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control font-monospace"}),
    )
    upload = forms.FileField(
        label=_("or upload a file"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
    format = forms.ChoiceField(
        choices=FORMATS, initial="csv", widget=forms.Select(attrs={"class": "form-select"})
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload:
            try:
                cleaned["data"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise forms.ValidationError({"upload": _("The file is not UTF-8 text.")}) from None
            name = upload.name.lower()
            for ext, fmt in ((".json", "json"), (".yaml", "yaml"), (".yml", "yaml"), (".csv", "csv")):
                if name.endswith(ext):
                    cleaned["format"] = fmt
        if not cleaned.get("data", "").strip():
            raise forms.ValidationError({"data": _("Paste data or upload a file.")})
        return cleaned
