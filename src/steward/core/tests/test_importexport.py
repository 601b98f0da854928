"""Import behaviour the batched lookups must keep: upsert, errors by row, all-or-nothing, log."""

import pytest

from steward.core.importexport import import_rows
from steward.core.models.changelog import ObjectChange
from steward.org.forms import PersonForm
from steward.org.models import Department, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def department():
    org = Organisation.objects.create(name="Org", slug="org")
    return Department.objects.create(organisation=org, name="Ops", code="ops")


def run(rows, **kwargs):
    return import_rows(model=Person, form_class=PersonForm, rows=rows, dry_run=False, **kwargs)


def test_creates_updates_and_logs(department):
    Person.objects.create(first_name="Ada", last_name="L", email="ada@example.org")
    result = run(
        [
            {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org", "department": "ops"},
            {
                "first_name": "Alan",
                "last_name": "Turing",
                "email": "alan@example.org",
                "status": "active",
                "department": "ops",
            },
        ]
    )
    assert result.ok and (result.created, result.updated) == (1, 1)
    assert Person.objects.get(email="ada@example.org").last_name == "Lovelace"
    assert Person.objects.get(email="alan@example.org").department == department
    assert ObjectChange.objects.filter(action="create", object_repr="Alan Turing").exists()
    assert ObjectChange.objects.filter(action="update", object_repr="Ada Lovelace").exists()


def test_errors_name_rows_and_nothing_is_written(department):
    Person.objects.create(first_name="Ada", last_name="L", email="ada@example.org")
    result = run(
        [
            {"first_name": "Bob", "last_name": "B", "email": "bob@example.org", "department": "ops"},
            {"first_name": "Cy", "last_name": "C", "email": "cy@example.org", "department": "nope"},
            {"first_name": "Bob", "last_name": "B", "email": "bob@example.org"},
            {"first_name": "Ad", "last_name": "A", "email": "ADA@example.org"},
            {"first_name": "Dee", "last_name": "D", "email": "dee@example.org", "department": "nope"},
        ]
    )
    rows = {(e.row, e.field) for e in result.errors}
    assert (2, "department") in rows and (5, "department") in rows
    assert (3, "email") in rows  # same key as row 1
    assert (4, "email") in rows  # normalised to an existing address: unique check still runs
    assert not Person.objects.filter(email="bob@example.org").exists()


def test_rows_outside_allowed_are_refused(department):
    Person.objects.create(first_name="Ada", last_name="L", email="ada@example.org")
    result = run(
        [{"first_name": "Ada", "last_name": "X", "email": "ada@example.org"}],
        allowed=Person.objects.none(),
    )
    assert [(e.row, e.field) for e in result.errors] == [(1, "email")]


def test_rows_by_id(department):
    ada = Person.objects.create(first_name="Ada", last_name="L", email="ada@example.org")
    result = run([{"id": str(ada.pk), "last_name": "Lovelace"}, {"id": "999999", "last_name": "X"}])
    assert [(e.row, e.field) for e in result.errors] == [(2, "id")]
    result = run([{"id": ada.pk, "last_name": "Lovelace", "department": "ops"}])
    assert result.ok and result.updated == 1
    ada.refresh_from_db()
    assert (ada.last_name, ada.department_id) == ("Lovelace", department.pk)
