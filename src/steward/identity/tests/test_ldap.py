"""Directory sync and sign-in against a real OpenLDAP ``slapd`` started on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import TestCase

from steward.core.models import ObjectChange
from steward.identity import services
from steward.identity.models import LDAPDirectory
from steward.identity.tests import ldap_server
from steward.org.choices import PersonStatus
from steward.org.models import Department, Person, Team

pytestmark = pytest.mark.skipif(not ldap_server.available(), reason="apt-get install -y slapd ldap-utils")
SUFFIX = ldap_server.SUFFIX


@pytest.fixture(scope="module")
def slapd_uri() -> Iterator[str]:
    with ldap_server.running_slapd() as uri:
        ldap_server.seed(uri)
        yield uri


@pytest.fixture(autouse=True)
def _uri(request: pytest.FixtureRequest, slapd_uri: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STEWARD_TEST_LDAP_PASSWORD", ldap_server.ADMIN_PASSWORD)
    if request.cls is not None:
        request.cls.uri = slapd_uri


def make_directory(uri: str, **extra: object) -> LDAPDirectory:
    return LDAPDirectory.objects.create(
        name="Test directory",
        server_uri=uri,
        bind_dn=ldap_server.ADMIN_DN,
        bind_password_env="STEWARD_TEST_LDAP_PASSWORD",
        user_base_dn=f"ou=people,{SUFFIX}",
        group_base_dn=f"ou=groups,{SUFFIX}",
        role_map={"admins": ["Directory admins"]},
        **extra,
    )


class LDAPSyncTest(TestCase):
    uri = ""

    def test_sync_then_modify_and_delete_then_sync_again(self) -> None:
        Group.objects.create(name="Directory admins")
        directory = make_directory(self.uri)
        preview = services.ldap_sync(directory=directory, dry_run=True)
        assert preview.ok and len(preview.added) == 4 and preview.dry_run
        assert not Person.objects.exists() and not Team.objects.exists()

        report = services.ldap_sync(directory=directory)
        assert report.ok, report.error
        assert len(report.added) == 4 and report.teams_added
        alice = Person.objects.get(email="alice@example.org")
        assert (alice.first_name, alice.last_name, alice.title) == ("Alice", "Archer", "Engineer")
        assert alice.manager.email == "mgr@example.org"
        assert alice.department.name == "IT" and Department.objects.filter(name="Finance").exists()
        assert alice.user.username == "alice" and not alice.user.has_usable_password()
        desk = Team.objects.get(name="service-desk")
        assert set(desk.members.values_list("email", flat=True)) == {
            "alice@example.org",
            "bob@example.org",
            "carol@example.org",
        }
        mona = Person.objects.get(email="mgr@example.org")
        assert list(mona.user.groups.values_list("name", flat=True)) == ["Directory admins"]
        directory.refresh_from_db()
        assert directory.last_sync_outcome == "ok" and "people added: 4" in directory.last_sync_report

        conn = ldap_server.admin_connection(self.uri)
        conn.modify(f"uid=alice,ou=people,{SUFFIX}", {"title": [("MODIFY_REPLACE", ["Lead engineer"])]})
        conn.delete(f"uid=bob,ou=people,{SUFFIX}")
        conn.modify(
            f"cn=service-desk,ou=groups,{SUFFIX}",
            {"member": [("MODIFY_DELETE", [f"uid=bob,ou=people,{SUFFIX}"])]},
        )
        conn.unbind()
        try:
            second = services.ldap_sync(directory=directory)
            assert second.ok
            assert second.updated == ["Alice Archer: title"]
            assert second.disabled == ["Bob Baker <bob@example.org>"]
            alice.refresh_from_db()
            bob = Person.objects.get(email="bob@example.org")
            assert alice.title == "Lead engineer"
            assert bob.status == PersonStatus.LEFT and not bob.user.is_active
            history = ObjectChange.objects.filter(changed_object_id=bob.pk, object_repr="Bob Baker")
            assert history.filter(action="create").exists() and history.filter(action="update").exists()
            assert not desk.members.filter(pk=bob.pk).exists()
            third = services.ldap_sync(directory=directory)
            assert (third.added, third.updated, third.disabled) == ([], [], [])
        finally:
            ldap_server.seed_bob_again(self.uri)

    def test_unreachable_server_changes_nothing_and_says_why(self) -> None:
        directory = make_directory(f"ldap://127.0.0.1:{ldap_server.free_port()}", timeout=2)
        Person.objects.create(first_name="Keep", last_name="Me", email="keep@example.org")
        changes = ObjectChange.objects.count()
        report = services.ldap_sync(directory=directory)
        assert not report.ok and "127.0.0.1" in report.error
        assert "nothing changed" in report.text()
        assert ObjectChange.objects.count() == changes and Person.objects.count() == 1
        directory.refresh_from_db()
        assert directory.last_sync_outcome == "failed"

    def test_command_dry_run_and_failure(self) -> None:
        make_directory(self.uri)
        out = StringIO()
        call_command("ldap_sync", "--dry-run", stdout=out)
        assert "dry run" in out.getvalue() and "people added: " in out.getvalue()
        assert not Person.objects.exists()
        LDAPDirectory.objects.update(server_uri=f"ldap://127.0.0.1:{ldap_server.free_port()}", timeout=2)
        with pytest.raises(CommandError):
            call_command("ldap_sync", stdout=StringIO())


class LDAPLoginTest(TestCase):
    uri = ""

    def test_directory_password_signs_in_and_maps_roles(self) -> None:
        Group.objects.create(name="Directory admins")
        make_directory(self.uri)
        response = self.client.post("/login/", {"username": "mgr", "password": "pw-mgr"})
        assert response.status_code == 302, response.content
        person = Person.objects.get(email="mgr@example.org")
        assert int(self.client.session["_auth_user_id"]) == person.user.pk
        assert person.user.groups.filter(name="Directory admins").exists()
        self.client.logout()
        bad = self.client.post("/login/", {"username": "mgr", "password": "wrong"})
        assert bad.status_code == 401

    def test_environment_directory(self) -> None:
        env = {
            "STEWARD_LDAP_URI": self.uri,
            "STEWARD_LDAP_BIND_DN": ldap_server.ADMIN_DN,
            "STEWARD_LDAP_BIND_PASSWORD": ldap_server.ADMIN_PASSWORD,
            "STEWARD_LDAP_USER_BASE_DN": f"ou=people,{SUFFIX}",
        }
        with pytest.MonkeyPatch.context() as mp:
            for key, value in env.items():
                mp.setenv(key, value)
            response = self.client.post("/login/", {"username": "carol", "password": "pw-carol"})
        assert response.status_code == 302
        assert LDAPDirectory.objects.get().server_uri == self.uri
