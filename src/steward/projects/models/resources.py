"""People as project resources: their cost rate and capacity, the time they log and their weekly timesheets."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel, WorkflowMixin
from steward.utilities.money import validate_currency

HOURS_PER_DAY = Decimal(24)


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s ISO week."""
    return day - dt.timedelta(days=day.weekday())


class ResourceProfile(StewardModel):
    """What projects need to know about a person as a resource: cost rate, weekly capacity, calendar.

    Kept in projects (not on ``org.Person``) so the people directory stays free of project
    economics. A person without a profile counts at the default capacity and a zero rate.
    """

    person = models.OneToOneField(
        "org.Person", on_delete=models.CASCADE, related_name="resource_profile", verbose_name=_("person")
    )
    hourly_rate = models.DecimalField(
        _("hourly cost rate"), max_digits=10, decimal_places=2, default=Decimal(0),
        validators=[MinValueValidator(0)], help_text=_("Cost of one hour of this person's time."),
    )  # fmt: skip
    currency = models.CharField(_("currency"), max_length=3, default="EUR", validators=[validate_currency])
    weekly_capacity = models.DecimalField(
        _("weekly capacity (hours)"), max_digits=5, decimal_places=1, default=Decimal(40),
        validators=[MinValueValidator(0), MaxValueValidator(168)],
    )  # fmt: skip
    calendar = models.ForeignKey(
        "org.BusinessCalendar", on_delete=models.SET_NULL, null=True, blank=True, related_name="resource_profiles",
        verbose_name=_("business calendar"),
        help_text=_("Working days and public holidays; empty = Monday to Friday, no holidays."),
    )  # fmt: skip

    class Meta:
        ordering = ("person__last_name", "person__first_name", "id")
        verbose_name = _("resource profile")
        verbose_name_plural = _("resource profiles")

    def __str__(self) -> str:
        return _("%(person)s as a resource") % {"person": self.person}


class Timesheet(WorkflowMixin, StewardModel):
    """One person's time for one week (Monday to Sunday), submitted to and approved by their manager.

    Entries of a submitted or approved week are locked; the manager sends it back to draft.
    """

    workflow = "projects.timesheet"

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="timesheets", verbose_name=_("person")
    )
    week_start = models.DateField(_("week starting"), help_text=_("A Monday."))
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("For the approving manager."))

    class Meta:
        ordering = ("-week_start", "person__last_name", "person__first_name", "id")
        verbose_name = _("timesheet")
        verbose_name_plural = _("timesheets")
        constraints = [
            models.UniqueConstraint(fields=("person", "week_start"), name="projects_timesheet_week")
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.week_start.isoformat()}" if self.person_id else str(self.week_start)

    @property
    def week_end(self) -> dt.date:
        return self.week_start + dt.timedelta(days=6)

    @property
    def is_locked(self) -> bool:
        return bool(self.state) and self.state != "draft"

    def clean(self) -> None:
        super().clean()
        if self.week_start and self.week_start.weekday() != 0:
            raise ValidationError({"week_start": _("A timesheet week starts on a Monday.")})
        previous = getattr(self, "_loaded_values", {})
        moved = previous and (previous.get("person_id"), previous.get("week_start")) != (self.person_id,
                                                                                           self.week_start)  # fmt: skip
        if moved and self.entries.exists():
            raise ValidationError({"week_start": _("This timesheet has entries; its person and week stay.")})


