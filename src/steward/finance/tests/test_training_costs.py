"""A completed talent enrolment books its course's cost into the ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from steward.core import workflow as wf
from steward.finance.models import AccountCategory, CostCentre, Expense, FiscalYear
from steward.org.models import Department, Organisation, Person
from steward.talent import services as talent
from steward.talent.models import Course, Enrolment
from steward.utilities.testing import make_user
from steward.utilities.testing.factories import make_instance

pytestmark = pytest.mark.django_db


def complete(person: Person, course: Course, captured) -> None:
    admin = make_user("admin", superuser=True)
    enrolment = Enrolment.objects.create(person=person, course=course)
    wf.transition(obj=enrolment, name="enrol", actor=admin)
    with captured(execute=True):
        talent.complete_enrolment(enrolment=enrolment, actor=admin, completion_date=dt.date(2027, 2, 1))


def test_the_course_cost_goes_to_the_department_cost_centre(django_capture_on_commit_callbacks):
    FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 1, 1))
    org = make_instance(Organisation)
    it = Department.objects.create(name="IT", code="IT", organisation=org)
    ops = Department.objects.create(name="Operations", code="OPS", parent=it, organisation=org)
    centre = CostCentre.objects.create(code="IT", name="IT", department=it)
    AccountCategory.objects.create(code="TRAINING", name="Training")
    course = Course.objects.create(
        title="PostgreSQL tuning", provider="Acme", cost=Decimal("950.00"), currency="EUR"
    )
    ann = Person.objects.create(first_name="Ann", last_name="Ops", email="ann@example.org", department=ops)
    complete(ann, course, django_capture_on_commit_callbacks)
    expense = Expense.objects.get()
    assert (expense.cost_centre, expense.amount, expense.source) == (centre, Decimal("950.00"), "training")
    assert expense.date == dt.date(2027, 2, 1) and expense.supplier_name == "Acme"


def test_without_a_cost_centre_nothing_is_booked_and_the_completion_stands(
    django_capture_on_commit_callbacks,
):
    FiscalYear.objects.create(name="FY2027", start_date=dt.date(2027, 1, 1))
    AccountCategory.objects.create(code="TRAINING", name="Training")
    course = Course.objects.create(title="Kubernetes", cost=Decimal("300.00"), currency="EUR")
    bob = Person.objects.create(first_name="Bob", last_name="Nodept", email="bob@example.org")
    complete(bob, course, django_capture_on_commit_callbacks)
    assert not Expense.objects.exists()
    assert Enrolment.objects.get().state == "completed"
