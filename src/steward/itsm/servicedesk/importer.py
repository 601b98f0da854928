"""Import incidents exported from another tool, driven by a YAML mapping file.

The mapping says which of their columns feeds which of our fields, how their states and
priorities translate, and how their dates are written (see ``data/import/example-mapping.yaml``).
The import is all or nothing: every row is checked, and any error — named by line and column —
leaves the database untouched. Their reference is kept in ``external_reference`` and used to
find the incident again, so running the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from steward.core.importexport import RowError
from steward.itsm.choices import HoldReason, Impact, IncidentType, ResolutionCode, Urgency
from steward.itsm.models import Incident, Service

#: Our fields a column may feed, and how the value is read.
TEXT_FIELDS = {"short_description", "description", "category", "subcategory", "resolution_notes"}
DATE_FIELDS = {"created", "responded_at", "resolved_at", "closed_at"}
LINK_FIELDS = {"caller", "assignee", "assignment_team", "service"}
CHOICE_FIELDS = {"type": IncidentType, "hold_reason": HoldReason, "resolution_code": ResolutionCode,
                 "impact": Impact, "urgency": Urgency}  # fmt: skip
SPECIAL_FIELDS = {"state", "priority", "external_reference"}
TARGETS = TEXT_FIELDS | DATE_FIELDS | LINK_FIELDS | set(CHOICE_FIELDS) | SPECIAL_FIELDS
MAPPING_KEYS = {"source", "reference_column", "columns", "states", "priorities", "date_formats", "time_zone",
                "defaults", "delimiter", "encoding"}  # fmt: skip
OPEN_STATES = ("new", "in_progress", "on_hold")
STATES = ("new", "in_progress", "on_hold", "resolved", "closed")
#: Fields compared on a re-run: a difference updates the incident, none leaves it unchanged.
COMPARED = ("short_description", "description", "category", "subcategory", "state", "impact", "urgency", "type",
            "caller_id", "assignee_id", "assignment_team_id", "service_id", "hold_reason", "resolution_code",
            "resolution_notes", "resolved_at", "closed_at", "responded_at")  # fmt: skip


class MappingError(ValueError):
    """The mapping file is unusable; the message names the key."""


@dataclass
class Mapping:
    reference_column: str
    columns: dict[str, str]
    states: dict[str, str] = field(default_factory=dict)
    priorities: dict[str, dict[str, str]] = field(default_factory=dict)
    date_formats: list[str] = field(default_factory=lambda: ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S%z"])
    time_zone: str = "UTC"
    defaults: dict[str, str] = field(default_factory=dict)
    delimiter: str = ","
    encoding: str = "utf-8-sig"
    source: str = ""


def load_mapping(text: str) -> Mapping:
    """Read and check a YAML mapping; ``MappingError`` names the offending key."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise MappingError(f"The mapping is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise MappingError(
            "The mapping must be a YAML mapping with at least 'reference_column' and 'columns'."
        )
    unknown = sorted(set(data) - MAPPING_KEYS)
    if unknown:
        raise MappingError(f"{unknown[0]}: unknown key; use {', '.join(sorted(MAPPING_KEYS))}.")
    if not isinstance(data.get("reference_column"), str) or not data["reference_column"].strip():
        raise MappingError("reference_column: name the column holding their incident number.")
    columns = data.get("columns")
    if not isinstance(columns, dict) or not columns:
        raise MappingError("columns: map each of their column names to one of our fields.")
    for theirs, ours in columns.items():
        if ours not in TARGETS:
            raise MappingError(
                f"columns.{theirs}: unknown field {ours!r}; use one of {', '.join(sorted(TARGETS))}."
            )
    states = {str(k): str(v) for k, v in (data.get("states") or {}).items()}
    for theirs, ours in states.items():
        if ours not in STATES:
            raise MappingError(f"states.{theirs}: {ours!r} is not one of {', '.join(STATES)}.")
    priorities = {}
    for theirs, pair in (data.get("priorities") or {}).items():
        if not isinstance(pair, dict) or set(pair) != {"impact", "urgency"}:
            raise MappingError(f"priorities.{theirs}: give {{impact: 1-3, urgency: 1-3}}.")
        pair = {k: str(v) for k, v in pair.items()}
        if pair["impact"] not in Impact.values or pair["urgency"] not in Urgency.values:
            raise MappingError(f"priorities.{theirs}: impact and urgency are 1, 2 or 3.")
        priorities[str(theirs)] = pair
    formats = data.get("date_formats") or Mapping.__dataclass_fields__["date_formats"].default_factory()
    if not isinstance(formats, list) or not all(isinstance(f, str) for f in formats):
        raise MappingError("date_formats: a list of strptime formats such as '%d/%m/%Y %H:%M'.")
    tz = str(data.get("time_zone") or "UTC")
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise MappingError(f"time_zone: {tz!r} is not an IANA time zone.") from None
    defaults = {str(k): str(v) for k, v in (data.get("defaults") or {}).items()}
    for key in defaults:
        if key not in CHOICE_FIELDS and key not in TEXT_FIELDS:
            raise MappingError(f"defaults.{key}: only text and choice fields can have a default.")
    delimiter = str(data.get("delimiter") or ",")
    if len(delimiter) != 1:
        raise MappingError("delimiter: one character, such as ',' or ';'.")
    return Mapping(
        reference_column=data["reference_column"].strip(), columns={str(k): str(v) for k, v in columns.items()},
        states=states, priorities=priorities, date_formats=formats, time_zone=tz, defaults=defaults,
        delimiter=delimiter, encoding=str(data.get("encoding") or "utf-8-sig"), source=str(data.get("source") or ""),
    )  # fmt: skip