class TimeEntry(StewardModel):
    """Hours a person worked on a project (and optionally one of its tasks) on one day.

    ``rate`` is the person's rate when the entry is created and ``cost`` is hours × rate, so a
    later rate change does not rewrite history; the cost counts in the project's actual cost.
    Time on ITSM incidents is logged there (``itsm.TimeEntry``) and only read here.
    """

    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="project_time", verbose_name=_("person")
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"), max_digits=4, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(HOURS_PER_DAY)],
    )  # fmt: skip
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, related_name="time_entries", verbose_name=_("project")
    )
    task = models.ForeignKey(
        "projects.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="time_entries",
        verbose_name=_("task"),
    )  # fmt: skip
    billable = models.BooleanField(_("billable"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    rate = models.DecimalField(_("rate"), max_digits=10, decimal_places=2, default=Decimal(0), editable=False)
    cost = models.DecimalField(_("cost"), max_digits=12, decimal_places=2, default=Decimal(0), editable=False)
    timesheet = models.ForeignKey(
        Timesheet, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="entries",
        verbose_name=_("timesheet"),
    )  # fmt: skip

    class Meta:
        ordering = ("-date", "person__last_name", "person__first_name", "id")
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        indexes = [
            models.Index(fields=("person", "date"), name="projects_time_person_date"),
            models.Index(fields=("project", "task"), name="projects_time_project_task"),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h · {self.date.isoformat()}" if self.date else f"{self.hours} h"

    def _profile(self) -> ResourceProfile | None:
        return ResourceProfile.objects.filter(person_id=self.person_id).first()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.hours is not None and not 0 < self.hours <= HOURS_PER_DAY:
            errors["hours"] = _("An entry holds more than 0 and at most 24 hours.")
        if self.task_id and self.project_id and self.task.project_id != self.project_id:
            errors["task"] = _("The task belongs to another project.")
        if errors:
            raise ValidationError(errors)
        if not (self.person_id and self.date):
            return
        sheet = Timesheet.objects.filter(person_id=self.person_id, week_start=week_start(self.date)).first()
        previous = getattr(self, "_loaded_values", {})
        if sheet is not None and sheet.is_locked:
            raise ValidationError({"date": _("The timesheet of the week of %(week)s is %(state)s; send it back "
                                             "to draft first.") % {"week": sheet.week_start.isoformat(),
                                                                   "state": sheet.workflow_state.label.lower()}})  # fmt: skip
        old_key = (previous.get("person_id"), previous.get("date"))
        if old_key[1] and old_key != (self.person_id, self.date):
            old = Timesheet.objects.filter(person_id=old_key[0], week_start=week_start(old_key[1])).first()
            if old is not None and old.is_locked:
                raise ValidationError({"date": _("The entry's old week is locked.")})
        self._check_day_total()
        if self.project_id:
            profile = self._profile()
            if profile is not None and profile.hourly_rate and profile.currency != self.project.currency:
                raise ValidationError({"project": _("%(person)s's rate is in %(rate)s but the project counts in "
                                                    "%(project)s.") % {"person": self.person, "rate": profile.currency,
                                                                       "project": self.project.currency}})  # fmt: skip

    def _check_day_total(self) -> None:
        """A person's hours on one day, project and incident time together, never pass 24."""
        from steward.itsm.models import TimeEntry as IncidentTime

        logged = (
            TimeEntry.objects.filter(person_id=self.person_id, date=self.date)
            .exclude(pk=self.pk)
            .aggregate(total=Sum("hours"))["total"]
            or 0
        )
        minutes = (
            IncidentTime.objects.filter(person_id=self.person_id, date=self.date).aggregate(
                total=Sum("minutes")
            )["total"]
            or 0
        )
        total = Decimal(logged) + Decimal(minutes) / 60 + (self.hours or 0)
        if total > HOURS_PER_DAY:
            raise ValidationError(
                {
                    "hours": _("%(person)s would have %(total)s hours on %(date)s; a day holds at most 24.")
                    % {
                        "person": self.person,
                        "total": total.quantize(Decimal("0.01")),
                        "date": self.date.isoformat(),
                    }
                }
            )

    def save(self, *args: object, **kwargs: object) -> None:
        if self._state.adding:
            profile = self._profile()
            self.rate = profile.hourly_rate if profile is not None else Decimal(0)
        self.cost = (self.rate * Decimal(self.hours)).quantize(Decimal("0.01"))
        sheet, _created = Timesheet.objects.get_or_create(
            person_id=self.person_id, week_start=week_start(self.date)
        )
        self.timesheet = sheet
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "rate", "cost", "timesheet"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]
