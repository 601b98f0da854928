"""The SCIM endpoint: auth and scope, permissions, change log, bad input, PATCH, ETags, paging."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.test import TestCase

from steward.core.models import ObjectChange, Token, TokenScope
from steward.identity.models import ExternalIdentity
from steward.identity.scim import schemas
from steward.org.choices import PersonStatus
from steward.org.models import Person, Team
from steward.utilities.testing import grant, make_user

URL = "/scim/v2"
CT = "application/scim+json"


def user_body(name: str, email: str | None = None, **extra: Any) -> dict:
    return {
        "schemas": [schemas.USER],
        "userName": name,
        "name": {"givenName": name.title(), "familyName": "Tester"},
        "emails": [{"value": email or f"{name}@example.org", "type": "work", "primary": True}],
        **extra,
    }


class ScimTestCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.admin = make_user("idp")
        grant(cls.admin, Person, "view", "add", "change", "delete")
        grant(cls.admin, Team, "view", "add", "change", "delete")
        _t, cls.key = Token.issue(user=cls.admin, scope=TokenScope.SCIM, write_enabled=True)
        cls.existing = Person.objects.create(first_name="Eve", last_name="Known", email="eve@example.org")

    def call(self, method: str, path: str, body: Any = None, key: str | None = None, **headers: str) -> Any:
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {key or self.key}"}
        kwargs.update({f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()})
        data = json.dumps(body) if body is not None and not isinstance(body, str) else body
        return getattr(self.client, method.lower())(f"{URL}{path}", data=data, content_type=CT, **kwargs)

    def assert_error(self, response: Any, status: int, scim_type: str | None) -> None:
        assert response.status_code == status, response.content
        body = response.json()
        assert body["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
        assert body["status"] == str(status)
        assert body.get("scimType") == scim_type
        assert body["detail"]


class ScimAuthTest(ScimTestCase):
    def test_requires_a_scim_scoped_token(self) -> None:
        self.assert_error(self.client.get(f"{URL}/Users"), 401, None)
        _t, api_key = Token.issue(user=self.admin, scope=TokenScope.API)
        self.assert_error(self.call("GET", "/Users", key=api_key), 401, None)
        self.assert_error(self.call("GET", "/Users", key="stw_nonsense"), 401, None)
        assert self.call("GET", "/Users").status_code == 200

    def test_scim_token_does_not_open_the_rest_api(self) -> None:
        response = self.client.get("/api/org/people/", HTTP_AUTHORIZATION=f"Bearer {self.key}")
        assert response.status_code in (401, 403)

    def test_read_only_token_cannot_write(self) -> None:
        _t, key = Token.issue(user=self.admin, scope=TokenScope.SCIM, write_enabled=False)
        self.assert_error(self.call("POST", "/Users", user_body("ro"), key=key), 403, None)
        assert not Person.objects.filter(email="ro@example.org").exists()

    def test_permissions_are_the_object_permissions(self) -> None:
        viewer = make_user("viewer")
        grant(viewer, Person, "view", constraints={"last_name": "Known"})
        _t, key = Token.issue(user=viewer, scope=TokenScope.SCIM, write_enabled=True)
        listed = self.call("GET", "/Users", key=key).json()
        assert [r["id"] for r in listed["Resources"]] == [str(self.existing.pk)]
        self.assert_error(self.call("POST", "/Users", user_body("nope"), key=key), 403, None)
        assert self.call("GET", "/Groups", key=key).json()["totalResults"] == 0
        self.assert_error(self.call("DELETE", f"/Users/{self.existing.pk}", key=key), 403, None)
        self.existing.refresh_from_db()
        assert self.existing.status == PersonStatus.ACTIVE


class ScimUserTest(ScimTestCase):
    def test_create_maps_onto_person_and_account_with_change_log(self) -> None:
        body = user_body(
            "bjensen",
            title="Tour guide",
            externalId="ext-1",
            phoneNumbers=[{"value": "+44 1", "type": "work"}],
            **{
                schemas.ENTERPRISE: {
                    "employeeNumber": "701",
                    "department": "Tours",
                    "manager": {"value": str(self.existing.pk)},
                }
            },
        )
        response = self.call("POST", "/Users", body)
        assert response.status_code == 201, response.content
        created = response.json()
        person = Person.objects.get(pk=created["id"])
        assert person.user.username == "bjensen" and not person.user.has_usable_password()
        assert (person.first_name, person.last_name, person.email) == (
            "Bjensen",
            "Tester",
            "bjensen@example.org",
        )
        assert (person.title, person.phone, person.employee_id) == ("Tour guide", "+44 1", "701")
        assert person.department.name == "Tours" and person.manager == self.existing
        assert created["externalId"] == "ext-1"
        assert created["meta"]["version"] == response["ETag"]
        assert response["Location"].endswith(f"/scim/v2/Users/{person.pk}")
        assert created[schemas.ENTERPRISE]["manager"]["value"] == str(self.existing.pk)
        change = ObjectChange.objects.filter(changed_object_id=person.pk, action="create").latest("seq")
        assert change.user == self.admin and change.source == "scim"

    def test_duplicate_username_is_uniqueness_and_writes_nothing(self) -> None:
        assert self.call("POST", "/Users", user_body("dup")).status_code == 201
        people, changes = Person.objects.count(), ObjectChange.objects.count()
        self.assert_error(
            self.call("POST", "/Users", user_body("DUP", "other@example.org")), 409, "uniqueness"
        )
        self.assert_error(
            self.call("POST", "/Users", user_body("fresh", "eve@example.org")), 409, "uniqueness"
        )
        assert (Person.objects.count(), ObjectChange.objects.count()) == (people, changes)

    def test_bad_bodies_are_refused_and_change_nothing(self) -> None:
        before = (Person.objects.count(), get_user_model().objects.count(), ObjectChange.objects.count())
        self.assert_error(self.call("POST", "/Users", user_body("x", shoeSize=42)), 400, "invalidValue")
        self.assert_error(self.call("POST", "/Users", user_body("x", active="yes")), 400, "invalidValue")
        self.assert_error(
            self.call("POST", "/Users", {"schemas": [schemas.USER], "userName": "x"}), 400, "invalidValue"
        )
        self.assert_error(self.call("POST", "/Users", {"userName": "x"}), 400, "invalidSyntax")
        self.assert_error(self.call("POST", "/Users", "{not json"), 400, "invalidSyntax")
        manager = {schemas.ENTERPRISE: {"manager": {"value": "999999"}}}
        self.assert_error(self.call("POST", "/Users", user_body("x", **manager)), 400, "invalidValue")
        assert (
            Person.objects.count(),
            get_user_model().objects.count(),
            ObjectChange.objects.count(),
        ) == before

    def test_filters_paging_sorting_and_attributes(self) -> None:
        for name in ("carol", "alice", "bob"):
            self.call("POST", "/Users", user_body(name))
        found = self.call("GET", '/Users?filter=userName eq "ALICE"').json()
        assert [r["userName"] for r in found["Resources"]] == ["alice"]
        found = self.call("GET", '/Users?filter=emails[type eq "work" and value sw "bo"]').json()
        assert [r["userName"] for r in found["Resources"]] == ["bob"]
        page = self.call("GET", "/Users?sortBy=userName&sortOrder=descending&startIndex=2&count=2").json()
        assert page["totalResults"] == 4 and page["startIndex"] == 2 and page["itemsPerPage"] == 2
        assert [r["userName"] for r in page["Resources"]] == ["carol", "bob"]
        only = self.call("GET", '/Users?attributes=userName&filter=userName sw "a"').json()["Resources"][0]
        assert set(only) == {"schemas", "id", "meta", "userName"}
        self.assert_error(self.call("GET", '/Users?filter=userName eq "a" and'), 400, "invalidFilter")
        self.assert_error(self.call("GET", '/Users?filter=shoeSize eq "a"'), 400, "invalidFilter")
        self.assert_error(self.call("GET", "/Users?count=lots"), 400, "invalidValue")
        searched = self.call(
            "POST", "/Users/.search", {"schemas": [schemas.SEARCH_REQUEST], "filter": 'userName eq "bob"'}
        )
        assert searched.json()["totalResults"] == 1

    def test_patch_operations_and_errors(self) -> None:
        pk = self.call("POST", "/Users", user_body("pat")).json()["id"]
        ops = {
            "schemas": [schemas.PATCH_OP],
            "Operations": [
                {"op": "replace", "path": "title", "value": "Boss"},
                {"op": "add", "path": "emails", "value": [{"value": "pat@home.test", "type": "home"}]},
                {"op": "replace", "path": 'emails[type eq "home"].value', "value": "pat2@home.test"},
                {"op": "add", "value": {"nickName": "P", "name.familyName": "Jones"}},
            ],
        }
        body = self.call("PATCH", f"/Users/{pk}", ops).json()
        assert body["title"] == "Boss" and body["nickName"] == "P" and body["name"]["familyName"] == "Jones"
        assert [e["value"] for e in body["emails"]] == ["pat@example.org", "pat2@home.test"]
        assert Person.objects.get(pk=pk).last_name == "Jones"
        before = self.call("GET", f"/Users/{pk}").json()
        for operation, scim_type in [
            ({"op": "replace", "path": "shoeSize", "value": 1}, "invalidPath"),
            ({"op": "replace", "path": "groups", "value": []}, "mutability"),
            ({"op": "remove"}, "noTarget"),
            ({"op": "replace", "path": 'emails[type eq "fax"].value', "value": "x"}, "noTarget"),
            ({"op": "replace", "path": 'emails[type eq "work"', "value": "x"}, "invalidPath"),
            ({"op": "explode", "path": "title"}, "invalidSyntax"),
            ({"op": "remove", "path": "userName"}, "invalidValue"),
        ]:
            bad = {
                "schemas": [schemas.PATCH_OP],
                "Operations": [{"op": "replace", "path": "title", "value": "X"}, operation],
            }
            self.assert_error(self.call("PATCH", f"/Users/{pk}", bad), 400, scim_type)
        assert self.call("GET", f"/Users/{pk}").json() == before

    def test_etags(self) -> None:
        created = self.call("POST", "/Users", user_body("tag"))
        pk, version = created.json()["id"], created["ETag"]
        assert self.call("GET", f"/Users/{pk}", **{"If-None-Match": version}).status_code == 304
        ops = {
            "schemas": [schemas.PATCH_OP],
            "Operations": [{"op": "replace", "path": "title", "value": "A"}],
        }
        changed = self.call("PATCH", f"/Users/{pk}", ops, **{"If-Match": version})
        assert changed.status_code == 200 and changed["ETag"] != version
        stale = self.call("PUT", f"/Users/{pk}", user_body("tag", title="B"), **{"If-Match": version})
        self.assert_error(stale, 412, None)
        assert Person.objects.get(pk=pk).title == "A"

    def test_put_replaces_and_delete_deactivates_keeping_history(self) -> None:
        pk = self.call("POST", "/Users", user_body("gone", title="T", nickName="G")).json()["id"]
        replaced = self.call("PUT", f"/Users/{pk}", user_body("gone")).json()
        assert "title" not in replaced and "nickName" not in replaced
        assert self.call("DELETE", f"/Users/{pk}").status_code == 204
        person = Person.objects.get(pk=pk)
        assert person.status == PersonStatus.LEFT and not person.user.is_active
        self.assert_error(self.call("GET", f"/Users/{pk}"), 404, None)
        assert ObjectChange.objects.filter(changed_object_id=pk, action="update").exists()
        again = self.call("POST", "/Users", user_body("gone"))
        assert again.status_code == 201 and again.json()["id"] == pk
        person.refresh_from_db()
        assert person.status == PersonStatus.ACTIVE and person.user.is_active

    def test_changes_in_steward_show_through(self) -> None:
        pk = self.call("POST", "/Users", user_body("shown", title="Old")).json()["id"]
        Person.objects.filter(pk=pk).update(title="New")
        assert self.call("GET", f"/Users/{pk}").json()["title"] == "New"
        body = self.call("GET", f"/Users/{self.existing.pk}").json()
        assert body["userName"] == "eve@example.org" and body["emails"][0]["value"] == "eve@example.org"


class ScimGroupTest(ScimTestCase):
    def test_group_members_and_member_filter_patch(self) -> None:
        a = self.call("POST", "/Users", user_body("ann")).json()["id"]
        b = self.call("POST", "/Users", user_body("ben")).json()["id"]
        group = {"schemas": [schemas.GROUP], "displayName": "Ops", "members": [{"value": a}, {"value": b}]}
        created = self.call("POST", "/Groups", group)
        assert created.status_code == 201, created.content
        gid = created.json()["id"]
        team = Team.objects.get(pk=gid)
        assert set(team.members.values_list("pk", flat=True)) == {int(a), int(b)}
        found = self.call("GET", f'/Groups?filter=members[value eq "{a}"]').json()
        assert [r["id"] for r in found["Resources"]] == [gid]
        ops = {
            "schemas": [schemas.PATCH_OP],
            "Operations": [{"op": "remove", "path": f'members[value eq "{a}"]'}],
        }
        assert self.call("PATCH", f"/Groups/{gid}", ops).status_code == 200
        assert list(team.members.values_list("pk", flat=True)) == [int(b)]
        user = self.call("GET", f"/Users/{b}").json()
        assert user["groups"][0]["display"] == "Ops"
        self.assert_error(
            self.call("POST", "/Groups", {"schemas": [schemas.GROUP], "displayName": "ops"}),
            409,
            "uniqueness",
        )
        bad = {"schemas": [schemas.GROUP], "displayName": "New", "members": [{"value": "999999"}]}
        self.assert_error(self.call("POST", "/Groups", bad), 400, "invalidValue")
        assert not Team.objects.filter(name="New").exists()
        assert self.call("DELETE", f"/Groups/{gid}").status_code == 204
        assert Team.objects.filter(pk=gid).exists() and not team.members.exists()
        assert ExternalIdentity.objects.get(team_id=gid).disabled


class ScimDiscoveryTest(ScimTestCase):
    def test_discovery_documents(self) -> None:
        spc = self.call("GET", "/ServiceProviderConfig").json()
        assert spc["patch"]["supported"] and spc["etag"]["supported"] and spc["filter"]["supported"]
        types = self.call("GET", "/ResourceTypes").json()
        assert {r["id"] for r in types["Resources"]} == {"User", "Group"}
        schema = self.call("GET", f"/Schemas/{schemas.USER}").json()
        assert schema["attributes"][0]["name"] == "userName"
        self.assert_error(self.call("GET", "/Nothing"), 404, None)


class ScimQueryCountTest(ScimTestCase):
    def test_list_queries_do_not_grow_with_rows(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        def count(path: str) -> int:
            with CaptureQueriesContext(connection) as ctx:
                assert self.call("GET", path).status_code == 200
            return len(ctx.captured_queries)

        self.call("POST", "/Users", user_body("one"))
        members = [{"value": self.call("POST", "/Users", user_body("two")).json()["id"]}]
        self.call("POST", "/Groups", {"schemas": [schemas.GROUP], "displayName": "G1", "members": members})
        before = (count("/Users"), count("/Groups"))
        for n in range(6):
            pk = self.call("POST", "/Users", user_body(f"more{n}")).json()["id"]
            self.call(
                "POST",
                "/Groups",
                {"schemas": [schemas.GROUP], "displayName": f"G{n + 2}", "members": [{"value": pk}]},
            )
        assert (count("/Users"), count("/Groups")) == before
