"""The generic UI and API test cases for time, capacity, RAID and status-report models (data only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from steward.org.models import Person
from steward.projects.models import (
    Project,
    RaidItem,
    ResourceProfile,
    StatusReport,
    Task,
    TimeEntry,
    Timesheet,
)
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

MONDAY = dt.date(2027, 1, 4)


def person(n: int | str) -> Person:
    return Person.objects.create(first_name="P", last_name=str(n), email=f"p{n}@example.org")


class ResourceProfileData:
    model = ResourceProfile
    bulk_edit_data = {"weekly_capacity": "32.0"}
    invalid_data = {"currency": "EURO"}
    field_constraint = {"currency": "EUR"}
    move_out_data = {"currency": "USD"}

    @classmethod
    def setUpTestData(cls) -> None:
        people = [person(n) for n in range(9)]
        for p in people[:3]:
            ResourceProfile.objects.create(person=p, hourly_rate=D(50))
        cls.csv_data = ("person,hourly_rate,currency,weekly_capacity", f"{people[3].email},60,EUR,40",
                        f"{people[4].email},70,USD,32", f"{people[5].email},0,EUR,20")  # fmt: skip
        cls.create_data = {
            "person": people[6].pk,
            "hourly_rate": "80.00",
            "currency": "EUR",
            "weekly_capacity": "40.0",
        }
        cls.api_create_data = [{"person": p.pk, "hourly_rate": "10.00"} for p in people[6:9]]


class ResourceProfileViewTest(ResourceProfileData, ViewTestCases.ObjectViewTestCase):
    pass


class ResourceProfileAPITest(ResourceProfileData, APITestCases.APIViewTestCase):
    pass


class TimesheetData:
    model = Timesheet
    invalid_data = {"week_start": "2027-01-05"}
    bulk_edit_data = {"note": "Changed in bulk"}
    field_constraint = {"note": ""}
    move_out_data = {"note": "moved"}

    @classmethod
    def setUpTestData(cls) -> None:
        owner, other = person("owner"), person("other")
        for n in range(3):
            Timesheet.objects.create(person=owner, week_start=MONDAY + dt.timedelta(weeks=n))
        cls.csv_data = ("person,week_start", f"{other.email},2027-02-01", f"{other.email},2027-02-08",
                        f"{owner.email},2027-02-15")  # fmt: skip
        cls.create_data = {"person": owner.pk, "week_start": "2027-03-01"}
        cls.api_create_data = [{"person": other.pk, "week_start": f"2027-03-{d:02d}"} for d in (1, 8, 15)]


class TimesheetViewTest(TimesheetData, ViewTestCases.ObjectViewTestCase):
    pass


class TimesheetAPITest(TimesheetData, APITestCases.APIViewTestCase):
    pass


class TimeEntryData:
    model = TimeEntry
    bulk_edit_data = {"billable": False}
    invalid_data = {"hours": "25"}
    field_constraint = {"billable": True}
    move_out_data = {"billable": False}

    @classmethod
    def setUpTestData(cls) -> None:
        worker = person("worker")
        project = Project.objects.create(name="P", start_date=MONDAY)
        task = Task.objects.create(project=project, name="T", duration=5)
        for n in range(3):
            TimeEntry.objects.create(person=worker, project=project, task=task, date=MONDAY + dt.timedelta(days=n),
                                     hours=D(8))  # fmt: skip
        cls.csv_data = ("person,date,hours,project,billable", f"{worker.email},2027-01-11,4,{project.reference},true",
                        f"{worker.email},2027-01-12,5.5,{project.reference},false",
                        f"{worker.email},2027-01-13,1,{project.reference},true")  # fmt: skip
        cls.create_data = {"person": worker.pk, "date": "2027-01-20", "hours": "7.50", "project": project.pk,
                           "task": task.pk, "billable": "on", "note": "n"}  # fmt: skip
        cls.api_create_data = [
            {"person": worker.pk, "date": "2027-01-21", "hours": "3.00", "project": project.pk},
            {
                "person": worker.pk,
                "date": "2027-01-22",
                "hours": "2.50",
                "project": project.pk,
                "task": task.pk,
            },
            {
                "person": worker.pk,
                "date": "2027-01-22",
                "hours": "1.00",
                "project": project.pk,
                "billable": False,
            },
        ]


class TimeEntryViewTest(TimeEntryData, ViewTestCases.ObjectViewTestCase):
    pass


class TimeEntryAPITest(TimeEntryData, APITestCases.APIViewTestCase):
    pass


class RaidItemData:
    model = RaidItem
    bulk_edit_data = {"status": "in_progress"}
    invalid_data = {"probability": "9"}
    field_constraint = {"status": "open"}
    move_out_data = {"status": "closed"}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=MONDAY)
        for n in range(1, 4):
            RaidItem.objects.create(project=project, type="risk", title=f"Risk {n}", probability=n, impact=2)
        ref = project.reference
        cls.csv_data = ("project,type,title,probability,impact", f"{ref},risk,A,2,3", f"{ref},issue,B,,",
                        f"{ref},assumption,C,,")  # fmt: skip
        cls.create_data = {"project": project.pk, "type": "risk", "title": "New", "status": "open",
                           "probability": 3, "impact": 4}  # fmt: skip
        cls.api_create_data = [
            {"project": project.pk, "type": "risk", "title": "A", "probability": 1, "impact": 1},
            {"project": project.pk, "type": "issue", "title": "B"},
            {"project": project.pk, "type": "decision", "title": "C"},
        ]


class RaidItemViewTest(RaidItemData, ViewTestCases.ObjectViewTestCase):
    pass


class RaidItemAPITest(RaidItemData, APITestCases.APIViewTestCase):
    pass


class StatusReportData:
    model = StatusReport
    bulk_edit_data = {"overall": "amber"}
    invalid_data = {"overall": "purple"}
    field_constraint = {"scope": "green"}
    move_out_data = {"scope": "red"}

    @classmethod
    def setUpTestData(cls) -> None:
        project = Project.objects.create(name="P", start_date=MONDAY)
        for n in range(3):
            end = MONDAY + dt.timedelta(weeks=n, days=6)
            StatusReport.objects.create(
                project=project, period_start=end - dt.timedelta(days=6), period_end=end
            )
        ref = project.reference
        cls.csv_data = ("project,period_start,period_end,overall", f"{ref},2027-03-01,2027-03-07,green",
                        f"{ref},2027-03-08,2027-03-14,amber", f"{ref},2027-03-15,2027-03-21,red")  # fmt: skip
        cls.create_data = {"project": project.pk, "period_start": "2027-04-01", "period_end": "2027-04-30",
                           "overall": "green", "schedule": "amber", "cost": "green", "scope": "green",
                           "summary": "ok"}  # fmt: skip
        cls.api_create_data = [
            {"project": project.pk, "period_start": "2027-05-01", "period_end": f"2027-05-{d:02d}"}
            for d in (7, 14, 21)
        ]


class StatusReportViewTest(StatusReportData, ViewTestCases.ObjectViewTestCase):
    pass


class StatusReportAPITest(StatusReportData, APITestCases.APIViewTestCase):
    pass
