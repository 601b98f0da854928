"""Generic REST API tests every registered model subclasses with data only.

Usage::

    class PersonAPITest(APITestCases.APIViewTestCase):
        model = Person
        csv_data = (...)                    # three more rows, to check the query count
        bulk_edit_data = {"title": "Engineer"}
        invalid_data = {"email": "not-an-email"}

        @classmethod
        def setUpTestData(cls):
            ...three rows...
            cls.api_create_data = [{...}, {...}, {...}]   # API bodies of three new rows
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar
from unittest import mock

from django.db import models
from django.urls import reverse
from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIClient

from steward.core.api.serializers import StewardModelSerializer
from steward.core.models import Token
from steward.core.registry import registry
from steward.utilities.testing.base import ModelTestCase


def same_value(got: Any, sent: Any) -> bool:
    """Whether the API's value is the one sent, allowing "50" for 50, "1" for "1.000000" and
    "2026-01-05T10:00:00Z" for "2026-01-05 10:00:00+00:00"."""
    if got == sent:
        return True
    try:
        return Decimal(str(got)) == Decimal(str(sent))
    except (InvalidOperation, ValueError):
        pass
    try:
        # The same instant written two ways ("…Z" and "… +00:00").
        when = [datetime.fromisoformat(str(v).replace("Z", "+00:00")) for v in (got, sent)]
        return all(w.tzinfo for w in when) and when[0] == when[1]
    except ValueError:
        return str(got) == str(sent)


class APITestCases:
    class APIViewTestCase(ModelTestCase):
        #: API bodies of three new valid rows (FKs as ids, tags as slugs).
        api_create_data: ClassVar[list[dict[str, Any]]] = []
        #: Values PATCHed onto one row; defaults to ``bulk_edit_data``.
        update_data: ClassVar[dict[str, Any] | None] = None
        #: Bad values for the API when they differ from the form's ``invalid_data``.
        api_invalid_data: ClassVar[dict[str, Any] | None] = None

        client_class = APIClient

        # --- helpers ------------------------------------------------------------------------
        def url(self, obj: models.Model | None = None) -> str:
            meta = self.model._meta
            if obj is None:
                return reverse(f"api:{meta.app_label}-{meta.model_name}-list")
            return reverse(f"api:{meta.app_label}-{meta.model_name}-detail", kwargs={"pk": obj.pk})

        def login(self, *actions: str, constraints: Any = None) -> Any:
            user = self.user_with(*actions, constraints=constraints)
            self.client.force_authenticate(user)
            return user

        @property
        def bad_data(self) -> dict[str, Any]:
            return self.api_invalid_data if self.api_invalid_data is not None else self.invalid_data

        @property
        def changes(self) -> dict[str, Any]:
            return self.update_data if self.update_data is not None else self.bulk_edit_data

        def listed_ids(self, response: Any) -> list[int]:
            self.assertEqual(response.status_code, 200, response.content)
            return [item["id"] for item in response.json()["results"]]

        def assertFieldError(self, response: Any, fields: Any) -> None:
            self.assertEqual(response.status_code, 400, response.content)
            body = response.json()
            items = body if isinstance(body, list) else [body]
            # Bulk errors are keyed by the failing item's index.
            items += [
                v
                for item in list(items)
                if isinstance(item, dict)
                for v in item.values()
                if isinstance(v, dict)
            ]
            keys = {k for item in items if isinstance(item, dict) for k in item}
            for name in fields:
                self.assertIn(name, keys, body)

        def assertApplied(self, item: dict[str, Any], data: dict[str, Any]) -> None:
            for name, value in data.items():
                got = item[name]
                if isinstance(value, list):
                    self.assertEqual(sorted(map(str, got)), sorted(map(str, value)), name)
                else:
                    self.assertTrue(same_value(got, value), f"{name}: {got!r} != {value!r}")

        # --- access -------------------------------------------------------------------------
        def test_anonymous_is_refused(self) -> None:
            obj = self.rows()[0]
            before = self.snapshot_rows()
            for method, url in (
                ("get", self.url()),
                ("get", self.url(obj)),
                ("post", self.url()),
                ("patch", self.url(obj)),
                ("delete", self.url(obj)),
            ):
                with self.subTest(method=method, url=url):
                    response = getattr(self.client, method)(
                        url, self.api_create_data[0] if method == "post" else None
                    )
                    self.assertIn(response.status_code, (401, 403))
            self.assertEqual(self.snapshot_rows(), before)

        def test_without_permission_is_forbidden(self) -> None:
            self.login()
            obj = self.rows()[0]
            before = self.snapshot_rows()
            for method, url, body in (
                ("get", self.url(), None),
                ("get", self.url(obj), None),
                ("post", self.url(), self.api_create_data[0]),
                ("patch", self.url(obj), self.changes),
                ("delete", self.url(obj), None),
                ("patch", self.url(), [{"id": obj.pk, **self.changes}]),
                ("delete", self.url(), [{"id": obj.pk}]),
            ):
                with self.subTest(method=method, url=url):
                    self.assertEqual(getattr(self.client, method)(url, body).status_code, 403)
            self.assertEqual(self.snapshot_rows(), before)

        def test_read_only_token_can_read_but_not_write(self) -> None:
            user = self.user_with("view", "add", "change", "delete")
            _token, key = Token.issue(user=user, write_enabled=False)
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            obj = self.rows()[0]
            self.assertEqual(self.client.get(self.url()).status_code, 200)
            self.assertEqual(self.client.get(self.url(obj)).status_code, 200)
            before = self.snapshot_rows()
            self.assertEqual(self.client.post(self.url(), self.api_create_data[0]).status_code, 403)
            self.assertEqual(self.client.patch(self.url(obj), self.changes).status_code, 403)
            self.assertEqual(self.client.delete(self.url(obj)).status_code, 403)
            self.assertEqual(self.snapshot_rows(), before)

        def test_write_token_can_write(self) -> None:
            user = self.user_with("view", "add")
            _token, key = Token.issue(user=user, write_enabled=True)
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            response = self.client.post(self.url(), self.api_create_data[0])
            self.assertEqual(response.status_code, 201, response.content)
            change = self.assertChangeLogged(response.json()["id"], "create", user)
            self.assertEqual(change.source, "api")

        # --- list and detail ----------------------------------------------------------------
        def test_list(self) -> None:
            self.login("view")
            response = self.client.get(self.url())
            self.assertEqual(sorted(self.listed_ids(response)), [o.pk for o in self.rows()])
            self.assertEqual(response.json()["count"], len(self.rows()))

        def test_list_filtered_by_id(self) -> None:
            self.login("view")
            first = self.rows()[0]
            self.assertEqual(self.listed_ids(self.client.get(self.url(), {"id": first.pk})), [first.pk])

        def test_list_bad_query_parameters_are_not_server_errors(self) -> None:
            self.login("view")
            for params in (
                {"limit": "abc"},
                {"offset": "-1"},
                {"ordering": "no_such_field"},
                {"id": "abc"},
                {"created_after": "yesterday"},
                {"cursor": "garbage"},
                {"brief": "yes please"},
            ):
                with self.subTest(params=params):
                    self.assertIn(self.client.get(self.url(), params).status_code, (200, 400, 404))

        def test_list_constrained(self) -> None:
            allowed = self.rows()[0]
            self.login("view", constraints=self.constraint_for(allowed))
            self.assertEqual(self.listed_ids(self.client.get(self.url())), [allowed.pk])

        def test_list_representation_matches_drf(self) -> None:
            """The serializer's representation plan gives exactly what DRF's field steps give."""
            self.login("view")
            response = self.client.get(self.url())
            listed = {item["id"]: item for item in response.json()["results"]}
            self.assertTrue(listed)
            viewset = registry.entry(self.model).viewset
            request = Request(response.wsgi_request)
            renderer = JSONRenderer()
            for obj in self.model._default_manager.filter(pk__in=listed):
                serializer = viewset.serializer_class(obj, context={"request": request})
                with mock.patch.object(StewardModelSerializer, "fast_representation", False):
                    generic = json.loads(renderer.render(serializer.data))
                self.assertEqual(listed[obj.pk], generic)

        def test_list_query_count_does_not_grow_with_rows(self) -> None:
            self.login("view")
            self.assertQueryCountStable(lambda: len(self.listed_ids(self.client.get(self.url()))))

        def test_brief(self) -> None:
            self.login("view")
            serializer = registry.entry(self.model).viewset.serializer_class
            brief_fields = set(getattr(serializer.Meta, "brief_fields", ("id", "url", "display")))
            response = self.client.get(self.url(), {"brief": "1"})
            self.assertEqual(response.status_code, 200)
            for item in response.json()["results"]:
                self.assertEqual(set(item), brief_fields)
            obj = self.rows()[0]
            self.assertEqual(set(self.client.get(self.url(obj), {"brief": "1"}).json()), brief_fields)
            self.assertGreater(len(self.client.get(self.url(obj)).json()), len(brief_fields))

        def test_detail_has_etag(self) -> None:
            self.login("view")
            obj = self.rows()[0]
            response = self.client.get(self.url(obj))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json()["id"], obj.pk)
            self.assertTrue(response["ETag"].startswith('"'))

        def test_detail_constrained(self) -> None:
            allowed, *others = self.rows()
            self.login("view", constraints=self.constraint_for(allowed))
            self.assertEqual(self.client.get(self.url(allowed)).status_code, 200)
            for other in others:
                self.assertEqual(self.client.get(self.url(other)).status_code, 404)

        # --- create -------------------------------------------------------------------------
        def test_create(self) -> None:
            user = self.login("add", "view")
            response = self.client.post(self.url(), self.api_create_data[0])
            self.assertEqual(response.status_code, 201, response.content)
            self.assertApplied(response.json(), self.api_create_data[0])
            obj = self.model._default_manager.get(pk=response.json()["id"])
            self.assertChangeLogged(obj, "create", user)

        def test_create_invalid_names_the_field(self) -> None:
            self.login("add", "view")
            before = self.snapshot_rows()
            response = self.client.post(self.url(), {**self.api_create_data[0], **self.bad_data})
            self.assertFieldError(response, self.bad_data)
            self.assertEqual(self.snapshot_rows(), before)

        def test_create_outside_constraint_is_refused(self) -> None:
            allowed = self.rows()[0]
            self.login("add", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            self.assertEqual(self.client.post(self.url(), self.api_create_data[0]).status_code, 403)
            self.assertEqual(self.client.post(self.url(), self.api_create_data).status_code, 403)
            self.assertEqual(self.snapshot_rows(), before)

        def test_custom_fields_and_tags(self) -> None:
            fields = registry.entry(self.model).viewset.serializer_class().fields
            if not {"custom_fields", "tags"} <= set(fields):
                self.skipTest("the serializer offers no custom fields or tags")
            self.define_custom_field()
            self.define_tag()
            self.login("add", "change", "view")
            before = self.snapshot_rows()
            body = {**self.api_create_data[0], "custom_fields": {"charge_code": 0}}
            self.assertFieldError(self.client.post(self.url(), body), ["custom_fields"])
            self.assertEqual(self.snapshot_rows(), before)
            body = {**self.api_create_data[0], "custom_fields": {"charge_code": "7"}, "tags": ["critical"]}
            response = self.client.post(self.url(), body)
            self.assertEqual(response.status_code, 201, response.content)
            self.assertEqual(response.json()["custom_fields"], {"charge_code": 7})
            self.assertEqual(response.json()["tags"], ["critical"])
            new = self.model._default_manager.get(pk=response.json()["id"])
            self.assertEqual(new.custom_field_data, {"charge_code": 7})
            self.assertEqual(self.listed_ids(self.client.get(self.url(), {"cf_charge_code": "7"})), [new.pk])
            self.assertEqual(self.listed_ids(self.client.get(self.url(), {"tag": "critical"})), [new.pk])
            response = self.client.patch(self.url(new), {"custom_fields": {"unknown": 1}})
            self.assertFieldError(response, ["custom_fields"])
            response = self.client.patch(self.url(new), {"tags": []})
            self.assertEqual(response.status_code, 200, response.content)
            self.assertEqual(response.json()["tags"], [])
            self.assertEqual(response.json()["custom_fields"], {"charge_code": 7})

        def test_bulk_create(self) -> None:
            user = self.login("add", "view")
            response = self.client.post(self.url(), self.api_create_data)
            self.assertEqual(response.status_code, 201, response.content)
            self.assertEqual(len(response.json()), len(self.api_create_data))
            for item, data in zip(response.json(), self.api_create_data, strict=True):
                self.assertApplied(item, data)
                self.assertChangeLogged(item["id"], "create", user)

        def test_bulk_create_is_all_or_nothing(self) -> None:
            self.login("add", "view")
            before = self.snapshot_rows()
            items = [dict(d) for d in self.api_create_data]
            items[-1].update(self.bad_data)
            response = self.client.post(self.url(), items)
            self.assertFieldError(response, self.bad_data)
            self.assertEqual(self.snapshot_rows(), before)

        # --- update -------------------------------------------------------------------------
        def test_update(self) -> None:
            user = self.login("change", "view")
            obj = self.rows()[0]
            response = self.client.patch(self.url(obj), self.changes)
            self.assertEqual(response.status_code, 200, response.content)
            self.assertApplied(response.json(), self.changes)
            self.assertApplied(self.client.get(self.url(obj)).json(), self.changes)
            self.assertChangeLogged(obj, "update", user)

        def test_put_replaces_the_row(self) -> None:
            user = self.login("change", "view")
            obj = self.rows()[-1]
            response = self.client.put(self.url(obj), self.api_create_data[0])
            self.assertEqual(response.status_code, 200, response.content)
            self.assertApplied(response.json(), self.api_create_data[0])
            self.assertChangeLogged(obj, "update", user)

        def test_bad_token_is_refused(self) -> None:
            self.client.credentials(HTTP_AUTHORIZATION="Token stw_not-a-real-token")
            self.assertEqual(self.client.get(self.url()).status_code, 401)
            user = self.user_with("view")
            token, key = Token.issue(user=user, expires=timezone.now() - timedelta(minutes=1))
            self.client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
            self.assertEqual(self.client.get(self.url()).status_code, 401)

        def test_update_invalid_names_the_field(self) -> None:
            self.login("change", "view")
            obj = self.rows()[0]
            before = self.snapshot_rows()
            self.assertFieldError(self.client.patch(self.url(obj), self.bad_data), self.bad_data)
            self.assertEqual(self.snapshot_rows(), before)
            self.assertEqual(self.changes_for(obj, "update"), [])

        def test_update_with_stale_etag_is_refused(self) -> None:
            self.login("change", "view")
            obj = self.rows()[0]
            etag = self.client.get(self.url(obj))["ETag"]
            response = self.client.patch(self.url(obj), {}, HTTP_IF_MATCH=etag)
            self.assertEqual(response.status_code, 200, response.content)
            obj.refresh_from_db()
            obj.save()  # someone else writes: the ETag the client holds is now stale
            fresh = self.client.get(self.url(obj))["ETag"]
            self.assertNotEqual(fresh, etag)
            before = self.snapshot_rows()
            response = self.client.patch(self.url(obj), self.changes, HTTP_IF_MATCH=etag)
            self.assertEqual(response.status_code, 412, response.content)
            self.assertEqual(self.snapshot_rows(), before)
            self.assertEqual(self.changes_for(obj, "update"), [])
            response = self.client.patch(self.url(obj), self.changes, HTTP_IF_MATCH=fresh)
            self.assertEqual(response.status_code, 200, response.content)

        def test_update_constrained(self) -> None:
            allowed, *others = self.rows()
            self.login("change", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            for other in others:
                self.assertEqual(self.client.patch(self.url(other), self.changes).status_code, 404)
            self.assertEqual(self.snapshot_rows(), before)

        def test_update_moving_row_outside_constraint_is_refused(self) -> None:
            self.needs_field_constraint()
            self.login("change", "view", constraints=self.field_constraint)
            obj = self.rows()[0]
            before = self.snapshot_rows()
            self.assertEqual(self.client.patch(self.url(obj), self.move_out_data).status_code, 403)
            items = [{"id": pk, **self.move_out_data} for pk in before]
            self.assertEqual(self.client.patch(self.url(), items).status_code, 403)
            self.assertEqual(self.snapshot_rows(), before)

        def test_bulk_update(self) -> None:
            user = self.login("change", "view")
            objects = self.rows()
            response = self.client.patch(self.url(), [{"id": o.pk, **self.bulk_edit_data} for o in objects])
            self.assertEqual(response.status_code, 200, response.content)
            for item in response.json():
                self.assertApplied(item, self.bulk_edit_data)
            for obj in objects:
                self.assertChangeLogged(obj, "update", user)

        def test_bulk_update_is_all_or_nothing(self) -> None:
            self.login("change", "view")
            first, second, *_rest = self.rows()
            before = self.snapshot_rows()
            response = self.client.patch(
                self.url(), [{"id": first.pk, **self.bulk_edit_data}, {"id": second.pk, **self.bad_data}]
            )
            self.assertEqual(response.status_code, 400, response.content)
            self.assertIn(next(iter(self.bad_data)), response.json()["1"])
            missing = max(before) + 1000
            response = self.client.patch(
                self.url(), [{"id": first.pk, **self.bulk_edit_data}, {"id": missing, **self.bulk_edit_data}]
            )
            self.assertEqual(response.status_code, 400, response.content)
            self.assertIn("id", response.json()["1"])
            self.assertEqual(self.snapshot_rows(), before)

        def test_bulk_requests_with_malformed_ids_are_refused(self) -> None:
            self.login("change", "delete", "view")
            before = self.snapshot_rows()
            for bad in ("abc", None, [1], {"id": 1}, 1.5, True):
                with self.subTest(id=bad):
                    response = self.client.patch(self.url(), [{"id": bad, **self.bulk_edit_data}])
                    self.assertEqual(response.status_code, 400, response.content)
                    response = self.client.delete(self.url(), [{"id": bad}])
                    self.assertEqual(response.status_code, 400, response.content)
            for body in ([], {}, "text", [1, 2]):
                with self.subTest(body=body):
                    self.assertEqual(self.client.patch(self.url(), body).status_code, 400)
                    self.assertEqual(self.client.delete(self.url(), body).status_code, 400)
            self.assertEqual(self.snapshot_rows(), before)

        def test_bulk_update_constrained(self) -> None:
            allowed, other, *_rest = self.rows()
            self.login("change", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            response = self.client.patch(
                self.url(), [{"id": o.pk, **self.bulk_edit_data} for o in (allowed, other)]
            )
            self.assertEqual(response.status_code, 400, response.content)
            self.assertEqual(self.snapshot_rows(), before)

        # --- delete -------------------------------------------------------------------------
        def test_delete(self) -> None:
            user = self.login("delete", "view")
            obj = self.rows()[-1]
            self.assertEqual(self.client.delete(self.url(obj)).status_code, 204)
            self.assertFalse(self.model._default_manager.filter(pk=obj.pk).exists())
            self.assertChangeLogged(obj, "delete", user)

        def test_delete_constrained(self) -> None:
            allowed, *others = self.rows()
            self.login("delete", "view", constraints=self.constraint_for(allowed))
            for other in others:
                self.assertEqual(self.client.delete(self.url(other)).status_code, 404)
            self.assertEqual(len(self.rows()), len(others) + 1)

        def test_bulk_delete(self) -> None:
            user = self.login("delete", "view")
            objects = self.rows()
            pks = [o.pk for o in objects]
            response = self.client.delete(self.url(), [{"id": pk} for pk in pks])
            self.assertEqual(response.status_code, 204, response.content)
            self.assertFalse(self.model._default_manager.filter(pk__in=pks).exists())
            for obj in objects:
                self.assertChangeLogged(obj, "delete", user)

        def test_bulk_delete_is_all_or_nothing(self) -> None:
            self.login("delete", "view")
            before = self.snapshot_rows()
            response = self.client.delete(
                self.url(), [{"id": pk} for pk in before] + [{"id": max(before) + 1000}]
            )
            self.assertEqual(response.status_code, 400, response.content)
            self.assertIn("id", response.json())
            self.assertEqual(self.snapshot_rows(), before)

        def test_bulk_delete_constrained(self) -> None:
            allowed, *_others = self.rows()
            self.login("delete", "view", constraints=self.constraint_for(allowed))
            before = self.snapshot_rows()
            response = self.client.delete(self.url(), [{"id": pk} for pk in before])
            self.assertEqual(response.status_code, 400, response.content)
            self.assertEqual(self.snapshot_rows(), before)
