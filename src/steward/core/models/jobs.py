"""Schedules of periodic jobs and the record of every job run."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models.base import StewardModel

MIN_INTERVAL = datetime.timedelta(seconds=10)


class JobSchedule(StewardModel):
    """When a job declared in code runs: every ``interval`` or on a ``cron`` expression.

    ``next_run`` is the claim token: the scheduler moves it forward with one conditional
    UPDATE, so a due run is enqueued once however many workers look at the same row.
    """

    job_name = models.CharField(_("job"), max_length=100, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    interval = models.DurationField(
        _("interval"), null=True, blank=True, help_text=_("e.g. 00:05:00 for every five minutes.")
    )
    cron = models.CharField(
        _("cron"),
        max_length=100,
        blank=True,
        help_text=_("Five fields, e.g. “*/15 * * * *”; server time zone."),
    )
    next_run = models.DateTimeField(_("next run"), null=True, blank=True, editable=False)
    last_run = models.DateTimeField(_("last run"), null=True, blank=True, editable=False)
    description = models.CharField(_("description"), max_length=200, blank=True)

    natural_key_fields = ("job_name",)

    class Meta:
        ordering = ("job_name",)
        verbose_name = _("job schedule")
        verbose_name_plural = _("job schedules")

    def __str__(self) -> str:
        return self.job_name

    @property
    def recent_runs(self) -> models.QuerySet:
        return JobRun.objects.filter(job_name=self.job_name)[:50]

    def save(self, *args: object, **kwargs: object) -> None:
        # A changed timing starts afresh at its next period (the scheduler fills next_run in).
        if self.pk is not None:
            before = JobSchedule.objects.filter(pk=self.pk).values("interval", "cron", "enabled").first()
            if before != {"interval": self.interval, "cron": self.cron, "enabled": self.enabled}:
                self.next_run = None
        super().save(*args, **kwargs)

    def clean(self) -> None:
        from steward.core.jobs import cron_error
        from steward.core.registry import registry

        super().clean()
        errors: dict[str, str] = {}
        if self.job_name and self.job_name not in registry.jobs:
            errors["job_name"] = _("Unknown job “%s”.") % self.job_name
        if self.interval is not None and self.cron:
            errors["cron"] = _("Give an interval or a cron expression, not both.")
        elif self.interval is None and not self.cron:
            errors["interval"] = _("Give an interval or a cron expression.")
        elif self.interval is not None and self.interval < MIN_INTERVAL:
            errors["interval"] = _("The interval must be at least %s seconds.") % int(
                MIN_INTERVAL.total_seconds()
            )
        elif self.cron:
            problem = cron_error(self.cron)
            if problem:
                errors["cron"] = problem
        if errors:
            raise ValidationError(errors)


class JobRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed")


class JobRun(models.Model):
    """One execution of one job, with its log."""

    job_name = models.CharField(_("job"), max_length=100, db_index=True)
    schedule = models.ForeignKey(
        JobSchedule, on_delete=models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    trigger = models.CharField(_("trigger"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobRunStatus.choices)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    started = models.DateTimeField(_("started"), db_index=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    log = models.TextField(_("log"), blank=True)
    error = models.TextField(_("error"), blank=True)
    # What a reaper needs to retry a run whose worker died: the worker that ran it (its
    # ``JobWorker.name``; blank when run inline), the task-queue result and the payload.
    worker = models.CharField(_("worker"), max_length=100, blank=True, db_index=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    payload = models.JSONField(_("payload"), null=True, blank=True)

    class Meta:
        ordering = ("-started", "-pk")
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.job_name} @ {self.started:%Y-%m-%d %H:%M:%S}: {self.status}"


class JobWorker(models.Model):
    """A live ``steward worker`` process, known by the heartbeat it writes every few seconds.

    A worker whose heartbeat is older than the lease (``STEWARD_JOB_LEASE_SECONDS``) is taken
    for dead (killed, crashed, its machine gone): the scheduler's reaper fails or retries the
    runs it left behind and puts its claimed queue tasks back, so no job is lost silently.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    host = models.CharField(_("host"), max_length=100)
    pid = models.PositiveIntegerField(_("process id"))
    started = models.DateTimeField(_("started"))
    heartbeat = models.DateTimeField(_("last heartbeat"), db_index=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("job worker")
        verbose_name_plural = _("job workers")

    def __str__(self) -> str:
        return self.name