class RowProblem(RowError):
    """A refused value: ``row`` is the CSV file's line number, ``field`` their column's name."""

    def __str__(self) -> str:
        return f"Line {self.row}, {self.field}: {self.message}"


@dataclass
class HistoryImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    dry_run: bool = True
    preview: list[dict[str, Any]] = field(default_factory=list)

    def summary(self) -> str:
        verb = "would be" if self.dry_run else "were"
        return (f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged ({verb} imported)"
                if not self.errors else f"{len(self.errors)} errors; nothing imported")  # fmt: skip


class _Lookups:
    """Resolves people, teams and services by name or email once per distinct value."""

    def __init__(self) -> None:
        from steward.org.models import Person, Team

        self.person, self.team = Person, Team
        self.cache: dict[tuple[str, str], Any] = {}

    def get(self, kind: str, value: str) -> Any:
        key = (kind, value.casefold())
        if key not in self.cache:
            if kind in ("caller", "assignee"):
                found = self.person.objects.filter(email__iexact=value).first()
            elif kind == "assignment_team":
                found = (
                    self.team.objects.filter(name__iexact=value).first()
                    or self.team.objects.filter(slug__iexact=value).first()
                )
            else:
                found = Service.objects.filter(name__iexact=value).first()
            self.cache[key] = found
        return self.cache[key]


def _date(value: str, mapping: Mapping) -> dt.datetime:
    tz = zoneinfo.ZoneInfo(mapping.time_zone)
    for fmt in mapping.date_formats:
        try:
            parsed = dt.datetime.strptime(value, fmt)  # noqa: DTZ007 - the zone is applied below
        except ValueError:
            continue
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
    raise ValueError(f"{value!r} matches none of the date formats {mapping.date_formats}")


