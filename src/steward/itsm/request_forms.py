"""Request forms defined as data: parse a catalogue item's field list, build the Django form
people fill in, and validate answers server-side (every path: portal, UI, API, import).

A definition is a list of fields::

    [{"name": "cost_centre", "label": "Cost centre", "type": "text", "required": true,
      "regex": "^CC-[0-9]{4}$", "help": "As printed on your badge"},
     {"name": "model", "type": "choice", "choices": ["13-inch", "15-inch"], "required": true},
     {"name": "needed_by", "type": "date", "min": "2026-01-01"},
     {"name": "monitors", "type": "number", "min": 0, "max": 3}]

Answers are stored as ``{name: value}`` in JSON: text as text, dates as ISO dates, numbers as
numbers, people and configuration items by id, attachments as ``{"attachment": id, "name": …}``.
Every error names the field (its label) so a person can fix it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from steward.itsm.choices_catalogue import FieldType

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
SPEC_KEYS = {"name", "label", "type", "required", "help", "choices", "regex", "min", "max", "min_length",
             "max_length"}  # fmt: skip
TEXT_TYPES = (FieldType.TEXT, FieldType.LONG_TEXT)


class FormDefinitionError(ValueError):
    """A field list is malformed; the message names the field (by position and name)."""


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    type: str
    required: bool = False
    help: str = ""
    choices: tuple[str, ...] = ()
    regex: str = ""
    min: Any = None
    max: Any = None
    min_length: int | None = None
    max_length: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        data["choices"] = list(self.choices)
        return {k: v for k, v in data.items() if v not in (None, "", [], False) or k in ("name", "type")}


def _date(value: Any, where: str) -> dt.date:
    try:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    except ValueError:
        raise FormDefinitionError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from None


def _number(value: Any, where: str) -> Decimal:
    try:
        if isinstance(value, bool):
            raise InvalidOperation
        return Decimal(str(value))
    except InvalidOperation:
        raise FormDefinitionError(f"{where}: '{value}' is not a number") from None


def parse_definition(raw: Any) -> list[FieldSpec]:
    """Check a field list and return its specs; raise ``FormDefinitionError`` naming the fault."""
    if isinstance(raw, str) and raw.strip():
        try:
            raw = json.loads(raw)
        except ValueError:
            raise FormDefinitionError(_("The form is not valid JSON.")) from None
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise FormDefinitionError(_("The form must be a list of fields."))
    specs: list[FieldSpec] = []
    seen: set[str] = set()
    for index, item in enumerate(raw, start=1):
        where = _("Field #%d") % index
        if not isinstance(item, dict):
            raise FormDefinitionError(_("%s must be an object.") % where)
        name = item.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise FormDefinitionError(_("%s needs a name of lower-case letters, digits and _.") % where)
        where = f"{where} '{name}'"
        if name in seen:
            raise FormDefinitionError(_("%s appears twice.") % where)
        seen.add(name)
        unknown = sorted(set(item) - SPEC_KEYS)
        if unknown:
            raise FormDefinitionError(
                _("%(w)s: unknown key(s) %(k)s.") % {"w": where, "k": ", ".join(unknown)}
            )
        ftype = item.get("type") or FieldType.TEXT
        if ftype not in FieldType.values:
            raise FormDefinitionError(
                _("%(w)s: unknown type '%(t)s' (use one of %(all)s).")
                % {"w": where, "t": ftype, "all": ", ".join(FieldType.values)}
            )
        choices = item.get("choices") or []
        if ftype == FieldType.CHOICE:
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(c, str) and c for c in choices)
            ):
                raise FormDefinitionError(_("%s: a choice field needs a list of choices.") % where)
        elif choices:
            raise FormDefinitionError(_("%s: only a choice field has choices.") % where)
        regex = item.get("regex") or ""
        if regex:
            if ftype not in TEXT_TYPES:
                raise FormDefinitionError(_("%s: only text fields take a regex.") % where)
            try:
                re.compile(regex)
            except (re.error, TypeError) as exc:
                raise FormDefinitionError(
                    _("%(w)s: the regex is invalid (%(e)s).") % {"w": where, "e": exc}
                ) from None
        low, high = item.get("min"), item.get("max")
        if low is not None or high is not None:
            if ftype == FieldType.DATE:
                low = _date(low, where).isoformat() if low is not None else None
                high = _date(high, where).isoformat() if high is not None else None
            elif ftype == FieldType.NUMBER:
                low = float(_number(low, where)) if low is not None else None
                high = float(_number(high, where)) if high is not None else None
            else:
                raise FormDefinitionError(_("%s: min/max apply to numbers and dates.") % where)
            if low is not None and high is not None and low > high:
                raise FormDefinitionError(_("%s: min is above max.") % where)
        lengths = {}
        for key in ("min_length", "max_length"):
            value = item.get(key)
            if value is None:
                continue
            if ftype not in TEXT_TYPES:
                raise FormDefinitionError(_("%(w)s: %(k)s applies to text.") % {"w": where, "k": key})
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise FormDefinitionError(_("%(w)s: %(k)s must be a whole number.") % {"w": where, "k": key})
            lengths[key] = value
        required = item.get("required", False)
        if not isinstance(required, bool):
            raise FormDefinitionError(_("%s: required must be true or false.") % where)
        specs.append(
            FieldSpec(
                name=name,
                label=str(item.get("label") or name.replace("_", " ").capitalize()),
                type=ftype,
                required=required,
                help=str(item.get("help") or ""),
                choices=tuple(choices),
                regex=regex,
                min=low,
                max=high,
                **lengths,
            )
        )
    return specs


def specs_of(definition: Any) -> list[FieldSpec]:
    """Specs of a stored (already validated) definition; a broken one yields no fields."""
    try:
        return parse_definition(definition)
    except FormDefinitionError:
        return []


# --- answers --------------------------------------------------------------------------------
def _person_model() -> Any:
    return apps.get_model("org", "Person")


def _ci_model() -> Any:
    return apps.get_model("cmdb", "ConfigurationItem")


def clean_value(spec: FieldSpec, value: Any) -> Any:
    """One answer checked against its spec, in its stored form; raise ``ValidationError`` if wrong."""
    if isinstance(value, str):
        value = value.strip()
    if value in (None, "", [], {}):
        if spec.required:
            raise ValidationError(_("This field is required."))
        return None
    if spec.type in TEXT_TYPES:
        if not isinstance(value, str):
            raise ValidationError(_("Give text."))
        if spec.min_length is not None and len(value) < spec.min_length:
            raise ValidationError(_("At least %d characters.") % spec.min_length)
        if spec.max_length is not None and len(value) > spec.max_length:
            raise ValidationError(_("At most %d characters.") % spec.max_length)
        if spec.regex and not re.fullmatch(spec.regex, value):
            raise ValidationError(_("This does not have the expected format."))
        return value
    if spec.type == FieldType.CHOICE:
        if value not in spec.choices:
            raise ValidationError(_("Choose one of: %s.") % ", ".join(spec.choices))
        return value
    if spec.type == FieldType.DATE:
        try:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None
        if spec.min and day < dt.date.fromisoformat(spec.min):
            raise ValidationError(_("On or after %s.") % spec.min)
        if spec.max and day > dt.date.fromisoformat(spec.max):
            raise ValidationError(_("On or before %s.") % spec.max)
        return day.isoformat()
    if spec.type == FieldType.NUMBER:
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            number = Decimal(str(value))
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            raise ValidationError(_("Give a number.")) from None
        if spec.min is not None and number < Decimal(str(spec.min)):
            raise ValidationError(_("At least %s.") % spec.min)
        if spec.max is not None and number > Decimal(str(spec.max)):
            raise ValidationError(_("At most %s.") % spec.max)
        return int(number) if number == number.to_integral_value() else float(number)
    if spec.type in (FieldType.PERSON, FieldType.CONFIGURATION_ITEM):
        model = _person_model() if spec.type == FieldType.PERSON else _ci_model()
        pk = getattr(value, "pk", value)
        if isinstance(pk, bool) or not str(pk).isdigit() or not model._default_manager.filter(pk=pk).exists():
            raise ValidationError(_("Choose an existing %s.") % model._meta.verbose_name)
        return int(pk)
    if spec.type == FieldType.ATTACHMENT:
        if isinstance(value, dict) and isinstance(value.get("name"), str) and value["name"]:
            return {"attachment": value.get("attachment"), "name": value["name"]}
        if isinstance(value, str):
            return {"attachment": None, "name": value}
        raise ValidationError(_("Attach a file."))
    raise ValidationError(_("Unknown field type."))  # pragma: no cover - specs are validated


def validate_answers(definition: Any, answers: Any) -> dict[str, Any]:
    """Answers checked against the form; ``ValidationError`` keyed ``answers`` naming each field."""
    if isinstance(answers, str) and answers.strip():
        try:
            answers = json.loads(answers)
        except ValueError:
            raise ValidationError({"answers": _("The answers are not valid JSON.")}) from None
    if answers in (None, ""):
        answers = {}
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Give the answers as an object of field name to value.")})
    specs = specs_of(definition)
    known = {s.name for s in specs}
    problems = [_("%s: this form has no such field.") % name for name in sorted(answers) if name not in known]
    cleaned: dict[str, Any] = {}
    for spec in specs:
        try:
            value = clean_value(spec, answers.get(spec.name))
        except ValidationError as exc:
            problems.append(f"{spec.label}: {' '.join(exc.messages)}")
            continue
        if value is not None:
            cleaned[spec.name] = value
    if problems:
        raise ValidationError({"answers": problems})
    return cleaned


def display_answers(definition: Any, answers: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, shown value) pairs in form order, people and CIs by name."""
    rows = []
    for spec in specs_of(definition):
        value = (answers or {}).get(spec.name)
        if value is None:
            continue
        if spec.type in (FieldType.PERSON, FieldType.CONFIGURATION_ITEM):
            model = _person_model() if spec.type == FieldType.PERSON else _ci_model()
            shown = str(model._default_manager.filter(pk=value).first() or value)
        elif spec.type == FieldType.ATTACHMENT and isinstance(value, dict):
            shown = value.get("name", "")
        else:
            shown = str(value)
        rows.append((spec.label, shown))
    return rows


