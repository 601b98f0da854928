"""The change log: one row per write, attributed, snapshotted and hash-chained; `audit verify`."""

import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse

from steward.core.changelog import verify_chain
from steward.core.context import change_context
from steward.core.models import ChangeLogHead, ObjectChange
from steward.core.models.changelog import GENESIS_HASH
from steward.org.models import Organisation, Person
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


def _org(slug: str = "acme") -> Organisation:
    return Organisation.objects.create(name=slug.title(), slug=slug)


def test_create_update_delete_each_write_one_row_with_snapshots():
    actor = make_user("cli")
    with change_context(actor=actor, request_id="job-42", source="job"):
        org = _org()
        org_pk = org.pk
        org = Organisation.objects.get(pk=org_pk)
        org.description = "Makes anvils"
        org.save()
        org.delete()
    rows = list(ObjectChange.objects.order_by("seq"))
    assert [r.action for r in rows] == ["create", "update", "delete"]
    create, update, delete = rows
    for row in rows:
        assert row.user == actor
        assert row.user_name == "cli"
        assert row.request_id == "job-42"
        assert row.source == "job"
        assert row.changed_object_id == org_pk
        assert row.object_repr == "Acme"
    assert create.prechange_data is None
    assert create.postchange_data["slug"] == "acme"
    assert update.prechange_data["description"] == ""
    assert update.postchange_data["description"] == "Makes anvils"
    assert [d[0] for d in update.diff()] == ["description"]
    assert delete.prechange_data["description"] == "Makes anvils"
    assert delete.postchange_data is None


def test_noop_save_writes_nothing():
    org = _org()
    assert ObjectChange.objects.count() == 1
    org.save()  # same instance, nothing changed
    Organisation.objects.get(pk=org.pk).save()  # freshly loaded, nothing changed
    assert ObjectChange.objects.count() == 1
    org.name = "Acme Ltd"
    org.save()
    org.save()
    assert list(ObjectChange.objects.order_by("seq").values_list("action", flat=True)) == ["create", "update"]


def test_without_context_the_source_is_system_and_no_user():
    _org()
    row = ObjectChange.objects.get()
    assert row.user is None
    assert row.source == "system"


def test_chain_links_rows_and_head_follows():
    for i in range(4):
        _org(f"org{i}")
    rows = list(ObjectChange.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3, 4]
    assert rows[0].prev_hash == GENESIS_HASH
    for before, after in zip(rows, rows[1:], strict=False):
        assert after.prev_hash == before.hash
    for row in rows:
        assert row.hash == row.compute_hash()
    head = ChangeLogHead.objects.get()
    assert (head.seq, head.hash) == (4, rows[-1].hash)
    assert verify_chain().ok


def _verify() -> str:
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


def _build_chain(n: int = 5) -> list[ObjectChange]:
    for i in range(n):
        _org(f"org{i}")
    return list(ObjectChange.objects.order_by("seq"))


def test_audit_verify_passes_on_intact_chain():
    _build_chain()
    assert "5 rows verified" in _verify()


def test_audit_verify_passes_on_empty_log():
    assert "0 rows verified" in _verify()


@pytest.mark.parametrize(
    "field, value",
    [
        ("object_repr", "Someone else"),
        ("postchange_data", {"name": "forged"}),
        ("user_name", "mallory"),
        ("request_id", "forged"),
    ],
)
def test_audit_verify_names_an_altered_row(field, value):
    rows = _build_chain()
    ObjectChange.objects.filter(pk=rows[2].pk).update(**{field: value})
    with pytest.raises(CommandError, match=r"row #3\b.*altered"):
        _verify()


def test_audit_verify_exits_non_zero_from_the_cli(capsys):
    from django.core.management import execute_from_command_line

    rows = _build_chain(3)
    ObjectChange.objects.filter(pk=rows[1].pk).update(object_repr="tampered")
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["steward", "audit", "verify"])
    assert exc.value.code != 0
    assert "#2" in capsys.readouterr().err


def test_audit_verify_detects_a_rehashed_row_by_the_broken_link():
    rows = _build_chain()
    forged = ObjectChange.objects.get(pk=rows[1].pk)
    forged.object_repr = "forged"
    forged.hash = forged.compute_hash()  # the forger recomputes this row's hash ...
    forged.save()
    with pytest.raises(CommandError, match=r"row #3\b"):  # ... but the next row still links to the old one
        _verify()


def test_audit_verify_detects_a_deleted_middle_row():
    rows = _build_chain()
    ObjectChange.objects.filter(pk=rows[2].pk).delete()
    with pytest.raises(CommandError, match=r"row #3\b.*missing"):
        _verify()