def _row_values(
    row: dict[str, str], mapping: Mapping, lookups: _Lookups
) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Our field values from one CSV row, and the (column, message) problems found."""
    values: dict[str, Any] = dict(mapping.defaults)
    problems: list[tuple[str, str]] = []
    for column, target in mapping.columns.items():
        raw = (row.get(column) or "").strip()
        if not raw:
            continue
        try:
            if target in TEXT_FIELDS:
                values[target] = raw
            elif target in DATE_FIELDS:
                values[target] = _date(raw, mapping)
            elif target in LINK_FIELDS:
                found = lookups.get(target, raw)
                if found is None:
                    what = (
                        "person with this email"
                        if target in ("caller", "assignee")
                        else target.replace("_", " ")
                    )
                    raise ValueError(f"no {what} {raw!r}")
                values[target] = found
            elif target == "state":
                if raw not in mapping.states and raw not in STATES:
                    raise ValueError(f"state {raw!r} is not in the mapping's states")
                values["state"] = mapping.states.get(raw, raw)
            elif target == "priority":
                pair = mapping.priorities.get(raw)
                if pair is None:
                    raise ValueError(f"priority {raw!r} is not in the mapping's priorities")
                values.update(pair)
            elif target in CHOICE_FIELDS:
                choices = CHOICE_FIELDS[target]
                if raw not in choices.values:
                    raise ValueError(f"{raw!r} is not one of {', '.join(choices.values)}")
                values[target] = raw
        except ValueError as exc:
            problems.append((column, str(exc)))
    return values, problems


def _apply(incident: Incident, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name != "created":
            setattr(incident, name, value)
    state = values.get("state") or incident.state or "new"
    incident.state = state
    if state == "on_hold" and not incident.hold_reason:
        incident.hold_reason = HoldReason.AWAITING_CALLER
    elif state != "on_hold":
        incident.hold_reason = ""  # as Incident.save() would; keeps a re-run from seeing a change
    if state in OPEN_STATES:
        incident.resolution_code = ""
    if state in ("resolved", "closed"):
        incident.resolved_at = values.get("resolved_at") or values.get("closed_at") or values.get("created")
    if state == "closed":
        incident.closed_at = values.get("closed_at") or incident.resolved_at


def read_rows(text: str, mapping: Mapping) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text), delimiter=mapping.delimiter)
    if reader.fieldnames is None:
        raise MappingError("The CSV file is empty.")
    wanted = [mapping.reference_column, *mapping.columns]
    missing = [c for c in wanted if c not in reader.fieldnames]
    if missing:
        raise MappingError(
            f"{missing[0]}: the CSV has no such column (it has {', '.join(reader.fieldnames)})."
        )
    return list(reader)


def import_incidents(
    *, data: bytes | str, mapping: Mapping, actor: Any, dry_run: bool = True
) -> HistoryImportResult:
    """Create or update one incident per CSV row; all or nothing, errors by line and column.

    Raises ``MappingError`` when the file does not fit the mapping at all (missing column).
    """
    from steward.core.context import change_context
    from steward.itsm.services import sync_sla_clocks

    text = data.decode(mapping.encoding) if isinstance(data, bytes) else data
    rows = read_rows(text, mapping)
    result = HistoryImportResult(dry_run=dry_run)
    lookups = _Lookups()
    seen: dict[str, int] = {}
    refs = [(r.get(mapping.reference_column) or "").strip() for r in rows]
    existing = {
        i.external_reference: i
        for i in Incident.objects.filter(external_reference__in=[r for r in refs if r])
    }
    with change_context(actor=actor, source="import"), transaction.atomic():
        for number, (row, ref) in enumerate(zip(rows, refs, strict=True), start=2):
            if not ref:
                result.errors.append(RowProblem(number, mapping.reference_column, "their reference is empty"))
                continue
            if ref in seen:
                result.errors.append(RowProblem(number, mapping.reference_column,
                                                f"{ref} appears again (first on line {seen[ref]})"))  # fmt: skip
                continue
            seen[ref] = number
            values, problems = _row_values(row, mapping, lookups)
            result.errors.extend(RowProblem(number, c, m) for c, m in problems)
            if problems:
                continue
            incident = existing.get(ref)
            is_new = incident is None
            if is_new:
                incident = Incident(external_reference=ref)
            before = {f: getattr(incident, f) for f in COMPARED} if not is_new else None
            _apply(incident, values)
            try:
                incident.full_clean()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    column = next((c for c, t in mapping.columns.items() if t == name), name)
                    result.errors.extend(RowProblem(number, column, m) for m in messages)
                continue
            if not is_new and before == {f: getattr(incident, f) for f in COMPARED}:
                result.unchanged += 1
                continue
            incident._history_import = True
            with transaction.atomic():
                incident.save()
                created = values.get("created")
                if is_new and created:
                    Incident.objects.filter(pk=incident.pk).update(created=created)
                    incident.created = created
                if incident.state in OPEN_STATES:
                    sync_sla_clocks(incident=incident, now=incident.created if is_new else None)
            if is_new:
                result.created += 1
            else:
                result.updated += 1
            if len(result.preview) < 20:
                result.preview.append({"line": number, "reference": ref, "incident": incident.reference,
                                       "action": "create" if is_new else "update", "state": incident.state})  # fmt: skip
        if result.errors or dry_run:
            transaction.set_rollback(True)
    if result.errors:
        result.created = result.updated = result.unchanged = 0
    return result


def problems_text(problems: Iterable[RowProblem]) -> str:
    return "\n".join(str(p) for p in problems)