# --- the Django form ------------------------------------------------------------------------
def _form_field(spec: FieldSpec) -> forms.Field:
    common = {"label": spec.label, "required": spec.required, "help_text": spec.help}
    if spec.type == FieldType.TEXT:
        return forms.CharField(**common, widget=forms.TextInput(attrs={"class": "form-control"}))
    if spec.type == FieldType.LONG_TEXT:
        return forms.CharField(**common, widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}))
    if spec.type == FieldType.CHOICE:
        return forms.ChoiceField(
            **common, choices=[("", "—"), *[(c, c) for c in spec.choices]],
            widget=forms.Select(attrs={"class": "form-select"}),
        )  # fmt: skip
    if spec.type == FieldType.DATE:
        attrs = {"class": "form-control", "type": "date"}
        attrs.update({k: v for k, v in (("min", spec.min), ("max", spec.max)) if v})
        return forms.CharField(**common, widget=forms.DateInput(attrs=attrs))
    if spec.type == FieldType.NUMBER:
        attrs = {"class": "form-control", "type": "number", "step": "any"}
        attrs.update({k: v for k, v in (("min", spec.min), ("max", spec.max)) if v is not None})
        return forms.CharField(**common, widget=forms.TextInput(attrs=attrs))
    if spec.type == FieldType.PERSON:
        return forms.EmailField(
            **{**common, "help_text": spec.help or _("The person's email address.")},
            widget=forms.EmailInput(attrs={"class": "form-control"}),
        )
    if spec.type == FieldType.CONFIGURATION_ITEM:
        return forms.CharField(
            **{**common, "help_text": spec.help or _("The configuration item's name.")},
            widget=forms.TextInput(attrs={"class": "form-control"}),
        )
    return forms.FileField(**common, widget=forms.ClearableFileInput(attrs={"class": "form-control"}))


