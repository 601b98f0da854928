"""Tasks in a work-breakdown structure and the dependencies the critical path is computed from."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.projects.choices import DependencyType
from steward.utilities.choices import ChoiceField


class Task(StewardModel):
    """A piece of work (or a milestone, duration 0) with its schedule facts.

    ``early_*``/``late_*`` are day offsets from the project start written by the scheduler;
    ``slack`` is late minus early start and ``is_critical`` marks zero slack.
    """

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="tasks",
                                verbose_name=_("project"))  # fmt: skip
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("parent task"))  # fmt: skip
    wbs = models.CharField(_("WBS code"), max_length=30, blank=True, help_text=_("e.g. 1.2.3"))
    name = models.CharField(_("name"), max_length=200)
    duration = models.PositiveIntegerField(
        _("duration (days)"), default=1, help_text=_("0 makes a milestone.")
    )
    assignee = models.ForeignKey("org.Person", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="project_tasks", verbose_name=_("assignee"))  # fmt: skip
    allocation = models.PositiveSmallIntegerField(
        _("allocation %"), default=100, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    estimate_hours = models.DecimalField(_("estimate (hours)"), max_digits=8, decimal_places=1, default=Decimal(0),
                                         validators=[MinValueValidator(0)])  # fmt: skip
    budget = models.DecimalField(_("budget"), max_digits=14, decimal_places=2, default=Decimal(0),
                                 validators=[MinValueValidator(0)], help_text=_("Planned cost (BAC share)."))  # fmt: skip
    actual_cost = models.DecimalField(_("actual cost"), max_digits=14, decimal_places=2, default=Decimal(0),
                                      validators=[MinValueValidator(0)])  # fmt: skip
    percent_complete = models.PositiveSmallIntegerField(
        _("% complete"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    start_date = models.DateField(_("start"), null=True, blank=True, editable=False)
    finish_date = models.DateField(_("finish"), null=True, blank=True, editable=False)
    early_start = models.IntegerField(_("early start"), null=True, blank=True, editable=False)
    early_finish = models.IntegerField(_("early finish"), null=True, blank=True, editable=False)
    late_start = models.IntegerField(_("late start"), null=True, blank=True, editable=False)
    late_finish = models.IntegerField(_("late finish"), null=True, blank=True, editable=False)
    slack = models.IntegerField(_("slack (days)"), null=True, blank=True, editable=False)
    is_critical = models.BooleanField(_("critical"), default=False, editable=False)

    class Meta:
        ordering = ("project", "wbs", "id")
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [models.Index(fields=("project", "is_critical"), name="projects_task_critical")]

    def __str__(self) -> str:
        return f"{self.wbs} {self.name}".strip()

    @property
    def is_milestone(self) -> bool:
        return self.duration == 0

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.parent and self.parent.project_id != self.project_id:
            raise ValidationError({"parent": _("The parent task belongs to another project.")})
        ancestor, seen = self.parent, {self.pk}
        while ancestor is not None:
            if ancestor.pk in seen:
                raise ValidationError({"parent": _("A task cannot be a part of itself.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class TaskDependency(StewardModel):
    """The successor waits on the predecessor: finish-to-start by default, with a lag in days."""

    predecessor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="successor_links",
                                    verbose_name=_("predecessor"))  # fmt: skip
    successor = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="predecessor_links",
                                  verbose_name=_("successor"))  # fmt: skip
    type = ChoiceField(_("type"), choices_class=DependencyType, default=DependencyType.FS)
    lag = models.IntegerField(
        _("lag (days)"), default=0, validators=[MinValueValidator(-365), MaxValueValidator(365)]
    )

    class Meta:
        ordering = ("successor", "predecessor", "id")
        verbose_name = _("task dependency")
        verbose_name_plural = _("task dependencies")
        constraints = [
            models.UniqueConstraint(fields=("predecessor", "successor"), name="projects_dependency_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.get_type_display()})"

    def clean(self) -> None:
        super().clean()
        if not (self.predecessor_id and self.successor_id):
            return
        if self.predecessor_id == self.successor_id:
            raise ValidationError({"successor": _("A task cannot depend on itself.")})
        if self.predecessor.project_id != self.successor.project_id:
            raise ValidationError({"successor": _("Both tasks must belong to the same project.")})
        from steward.projects.scheduling import find_cycle

        edges = list(
            TaskDependency.objects.filter(successor__project_id=self.successor.project_id)
            .exclude(pk=self.pk)
            .values_list("predecessor_id", "successor_id")
        )
        cycle = find_cycle([*edges, (self.predecessor_id, self.successor_id)])
        if cycle:
            names = dict(Task.objects.filter(pk__in=cycle).values_list("pk", "name"))
            path = " → ".join(names.get(pk, str(pk)) for pk in [*cycle, cycle[0]])
            raise ValidationError(
                {"successor": _("This dependency would make a cycle: %(path)s.") % {"path": path}}
            )