def test_audit_verify_detects_deleted_last_rows():
    rows = _build_chain()
    ObjectChange.objects.filter(seq__gte=rows[3].seq).delete()
    with pytest.raises(CommandError, match="removed"):
        _verify()


def _rows_for(model):
    return ObjectChange.objects.filter(changed_object_type=ContentType.objects.get_for_model(model))


def test_request_id_is_returned_and_recorded(client):
    user = make_user("ui")
    grant(user, Organisation, "view", "add")
    client.force_login(user)
    response = client.post(
        reverse("org:organisation_add"), {"name": "Acme", "slug": "acme"}, headers={"X-Request-ID": "abc-123"}
    )
    assert response.status_code == 302, response.content
    assert response["X-Request-ID"] == "abc-123"
    row = _rows_for(Organisation).get()
    assert (row.request_id, row.user, row.source, row.action) == ("abc-123", user, "ui", "create")


def test_a_bad_incoming_request_id_is_replaced(client):
    response = client.get(reverse("login"), headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>"
    assert len(response["X-Request-ID"]) == 32


def test_a_generated_request_id_is_recorded_for_api_writes(client):
    user = make_user("api")
    grant(user, Person, "view", "add")
    client.force_login(user)
    response = client.post(
        "/api/org/people/",
        {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    row = _rows_for(Person).get()
    assert row.request_id == response["X-Request-ID"]
    assert (row.user, row.source) == (user, "api")


def test_a_named_non_user_actor_is_recorded_by_name():
    with change_context(actor="demo", source="cli") as request_id:
        _org()
    row = ObjectChange.objects.get()
    assert (row.user, row.user_name, row.source, row.request_id) == (None, "demo", "cli", request_id)
    assert len(request_id) == 32


def test_audit_verify_detects_that_every_row_was_removed():
    _build_chain(2)
    ObjectChange.objects.all().delete()
    with pytest.raises(CommandError, match="removed"):
        _verify()


def test_token_authenticated_api_write_records_the_token_user(client):
    from steward.core.models import Token

    user = make_user("bot")
    grant(user, Organisation, "view", "add")
    _token, key = Token.issue(user=user, write_enabled=True)
    response = client.post(
        "/api/org/organisations/",
        {"name": "Acme", "slug": "acme"},
        content_type="application/json",
        headers={"Authorization": f"Token {key}", "X-Request-ID": "tok-1"},
    )
    assert response.status_code == 201, response.content
    row = _rows_for(Organisation).get()
    assert (row.user, row.user_name, row.request_id, row.source) == (user, "bot", "tok-1", "api")


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_one_unbroken_chain():
    import threading

    from django.db import connection

    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(8):
                Organisation.objects.create(name=f"T{n}-{i}", slug=f"t{n}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported to the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    result = verify_chain()
    assert result.ok, result.reason
    assert result.checked == 32


def test_rows_loaded_with_deferred_fields_log_true_before_and_after_images():
    _org()
    Organisation.objects.only("name").get().save()  # nothing changed: nothing logged
    assert ObjectChange.objects.count() == 1
    org = Organisation.objects.only("name").get()
    org.name = "Renamed"
    org.save()
    row = ObjectChange.objects.order_by("seq").last()
    assert row.diff() == [("name", "Acme", "Renamed")]
    assert row.prechange_data["slug"] == row.postchange_data["slug"] == "acme"


def test_save_with_update_fields_logs_only_what_was_written():
    org = _org()
    org = Organisation.objects.get(pk=org.pk)
    org.name = "Renamed"
    org.description = "not written"
    org.save(update_fields=["name"])
    row = ObjectChange.objects.order_by("seq").last()
    assert [d[0] for d in row.diff()] == ["name"]
    assert row.postchange_data["description"] == ""
    org.refresh_from_db()
    org.save()  # matches the database again: no-op
    assert ObjectChange.objects.count() == 2


@pytest.mark.django_db
def test_membership_and_tag_changes_are_logged():
    from steward.core.forms import set_tags
    from steward.core.models import ObjectChange, Tag
    from steward.org.models import Person, Team

    team = Team.objects.create(name="Desk", slug="desk")
    ada = Person.objects.create(first_name="Ada", last_name="L", email="ada@example.org")
    team.members.add(ada)
    row = ObjectChange.objects.filter(changed_object_id=team.pk, action="update").latest("seq")
    assert (row.prechange_data, row.postchange_data) == ({"members": []}, {"members": [ada.pk]})
    tag = Tag.objects.create(name="VIP", slug="vip")
    set_tags(team, [tag])
    row = ObjectChange.objects.filter(changed_object_id=team.pk, action="update").latest("seq")
    assert (row.prechange_data, row.postchange_data) == ({"tags": []}, {"tags": ["vip"]})
