"""Stage gates: checkpoints a project must pass (approved by named people) before it moves on."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel, WorkflowMixin
from steward.projects.choices import STATUS_ORDER, Methodology, ProjectStatus
from steward.utilities.choices import ChoiceField


class GateTemplate(StewardModel):
    """A methodology's set of gates as data: each stage names the project status it opens and its checklist.

    ``stages`` is a list of ``{"name": ..., "opens": <project status>, "criteria": [text, ...]}``.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    methodology = ChoiceField(_("methodology"), choices_class=Methodology, default=Methodology.WATERFALL)
    description = models.TextField(_("description"), blank=True)
    stages = models.JSONField(_("stages"), default=list, blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("methodology", "name")
        verbose_name = _("gate template")
        verbose_name_plural = _("gate templates")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if not isinstance(self.stages, list):
            raise ValidationError({"stages": _("Stages are a list of {name, opens, criteria}.")})
        names = set()
        for n, stage in enumerate(self.stages, start=1):
            if not isinstance(stage, dict) or not str(stage.get("name") or "").strip():
                raise ValidationError({"stages": _("Stage %(n)d needs a name.") % {"n": n}})
            if stage.get("opens") not in STATUS_ORDER[1:]:
                raise ValidationError(
                    {"stages": _("Stage %(n)d opens an unknown project status %(status)r (one of %(allowed)s).")
                     % {"n": n, "status": stage.get("opens"), "allowed": ", ".join(STATUS_ORDER[1:])}}
                )  # fmt: skip
            criteria = stage.get("criteria", [])
            if not isinstance(criteria, list) or not all(isinstance(c, str) and c.strip() for c in criteria):
                raise ValidationError({"stages": _("Stage %(n)d: criteria are a list of texts.") % {"n": n}})
            if stage["name"] in names:
                raise ValidationError({"stages": _("Stage %(n)d repeats the name %(name)r.") % {"n": n,
                                                                                               "name": stage["name"]}})  # fmt: skip
            names.add(stage["name"])


class StageGate(WorkflowMixin, StewardModel):
    """A checkpoint of one project (open → submitted → approved or rejected).

    Until it is approved the project cannot enter the status ``opens`` (or any later one).
    Every approver must approve; one rejection sends it back.
    """

    workflow = "projects.stagegate"

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="gates", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    opens = ChoiceField(
        _("opens status"), choices_class=ProjectStatus, default=ProjectStatus.EXECUTING,
        help_text=_("The project may enter this status (and later ones) only once the gate is approved."),
    )  # fmt: skip
    approvers = models.ManyToManyField(
        "org.Person", blank=True, related_name="project_gates", verbose_name=_("approvers")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("project", "order", "id")
        verbose_name = _("stage gate")
        verbose_name_plural = _("stage gates")
        constraints = [models.UniqueConstraint(fields=("project", "name"), name="projects_gate_name_unique")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.opens not in STATUS_ORDER[1:]:
            raise ValidationError(
                {"opens": _("A gate opens one of: %(allowed)s.") % {"allowed": ", ".join(STATUS_ORDER[1:])}}
            )


class GateCriterion(StewardModel):
    """One checklist item of a gate; a gate is submitted for approval only when all are met."""

    gate = models.ForeignKey(
        StageGate, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("gate")
    )
    text = models.CharField(_("criterion"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    met = models.BooleanField(_("met"), default=False)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True, help_text=_("A link or a note."))

    class Meta:
        ordering = ("gate", "order", "id")
        verbose_name = _("gate criterion")
        verbose_name_plural = _("gate criteria")

    def __str__(self) -> str:
        return self.text


def gate_refusal(project: Any) -> str | None:
    """Why ``project`` may not take its (changed) status: the first unapproved gate in the way, or None.

    Only a change of status is checked, and only towards the ordered statuses (on hold and
    cancelled are always allowed), so editing other fields of a running project never fails.
    """
    if project.status not in STATUS_ORDER or project.pk is None:
        return None
    old = type(project).objects.filter(pk=project.pk).values_list("status", flat=True).first()
    if old == project.status:
        return None
    reached = STATUS_ORDER[: STATUS_ORDER.index(project.status) + 1]
    blocking = (
        StageGate.objects.filter(project=project, opens__in=reached)
        .exclude(state="approved")
        .order_by("order", "pk")
    ).first()
    if blocking is None:
        return None
    return str(
        _("The gate '%(gate)s' is not approved yet, so the project cannot become %(status)s.")
        % {"gate": blocking.name, "status": ProjectStatus(project.status).label}
    )
