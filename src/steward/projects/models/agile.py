"""Agile delivery: sprints, product backlog items and the work-in-progress limits of the board."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel, WorkflowMixin
from steward.projects.choices import STORY_POINTS, ItemKind, ItemStatus
from steward.utilities.choices import ChoiceField


def validate_story_points(value: int | None) -> None:
    """Story points come from the planning scale only, so velocities stay comparable."""
    if value is not None and value not in STORY_POINTS:
        raise ValidationError(
            _("%(value)s is not on the story-point scale (%(scale)s)."),
            params={"value": value, "scale": ", ".join(str(p) for p in STORY_POINTS)},
            code="story_points",
        )


class Sprint(WorkflowMixin, StewardModel):
    """A time-box of a project (planned → active → closed on the workflow engine).

    Starting a sprint freezes its committed points; closing it freezes the completed points and
    the burndown series, and moves its unfinished items to ``carry_over_to`` or the backlog.
    """

    workflow = "projects.sprint"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="sprints", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    goal = models.TextField(_("goal"), blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    carry_over_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="carried_from",
        verbose_name=_("carry unfinished items to"),
        help_text=_("On closing: the sprint unfinished items move to; empty returns them to the backlog."),
    )  # fmt: skip
    committed_points = models.PositiveIntegerField(
        _("committed points"), null=True, blank=True, editable=False
    )
    completed_points = models.PositiveIntegerField(
        _("completed points"), null=True, blank=True, editable=False
    )
    burndown = models.JSONField(_("burndown"), default=list, blank=True, editable=False)

    class Meta:
        ordering = ("project", "start_date", "id")
        verbose_name = _("sprint")
        verbose_name_plural = _("sprints")
        constraints = [
            models.UniqueConstraint(fields=("project", "name"), name="projects_sprint_name_unique"),
            models.UniqueConstraint(
                fields=("project",), condition=models.Q(state="active"), name="projects_sprint_one_active"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("A sprint cannot end before it starts.")})
        target = self.carry_over_to
        if target is not None:
            if self.pk and target.pk == self.pk:
                raise ValidationError({"carry_over_to": _("A sprint cannot carry items over to itself.")})
            if target.project_id != self.project_id:
                raise ValidationError({"carry_over_to": _("That sprint belongs to another project.")})
            if target.state == "closed":
                raise ValidationError({"carry_over_to": _("That sprint is already closed.")})


class BacklogItem(ReferenceMixin, WorkflowMixin, StewardModel):
    """A product backlog item (story, bug, spike or chore); its state is its board column.

    ``rank`` orders the backlog (lower is more important); ``epic`` is a summary task of the
    project's work-breakdown structure, so agile and planned work roll up to the same tree.
    """

    reference_prefix = "PBI"
    reference_digits = 5
    workflow = "projects.backlogitem"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="backlog_items", verbose_name=_("project")
    )
    sprint = models.ForeignKey(
        Sprint,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("sprint"),
    )
    epic = models.ForeignKey(
        "projects.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="backlog_items",
        verbose_name=_("epic"), help_text=_("A summary task of the project's work-breakdown structure."),
    )  # fmt: skip
    kind = ChoiceField(_("kind"), choices_class=ItemKind, default=ItemKind.STORY)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    story_points = models.PositiveSmallIntegerField(
        _("story points"), null=True, blank=True, validators=[validate_story_points],
        help_text=_("On the planning scale 0, 1, 2, 3, 5, 8, 13, 20, 40, 100."),
    )  # fmt: skip
    rank = models.PositiveIntegerField(_("rank"), default=0, help_text=_("Backlog order; lower comes first."))
    assignee = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="backlog_items",
        verbose_name=_("assignee"),
    )  # fmt: skip

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("project", "rank", "id")
        verbose_name = _("backlog item")
        verbose_name_plural = _("backlog items")
        indexes = [models.Index(fields=("project", "state"), name="projects_item_state")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def clean(self) -> None:
        super().clean()
        if self.sprint_id and self.sprint and self.sprint.project_id != self.project_id:
            raise ValidationError({"sprint": _("That sprint belongs to another project.")})
        if self.sprint_id and self.sprint and self.sprint.state == "closed":
            old = type(self).objects.filter(pk=self.pk).values_list("sprint_id", flat=True).first()
            if old != self.sprint_id:
                raise ValidationError({"sprint": _("That sprint is closed.")})
        if self.epic_id and self.epic and self.epic.project_id != self.project_id:
            raise ValidationError({"epic": _("That epic belongs to another project.")})


class WipLimit(StewardModel):
    """The most items a board column of a project may hold at once (a hard limit: moves beyond it are refused)."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="wip_limits", verbose_name=_("project")
    )
    status = ChoiceField(_("column"), choices_class=ItemStatus)
    limit = models.PositiveSmallIntegerField(_("limit"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ("project", "status", "id")
        verbose_name = _("WIP limit")
        verbose_name_plural = _("WIP limits")
        constraints = [
            models.UniqueConstraint(fields=("project", "status"), name="projects_wiplimit_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ≤ {self.limit}"

    def clean(self) -> None:
        super().clean()
        if self.status in (ItemStatus.BACKLOG, ItemStatus.DONE):
            raise ValidationError(
                {"status": _("Only working columns (ready, in progress, review) take a limit.")}
            )
