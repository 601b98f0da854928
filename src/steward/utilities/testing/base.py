"""What the generic UI and API test cases share: users with grants, rows, change-log checks."""

from __future__ import annotations

import csv
import io
import itertools
from typing import Any, ClassVar

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from steward.core import importexport
from steward.core.models import ObjectChange
from steward.core.registry import registry
from steward.core.serialization import snapshot
from steward.utilities.testing import grant, make_user

_user_numbers = itertools.count(1)


class ModelTestCase(TestCase):
    """Base of the generic cases: a subclass names ``model`` and builds rows in ``setUpTestData``.

    The rows of ``model`` that exist when a test starts are the test's rows; there must be at
    least three, none with records depending on it (so each can be deleted).
    """

    model: ClassVar[type[models.Model] | None] = None
    #: CSV lines (header first) of three new rows; used by import and to grow the table.
    csv_data: ClassVar[tuple[str, ...]] = ()
    #: Field values applied to several rows at once (bulk edit, bulk update); not unique fields.
    bulk_edit_data: ClassVar[dict[str, Any]] = {}
    #: Values that must be refused, merged over valid input: ``{field: bad value}``.
    invalid_data: ClassVar[dict[str, Any]] = {}
    #: Optional: a constraint every row matches, and values that would move a row outside it.
    field_constraint: ClassVar[dict[str, Any] | None] = None
    move_out_data: ClassVar[dict[str, Any]] = {}

    @classmethod
    def setUpClass(cls) -> None:
        if cls.model is None:
            # The abstract base itself: nothing to test.
            import unittest

            raise unittest.SkipTest("generic base case")
        super().setUpClass()

    # --- users ------------------------------------------------------------------------------
    def user_with(
        self, *actions: str, constraints: Any = None, model: type[models.Model] | None = None
    ) -> Any:
        user = make_user(f"u{next(_user_numbers)}")
        if actions:
            grant(user, model or self.model, *actions, constraints=constraints)
        return user

    def needs_field_constraint(self) -> None:
        if self.field_constraint is None:
            self.skipTest("no field_constraint given")

    def define_custom_field(self) -> Any:
        """An integer custom field (at least 1) on the model under test, named ``charge_code``."""
        from steward.core.models import CustomField

        cf = CustomField.objects.create(name="charge_code", type="integer", validation_minimum=1)
        cf.object_types.set([ContentType.objects.get_for_model(self.model)])
        return cf

    def define_tag(self) -> Any:
        from steward.core.models import Tag

        return Tag.objects.create(name="Critical", slug="critical")

    # --- rows -------------------------------------------------------------------------------
    def rows(self) -> list[models.Model]:
        return list(self.model._default_manager.order_by("pk"))

    def constraint_for(self, obj: models.Model) -> dict[str, Any]:
        """A constraint that admits ``obj`` and none of the other rows."""
        return {"pk": obj.pk}

    @property
    def views(self) -> Any:
        return registry.entry(self.model).views

    def import_csv(self, text: str | None = None) -> importexport.ImportResult:
        """Write the rows of ``csv_data`` (or ``text``) straight through the importer."""
        rows = importexport.parse_rows(text or "\n".join(self.csv_data), "csv")
        result = importexport.import_rows(
            model=self.model, form_class=self.views.form, rows=rows, dry_run=False
        )
        self.assertFalse(result.errors, [str(e) for e in result.errors])
        return result

    def invalid_csv(self) -> tuple[str, int, str]:
        """``csv_data`` with the first ``invalid_data`` value put in its second row."""
        field, value = next(iter(self.invalid_data.items()))
        reader = list(csv.DictReader(io.StringIO("\n".join(self.csv_data))))
        reader[1][field] = value
        out = io.StringIO()
        writer = csv.DictWriter(
            out, fieldnames=list(reader[0].keys()) + ([field] if field not in reader[0] else [])
        )
        writer.writeheader()
        writer.writerows(reader)
        return out.getvalue(), 2, field

    # --- checks -----------------------------------------------------------------------------
    def snapshot_rows(self) -> dict[int, dict[str, Any]]:
        """Every row's stored values, to prove that a refused write changed nothing."""
        return {
            row["id"]: row
            for row in self.model._default_manager.order_by("pk").values(
                *[f.attname for f in self.model._meta.concrete_fields]
            )
        }

    def changes_for(self, obj_or_pk: Any, action: str) -> list[ObjectChange]:
        pk = getattr(obj_or_pk, "pk", obj_or_pk)
        return list(
            ObjectChange.objects.filter(
                changed_object_type=ContentType.objects.get_for_model(self.model),
                changed_object_id=pk,
                action=action,
            ).order_by("seq")
        )

    def assertChangeLogged(self, obj_or_pk: Any, action: str, user: Any = None) -> ObjectChange:
        changes = self.changes_for(obj_or_pk, action)
        self.assertEqual(len(changes), 1, f"expected one {action} change, found {len(changes)}")
        change = changes[0]
        if action == "create":
            self.assertIsNone(change.prechange_data)
            self.assertTrue(change.postchange_data)
        elif action == "update":
            self.assertTrue(change.prechange_data)
            self.assertTrue(change.postchange_data)
            self.assertNotEqual(change.prechange_data, change.postchange_data)
        else:
            self.assertTrue(change.prechange_data)
            self.assertIsNone(change.postchange_data)
        if user is not None:
            self.assertEqual(change.user_id, user.pk)
        if action == "delete":
            if isinstance(obj_or_pk, models.Model):
                self.assertEqual(change.prechange_data, snapshot(obj_or_pk), "delete: before-image")
        else:
            stored = self.model._default_manager.get(pk=change.changed_object_id)
            # Members and tags edited with the record join its row (core.changelog.record_related).
            related = {f.name for f in self.model._meta.many_to_many} | {"tags"}
            fields = {k: v for k, v in change.postchange_data.items() if k not in related}
            self.assertEqual(fields, snapshot(stored), f"{action}: after-image")
            for name in related & set(change.postchange_data):
                if name == "tags":
                    expected = sorted(item.tag.slug for item in stored.tagged_items.all())
                else:
                    expected = sorted(getattr(stored, name).values_list("pk", flat=True))
                self.assertEqual(change.postchange_data[name], expected, f"{action}: {name} after-image")
        return change

    def assertQueryCountStable(self, fetch: Any) -> None:
        """``fetch()`` must cost as many queries with three more rows as without them."""
        fetch()  # warm caches (content types, custom field definitions)
        with CaptureQueriesContext(connection) as before:
            first = fetch()
        self.import_csv()
        fetch()  # warm again: rows of a memoised configuration model make the memo read afresh once
        with CaptureQueriesContext(connection) as after:
            second = fetch()
        self.assertEqual(first + 3, second, "the added rows should be listed")
        self.assertEqual(
            len(before),
            len(after),
            "queries grew with the rows:\n" + "\n".join(q["sql"] for q in after.captured_queries),
        )


def form_data(form_class: type[forms.ModelForm], instance: models.Model) -> dict[str, Any]:
    """POST data that re-submits ``instance`` unchanged through ``form_class``."""
    form = form_class(instance=instance)
    data: dict[str, Any] = {}
    for name, bound in form.fields.items():
        value = form[name].value()
        if isinstance(bound, forms.BooleanField):
            if value:
                data[name] = "on"
            continue
        if isinstance(bound, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
            data[name] = [str(getattr(v, "pk", v)) for v in (value or [])]
            continue
        if isinstance(bound, forms.JSONField):
            # BoundField.value() has already run prepare_value(): the JSON text, or "null".
            data[name] = "" if value in (None, "null") else value
            continue
        data[name] = "" if value is None else value
    return data
