"""Generic UI tests every registered model subclasses with data only.

Usage::

    class PersonViewTest(ViewTestCases.ObjectViewTestCase):
        model = Person
        csv_data = ("first_name,last_name,email", "A,B,a@example.org", ...)
        bulk_edit_data = {"title": "Engineer"}
        invalid_data = {"email": "not-an-email"}

        @classmethod
        def setUpTestData(cls):
            ...three rows...
            cls.create_data = {"first_name": "Ada", ...}

The holder class keeps pytest from collecting the bases themselves.
"""

from __future__ import annotations

import csv
import decimal
import io
import json
from typing import Any, ClassVar

import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from openpyxl import load_workbook

from steward.core.models import Attachment
from steward.utilities.testing.base import ModelTestCase, form_data


class ViewTestCases:
    class ObjectViewTestCase(ModelTestCase):
        #: Form data of a new valid row (FKs as ids, as the edit form posts them).
        create_data: ClassVar[dict[str, Any]] = {}
        #: Form values changed on edit; defaults to ``bulk_edit_data``.
        update_data: ClassVar[dict[str, Any] | None] = None

        # --- helpers ------------------------------------------------------------------------
        def url(self, action: str, obj: models.Model | None = None) -> str:
            name = self.views.url_name(action)
            return reverse(name, kwargs={"pk": obj.pk}) if obj is not None else reverse(name)

        def login(self, *actions: str, constraints: Any = None) -> Any:
            user = self.user_with(*actions, constraints=constraints)
            self.client.force_login(user)
            return user

        def listed_pks(self, response: Any) -> set[int]:
            self.assertEqual(response.status_code, 200)
            return {row.record.pk for row in response.context["table"].page.object_list}

        def assertStored(self, obj: models.Model, data: dict[str, Any]) -> None:
            """The form values in ``data`` are what ``obj`` now holds."""
            obj.refresh_from_db()
            for name, value in data.items():
                try:
                    field = self.model._meta.get_field(name)
                except Exception:  # noqa: S112 - tags, custom fields
                    continue
                if field.many_to_many:
                    stored = {str(pk) for pk in getattr(obj, name).values_list("pk", flat=True)}
                    self.assertEqual(stored, {str(v) for v in value}, name)
                elif isinstance(field, models.BooleanField):
                    self.assertEqual(getattr(obj, name), value not in ("", None, False, "false"), name)
                elif isinstance(field, models.DecimalField) and value not in ("", None):
                    self.assertEqual(getattr(obj, name), decimal.Decimal(str(value)), name)
                elif isinstance(field, models.JSONField):
                    expected = json.loads(value) if isinstance(value, str) and value else value
                    self.assertEqual(getattr(obj, name), expected or field.get_default(), name)
                else:
                    stored = getattr(obj, field.attname)
                    self.assertEqual("" if stored is None else str(stored), str(value), name)

        def edit_data(self, obj: models.Model) -> dict[str, Any]:
            changes = self.update_data if self.update_data is not None else self.bulk_edit_data
            return {**form_data(self.views.form, obj), **changes}

        # --- access -------------------------------------------------------------------------
        def endpoints(self) -> list[tuple[str, str, models.Model | None]]:
            obj = self.rows()[0]
            return [
                ("get", "list", None),
                ("get", "add", None),
                ("post", "add", None),
                ("get", "import", None),
                ("post", "import", None),
                ("post", "bulk_edit", None),
                ("post", "bulk_delete", None),
                ("get", "detail", obj),
                ("get", "edit", obj),
                ("post", "edit", obj),
                ("get", "delete", obj),
                ("post", "delete", obj),
            ]

        def test_anonymous_is_sent_to_login(self) -> None:
            before = self.snapshot_rows()
            for method, action, obj in self.endpoints():
                with self.subTest(action=action, method=method):
                    url = self.url(action, obj)
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, 302)
                    self.assertTrue(response["Location"].startswith(reverse("login")), response["Location"])
            self.assertEqual(self.snapshot_rows(), before)

        def test_without_permission_is_forbidden(self) -> None:
            self.login()
            before = self.snapshot_rows()
            pks = [o.pk for o in self.rows()]
            for method, action, obj in self.endpoints():
                with self.subTest(action=action, method=method):
                    data = {"pk": pks, "_confirm": "1", **self.create_data} if method == "post" else None
                    response = getattr(self.client, method)(self.url(action, obj), data)
                    self.assertEqual(response.status_code, 403)
            self.assertEqual(self.snapshot_rows(), before)

        # --- list and detail ----------------------------------------------------------------
        def test_list(self) -> None:
            self.login("view")
            self.assertEqual(self.listed_pks(self.client.get(self.url("list"))), {o.pk for o in self.rows()})

        def test_list_filtered_by_id(self) -> None:
            self.login("view")
            first = self.rows()[0]
            response = self.client.get(self.url("list"), {"id": str(first.pk)})
            self.assertEqual(self.listed_pks(response), {first.pk})

        def test_list_survives_bad_query_parameters(self) -> None:
            self.login("view")
            for params in (
                {"per_page": "abc"},
                {"per_page": "100000"},
                {"per_page": "0"},
                {"per_page": "-5"},
                {"page": "999"},
                {"page": "abc"},
                {"sort": "no_such_column"},
                {"id": "abc"},
                {"created_after": "yesterday"},
                {"export": "pdf"},
                {"q": "\x00%_'\""},
            ):
                with self.subTest(params=params):
                    response = self.client.get(self.url("list"), params)
                    self.assertEqual(response.status_code, 200)
                    self.assertLessEqual(response.context["table"].paginator.per_page, 500)

        def test_list_table_partial_for_htmx(self) -> None:
            self.login("view")
            response = self.client.get(
                self.url("list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-table"
            )
            self.assertEqual(len(self.listed_pks(response)), len(self.rows()))
            self.assertNotContains(response, "<html")

        def test_list_constrained(self) -> None:
            allowed = self.rows()[0]
            self.login("view", constraints=self.constraint_for(allowed))
            self.assertEqual(self.listed_pks(self.client.get(self.url("list"))), {allowed.pk})

        def test_constrained_pages_do_not_reveal_other_rows(self) -> None:
            """Filter and form drop-downs list only rows the user may see."""
            allowed, *others = self.rows()
            self.login("view", "change", constraints=self.constraint_for(allowed))
            responses = [self.client.get(self.url("list")), self.client.get(self.url("edit", allowed))]
            # An add form pre-filled from the URL must not reveal a hidden row either.
            self.login("view", "add", constraints=self.constraint_for(allowed))
            fields = self.views.form.base_fields
            prefill = {
                n: other.pk
                for n in fields
                for other in others[:1]
                if getattr(fields[n], "queryset", None) is not None and fields[n].queryset.model is self.model
            }
            responses.append(self.client.get(self.url("add"), prefill))
            for response in responses:
                for other in others:
                    self.assertNotContains(response, f">{other}</option>")

        def test_list_query_count_does_not_grow_with_rows(self) -> None:
            self.login("view")
            self.assertQueryCountStable(lambda: len(self.listed_pks(self.client.get(self.url("list")))))

        def test_detail(self) -> None:
            self.login("view")
            obj = self.rows()[0]
            response = self.client.get(self.url("detail", obj))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.context["object"], obj)
            self.assertContains(response, str(obj))

        def test_history(self) -> None:
            self.login("view", "change")
            obj = self.rows()[0]
            self.client.post(self.url("edit", obj), self.edit_data(obj))
            response = self.client.get(self.url("history", obj))
            self.assertEqual(response.status_code, 200)
            actions = [c.action for c in response.context["page"]]
            self.assertEqual(actions[0], "update")

        def test_clone_prefills_the_add_form(self) -> None:
            allowed, other, *_rest = self.rows()
            self.login("add", "view", constraints=self.constraint_for(allowed))
            response = self.client.get(self.url("add"), {"clone": allowed.pk})
            self.assertEqual(response.status_code, 200)
            self.assertEqual(self.client.get(self.url("add"), {"clone": other.pk}).status_code, 404)
            self.assertEqual(self.client.get(self.url("add"), {"clone": "abc"}).status_code, 404)

        def test_history_and_comments_constrained(self) -> None:
            allowed, other, *_rest = self.rows()
            self.login("view", constraints=self.constraint_for(allowed))
            self.assertEqual(self.client.get(self.url("history", allowed)).status_code, 200)
            self.assertEqual(self.client.get(self.url("history", other)).status_code, 404)
            self.assertEqual(self.client.post(self.url("comment", other), {"body": "hi"}).status_code, 404)
            self.assertEqual(self.client.post(self.url("comment", allowed), {"body": "hi"}).status_code, 302)
            self.assertContains(self.client.get(self.url("detail", allowed)), "hi")

        def test_attachments(self) -> None:
            allowed, other, *_rest = self.rows()
            self.login("change", "view", constraints=self.constraint_for(allowed))
            upload = SimpleUploadedFile("../notes.txt", b"hello", content_type="text/plain")
            response = self.client.post(self.url("attach", allowed), {"file": upload})
            self.assertEqual(response.status_code, 302)
            (attachment,) = Attachment.objects.filter(object_id=allowed.pk, name="notes.txt")
            url = reverse(
                self.views.url_name("attachment"), kwargs={"pk": allowed.pk, "attachment": attachment.pk}
            )
            response = self.client.get(url)
            self.assertEqual(b"".join(response.streaming_content), b"hello")
            self.assertEqual(response["X-Content-Type-Options"], "nosniff")
            wrong = reverse(
                self.views.url_name("attachment"), kwargs={"pk": other.pk, "attachment": attachment.pk}
            )
            self.assertEqual(self.client.get(wrong).status_code, 404)
            evil = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
            self.client.post(self.url("attach", allowed), {"file": evil})
            self.client.post(self.url("attach", other), {"file": SimpleUploadedFile("a.txt", b"x")})
            self.assertEqual(Attachment.objects.count(), 1)
            self.assertEqual(self.client.post(url).status_code, 302)
            self.assertFalse(Attachment.objects.exists())

        def test_detail_constrained(self) -> None:
            allowed, *others = self.rows()
            self.login("view", constraints=self.constraint_for(allowed))
            self.assertEqual(self.client.get(self.url("detail", allowed)).status_code, 200)
            for other in others:
                self.assertEqual(self.client.get(self.url("detail", other)).status_code, 404)

        # --- create -------------------------------------------------------------------------
        def test_create(self) -> None:
            user = self.login("add", "view")
            self.assertEqual(self.client.get(self.url("add")).status_code, 200)
            existing = {o.pk for o in self.rows()}
            response = self.client.post(self.url("add"), self.create_data)
            self.assertEqual(
                response.status_code,
                302,
                response.context and response.context["form"].errors,
            )
            (new,) = [o for o in self.rows() if o.pk not in existing]
            self.assertStored(new, self.create_data)
            self.assertEqual(response["Location"], new.get_absolute_url())
            self.assertChangeLogged(new, "create", user)

        def test_create_invalid_names_the_field(self) -> None:
            self.login("add", "view")
            before = self.snapshot_rows()
            response = self.client.post(self.url("add"), {**self.create_data, **self.invalid_data})
            self.assertEqual(response.status_code, 422)
            errors = response.context["form"].errors
            for name in self.invalid_data:
                self.assertIn(name, errors)
            self.assertEqual(self.snapshot_rows(), before)

        def test_create_outside_constraint_is_refused(self) -> None:
            allowed = self.rows()[0]
            self.login("add", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            response = self.client.post(self.url("add"), self.create_data)
            self.assertEqual(response.status_code, 403)
            self.assertEqual(self.snapshot_rows(), before)

        def test_import_outside_constraint_imports_nothing(self) -> None:
            allowed = self.rows()[0]
            self.login("add", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            text = "\n".join(self.csv_data)
            response = self.client.post(
                self.url("import"), {"data": text, "format": "csv", "confirm": "True"}
            )
            self.assertEqual(response.status_code, 422)
            self.assertEqual([e.row for e in response.context["result"].errors], [1, 2, 3])
            self.assertEqual(self.snapshot_rows(), before)

        def test_custom_fields_and_tags(self) -> None:
            self.define_custom_field()
            tag = self.define_tag()
            self.login("add", "view")
            before = self.snapshot_rows()
            response = self.client.post(self.url("add"), {**self.create_data, "cf_charge_code": "0"})
            self.assertEqual(response.status_code, 422)
            self.assertIn("cf_charge_code", response.context["form"].errors)
            self.assertEqual(self.snapshot_rows(), before)
            data = {**self.create_data, "cf_charge_code": "7", "tags": [tag.pk]}
            response = self.client.post(self.url("add"), data)
            self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
            (new,) = [o for o in self.rows() if o.pk not in before]
            self.assertEqual(new.custom_field_data, {"charge_code": 7})
            self.assertEqual([t.slug for t in new.tags], ["critical"])
            self.assertEqual(
                self.listed_pks(self.client.get(self.url("list"), {"cf_charge_code": "7"})), {new.pk}
            )
            self.assertEqual(
                self.listed_pks(self.client.get(self.url("list"), {"tag": "critical"})), {new.pk}
            )
            self.assertContains(self.client.get(self.url("detail", new)), tag.name)
            (row,) = self.export("csv", id=str(new.pk))
            self.assertEqual((row["cf_charge_code"], row["tags"]), ("7", "critical"))

        # --- edit ---------------------------------------------------------------------------
        def test_edit(self) -> None:
            user = self.login("change", "view")
            obj = self.rows()[0]
            self.assertEqual(self.client.get(self.url("edit", obj)).status_code, 200)
            data = self.edit_data(obj)
            response = self.client.post(self.url("edit", obj), data)
            self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
            self.assertStored(obj, data)
            change = self.assertChangeLogged(obj, "update", user)
            for name in self.update_data or self.bulk_edit_data:
                field = self.model._meta.get_field(name)
                if not field.many_to_many:
                    self.assertNotEqual(
                        change.prechange_data[field.attname], change.postchange_data[field.attname]
                    )

        def test_edit_of_a_stale_form_is_refused(self) -> None:
            self.login("change", "view")
            obj = self.rows()[0]
            data = self.edit_data(obj)
            obj.save()  # someone else saves first
            before = self.snapshot_rows()
            response = self.client.post(self.url("edit", obj), data)
            self.assertEqual(response.status_code, 422)
            self.assertTrue(response.context["form"].non_field_errors())
            self.assertEqual(self.snapshot_rows(), before)

        def test_edit_invalid_names_the_field(self) -> None:
            self.login("change", "view")
            obj = self.rows()[0]
            before = self.snapshot_rows()
            response = self.client.post(self.url("edit", obj), {**self.edit_data(obj), **self.invalid_data})
            self.assertEqual(response.status_code, 422)
            for name in self.invalid_data:
                self.assertIn(name, response.context["form"].errors)
            self.assertEqual(self.snapshot_rows(), before)
            self.assertEqual(self.changes_for(obj, "update"), [])

        def test_edit_constrained(self) -> None:
            allowed, other, *_rest = self.rows()
            self.login("change", "view", constraints=self.constraint_for(allowed))
            self.assertEqual(self.client.get(self.url("edit", allowed)).status_code, 200)
            before = self.snapshot_rows()
            self.assertEqual(self.client.get(self.url("edit", other)).status_code, 404)
            self.assertEqual(
                self.client.post(self.url("edit", other), self.edit_data(other)).status_code, 404
            )
            self.assertEqual(self.snapshot_rows(), before)

        def test_edit_moving_row_outside_constraint_is_refused(self) -> None:
            self.needs_field_constraint()
            self.login("change", "view", constraints=self.field_constraint)
            obj = self.rows()[0]
            before = self.snapshot_rows()
            response = self.client.post(self.url("edit", obj), {**self.edit_data(obj), **self.move_out_data})
            self.assertEqual(response.status_code, 403)
            self.assertEqual(self.snapshot_rows(), before)

        def test_bulk_edit_moving_rows_outside_constraint_is_refused(self) -> None:
            self.needs_field_constraint()
            self.login("change", "view", constraints=self.field_constraint)
            before = self.snapshot_rows()
            data = {"pk": list(before), "_apply": "1", **self.move_out_data}
            response = self.client.post(self.url("bulk_edit"), data)
            self.assertEqual(response.status_code, 422)
            self.assertTrue(response.context["form"].non_field_errors())
            self.assertEqual(self.snapshot_rows(), before)

        # --- delete -------------------------------------------------------------------------
        def test_delete(self) -> None:
            user = self.login("delete", "view")
            obj = self.rows()[-1]
            self.assertEqual(self.client.get(self.url("delete", obj)).status_code, 200)
            response = self.client.post(self.url("delete", obj))
            self.assertRedirects(response, self.url("list"), fetch_redirect_response=False)
            self.assertFalse(self.model._default_manager.filter(pk=obj.pk).exists())
            self.assertChangeLogged(obj, "delete", user)

        def test_delete_constrained(self) -> None:
            allowed, *others = self.rows()
            self.login("delete", "view", constraints=self.constraint_for(allowed))
            for other in others:
                self.assertEqual(self.client.get(self.url("delete", other)).status_code, 404)
                self.assertEqual(self.client.post(self.url("delete", other)).status_code, 404)
                self.assertTrue(self.model._default_manager.filter(pk=other.pk).exists())

        # --- import -------------------------------------------------------------------------
        def test_import_preview_then_confirm(self) -> None:
            user = self.login("add", "change", "view")
            self.assertEqual(self.client.get(self.url("import")).status_code, 200)
            before = self.snapshot_rows()
            text = "\n".join(self.csv_data)
            response = self.client.post(self.url("import"), {"data": text, "format": "csv"})
            self.assertEqual(response.status_code, 200)
            result = response.context["result"]
            self.assertEqual([str(e) for e in result.errors], [])
            self.assertEqual(result.created, len(self.csv_data) - 1)
            self.assertEqual(self.snapshot_rows(), before, "a dry run wrote rows")
            response = self.client.post(
                self.url("import"), {"data": text, "format": "csv", "confirm": "True"}
            )
            self.assertRedirects(response, self.url("list"), fetch_redirect_response=False)
            new = [o for o in self.rows() if o.pk not in before]
            self.assertEqual(len(new), len(self.csv_data) - 1)
            for obj in new:
                self.assertChangeLogged(obj, "create", user)

        def test_import_json_and_yaml(self) -> None:
            self.login("add", "change", "view")
            records = list(csv.DictReader(io.StringIO("\n".join(self.csv_data))))
            for fmt, text in (("json", json.dumps(records)), ("yaml", yaml.safe_dump(records))):
                with self.subTest(fmt=fmt):
                    response = self.client.post(self.url("import"), {"data": text, "format": fmt})
                    self.assertEqual(response.status_code, 200, response.context["result"].errors)
                    self.assertEqual(response.context["result"].created, len(records))

        def test_import_garbage_is_refused(self) -> None:
            self.login("add", "change", "view")
            before = self.snapshot_rows()
            for fmt, text in (("json", "{not json"), ("yaml", "a: [b"), ("json", "[1, 2]"), ("csv", "\n")):
                with self.subTest(fmt=fmt, text=text):
                    response = self.client.post(
                        self.url("import"), {"data": text, "format": fmt, "confirm": "True"}
                    )
                    self.assertEqual(response.status_code, 422)
                    self.assertIn("data", response.context["form"].errors)
            self.assertEqual(self.snapshot_rows(), before)

        def by_id_csv(self, *objects: models.Model) -> str:
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=["id", *self.bulk_edit_data])
            writer.writeheader()
            for obj in objects:
                writer.writerow({"id": obj.pk, **self.bulk_edit_data})
            return out.getvalue()

        def test_import_updates_by_id(self) -> None:
            user = self.login("add", "change", "view")
            obj = self.rows()[0]
            text = self.by_id_csv(obj)
            response = self.client.post(
                self.url("import"), {"data": text, "format": "csv", "confirm": "True"}
            )
            self.assertEqual(
                response.status_code, 302, response.context and response.context["result"].errors
            )
            self.assertStored(obj, self.bulk_edit_data)
            self.assertChangeLogged(obj, "update", user)

        def test_import_update_outside_constraint_imports_nothing(self) -> None:
            allowed, other, *_rest = self.rows()
            self.login("add", "change", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            text = self.by_id_csv(allowed, other)
            response = self.client.post(
                self.url("import"), {"data": text, "format": "csv", "confirm": "True"}
            )
            self.assertEqual(response.status_code, 422)
            errors = response.context["result"].errors
            self.assertEqual([(e.row, e.field) for e in errors], [(2, "id")])
            self.assertEqual(self.snapshot_rows(), before)

        def test_import_bad_row_imports_nothing(self) -> None:
            self.login("add", "change", "view")
            before = self.snapshot_rows()
            text, row, field = self.invalid_csv()
            response = self.client.post(
                self.url("import"), {"data": text, "format": "csv", "confirm": "True"}
            )
            self.assertEqual(response.status_code, 422)
            errors = response.context["result"].errors
            self.assertIn((row, field), [(e.row, e.field) for e in errors], [str(e) for e in errors])
            self.assertContains(response, f"<td>{row}</td><td><code>{field}</code></td>", status_code=422)
            self.assertEqual(self.snapshot_rows(), before)
            # The form shown again is a dry run: resubmitting it must not import.
            self.assertFalse(response.context["form"]["confirm"].value())

        # --- export -------------------------------------------------------------------------
        def export(self, fmt: str, **params: Any) -> list[dict[str, Any]]:
            response = self.client.get(self.url("list"), {"export": fmt, **params})
            self.assertEqual(response.status_code, 200)
            if fmt == "csv":
                body = b"".join(response.streaming_content).decode()
                return list(csv.DictReader(io.StringIO(body)))
            if fmt == "json":
                return json.loads(response.content)
            sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
            header, *lines = list(sheet.iter_rows(values_only=True))
            return [dict(zip(header, line, strict=True)) for line in lines]

        def test_export_filtered_set(self) -> None:
            self.login("view")
            first, second, *_rest = self.rows()
            columns = [c for c in self.views.form.base_fields if c != "_last_updated"]
            natural = getattr(self.model, "natural_key_fields", ())
            # The key the form does not edit comes first, so the file can be imported back.
            columns = [*([k for k in natural if k not in columns] if natural else ["id"]), *columns]
            for fmt in ("csv", "json", "xlsx"):
                with self.subTest(fmt=fmt):
                    exported = self.export(fmt, id=f"{first.pk},{second.pk}")
                    self.assertEqual(len(exported), 2)
                    self.assertEqual(list(exported[0]), columns)

        def test_export_constrained(self) -> None:
            allowed = self.rows()[0]
            self.login("view", constraints=self.constraint_for(allowed))
            for fmt in ("csv", "json", "xlsx"):
                with self.subTest(fmt=fmt):
                    self.assertEqual(len(self.export(fmt)), 1)

        def test_export_round_trips_through_import(self) -> None:
            """An export re-imported unchanged updates nothing."""
            self.login("view", "add", "change")
            body = b"".join(self.client.get(self.url("list"), {"export": "csv"}).streaming_content).decode()
            response = self.client.post(self.url("import"), {"data": body, "format": "csv"})
            self.assertEqual(response.status_code, 200, response.context["result"].errors)
            result = response.context["result"]
            self.assertEqual((result.created, result.updated), (0, 0), [p.changes for p in result.preview])

        def test_import_update_keeps_custom_fields_not_in_the_file(self) -> None:
            self.define_custom_field()
            obj = self.rows()[0]
            obj.custom_field_data = {"charge_code": 3}
            obj.save()
            self.login("view", "add", "change")
            (row,) = self.export("csv", id=str(obj.pk))
            del row["cf_charge_code"]
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(row))
            writer.writeheader()
            writer.writerow({"id": obj.pk, **row} if "id" in row else row)
            response = self.client.post(
                self.url("import"), {"data": out.getvalue(), "format": "csv", "confirm": "True"}
            )
            self.assertEqual(
                response.status_code, 302, response.context and response.context["result"].errors
            )
            obj.refresh_from_db()
            self.assertEqual(obj.custom_field_data, {"charge_code": 3})

        # --- bulk edit / delete -------------------------------------------------------------
        def test_bulk_edit(self) -> None:
            user = self.login("change", "view")
            objects = self.rows()
            data = {"pk": [o.pk for o in objects], "_apply": "1", **self.bulk_edit_data}
            response = self.client.post(self.url("bulk_edit"), data)
            self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
            for obj in objects:
                self.assertStored(obj, self.bulk_edit_data)
                self.assertChangeLogged(obj, "update", user)

        def test_bulk_edit_constrained(self) -> None:
            allowed, *others = self.rows()
            self.login("change", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            data = {"pk": [o.pk for o in [allowed, *others]], "_apply": "1", **self.bulk_edit_data}
            self.client.post(self.url("bulk_edit"), data)
            after = self.snapshot_rows()
            for other in others:
                self.assertEqual(after[other.pk], before[other.pk])

        def test_bulk_delete(self) -> None:
            user = self.login("delete", "view")
            objects = self.rows()
            pks = [o.pk for o in objects]
            response = self.client.post(self.url("bulk_delete"), {"pk": pks})
            self.assertEqual(response.status_code, 200)  # the confirmation page
            self.assertEqual(self.model._default_manager.filter(pk__in=pks).count(), len(pks))
            response = self.client.post(self.url("bulk_delete"), {"pk": pks, "_confirm": "1"})
            self.assertEqual(response.status_code, 302)
            self.assertFalse(self.model._default_manager.filter(pk__in=pks).exists())
            for obj in objects:
                self.assertChangeLogged(obj, "delete", user)

        def test_bulk_delete_constrained(self) -> None:
            allowed, *others = self.rows()
            self.login("delete", "view", constraints=self.constraint_for(allowed))
            pks = [o.pk for o in [allowed, *others]]
            self.client.post(self.url("bulk_delete"), {"pk": pks, "_confirm": "1"})
            self.assertFalse(self.model._default_manager.filter(pk=allowed.pk).exists())
            self.assertEqual(self.model._default_manager.filter(pk__in=pks).count(), len(others))