class RequestForm(forms.Form):
    """The request form of one catalogue item, built from its definition.

    ``answers()`` gives the values in stored form (people and CIs looked up by email and name);
    each failing field carries its own error.
    """

    def __init__(self, definition: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs = specs_of(definition)
        for spec in self.specs:
            self.fields[spec.name] = _form_field(spec)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for spec in self.specs:
            if spec.name in self.errors:
                continue
            value = cleaned.get(spec.name)
            try:
                if spec.type == FieldType.PERSON and value:
                    person = _person_model()._default_manager.filter(email__iexact=value).first()
                    if person is None:
                        raise ValidationError(_("Nobody has this email address."))
                    value = person.pk
                elif spec.type == FieldType.CONFIGURATION_ITEM and value:
                    found = _ci_model()._default_manager.filter(name=value).values_list("pk", flat=True)[:2]
                    if len(found) != 1:
                        raise ValidationError(_("No single configuration item has this name."))
                    value = found[0]
                elif spec.type == FieldType.ATTACHMENT and value:
                    value = value.name
                cleaned[spec.name] = clean_value(spec, value)
            except ValidationError as exc:
                self.add_error(spec.name, exc)
        return cleaned

    def answers(self) -> dict[str, Any]:
        return {
            s.name: self.cleaned_data[s.name] for s in self.specs if self.cleaned_data.get(s.name) is not None
        }

    def files_to_attach(self) -> dict[str, Any]:
        return {
            s.name: self.files[s.name]
            for s in self.specs
            if s.type == FieldType.ATTACHMENT and s.name in self.files
        }
