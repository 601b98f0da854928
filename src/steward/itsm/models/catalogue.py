"""The service catalogue and service requests.

A catalogue item is something people can order (a laptop, a mailbox, access to a system). Its
request form is data (``form_fields``), its approval chain is a list of steps and its
fulfilment is a list of task templates. A service request records one submission of an item:
the answers, the approvals it collected and the fulfilment tasks created once approved.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.itsm.choices_catalogue import ApprovalRule, ApprovalStatus, ApproverType
from steward.utilities.choices import ChoiceField


class CatalogueCategory(StewardModel):
    """A shelf of the catalogue ("Hardware", "Access"), shown as a tile in the portal."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    icon = models.CharField(_("icon"), max_length=50, blank=True, help_text=_("A Tabler icon name."))
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("catalogue category")
        verbose_name_plural = _("catalogue categories")

    def __str__(self) -> str:
        return self.name


class CatalogueItem(StewardModel):
    """Something people can request, with its form, approval chain and fulfilment tasks."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.ForeignKey(
        CatalogueCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    short_description = models.CharField(_("short description"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    service = models.ForeignKey(
        "itsm.Service",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalogue_items",
        verbose_name=_("service"),
    )
    service_offering = models.ForeignKey(
        "itsm.ServiceOffering",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="catalogue_items",
        verbose_name=_("service offering"),
    )
    fulfilment_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilled_catalogue_items",
        verbose_name=_("fulfilment team"),
        help_text=_("Gets the tasks whose template names no team."),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active items can be requested.")
    )
    form_fields = models.JSONField(
        _("form fields"),
        default=list,
        blank=True,
        help_text=_(
            'The request form as a list, e.g. [{"name": "reason", "label": "Reason", "type": "text", '
            '"required": true, "regex": "^[A-Z]"}]. Types: text, long_text, choice (with "choices"), date, '
            'number, person, configuration_item, attachment; limits: "min"/"max" (numbers, dates), '
            '"min_length"/"max_length" and "regex" (text).'
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        from steward.itsm.request_forms import FormDefinitionError, parse_definition

        if self.form_fields in (None, ""):
            self.form_fields = []
        try:
            # Stored as written (validated, not rewritten), so an export re-imports unchanged.
            parse_definition(self.form_fields)
        except FormDefinitionError as exc:
            raise ValidationError({"form_fields": str(exc)}) from exc
        if (
            self.service_offering_id
            and self.service_id
            and self.service_offering.service_id != self.service_id
        ):
            raise ValidationError({"service_offering": _("This offering belongs to another service.")})


class ApprovalStep(StewardModel):
    """One step of an item's approval chain.

    Steps run in ``order``; steps sharing the same number run in parallel. Within a step the
    approvers are the requester's manager, the named people or the members of a team, and the
    step passes when all of them (``all``) or any one of them (``any``) approved.
    """

    item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.CASCADE,
        related_name="approval_steps",
        verbose_name=_("catalogue item"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=100)
    approver_type = ChoiceField(_("approvers"), choices_class=ApproverType, default=ApproverType.MANAGER)
    people = models.ManyToManyField(
        "org.Person", blank=True, related_name="approval_steps", verbose_name=_("people")
    )
    team = models.ForeignKey(
        "org.Team",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approval_steps",
        verbose_name=_("team"),
    )
    rule = ChoiceField(_("rule"), choices_class=ApprovalRule, default=ApprovalRule.ALL)

    natural_key_fields = ("item", "name")

    class Meta:
        ordering = ("item", "order", "id")
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [models.UniqueConstraint(fields=("item", "name"), name="itsm_approval_step_unique")]

    def __str__(self) -> str:
        # Own fields only: the change log names the row while a cascade deletes its item.
        return f"{self.order}. {self.name}"

    def clean(self) -> None:
        super().clean()
        if self.approver_type == ApproverType.TEAM and not self.team_id:
            raise ValidationError({"team": _("Choose the team that approves.")})
        if self.approver_type != ApproverType.TEAM and self.team_id:
            raise ValidationError({"team": _("Only a team step names a team.")})


class FulfilmentTaskTemplate(StewardModel):
    """A task created for every approved request of the item, in ``order`` (equal numbers together)."""

    item = models.ForeignKey(
        CatalogueItem,
        on_delete=models.CASCADE,
        related_name="task_templates",
        verbose_name=_("catalogue item"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    short_description = models.CharField(_("short description"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignment_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilment_task_templates",
        verbose_name=_("assignment team"),
    )

    natural_key_fields = ("item", "short_description")

    class Meta:
        ordering = ("item", "order", "id")
        verbose_name = _("fulfilment task template")
        verbose_name_plural = _("fulfilment task templates")
        constraints = [
            models.UniqueConstraint(fields=("item", "short_description"), name="itsm_task_template_unique")
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.short_description}"


class ApprovalDelegation(StewardModel):
    """While ``person`` is absent (``start``–``end``, inclusive), their approvals go to ``delegate``."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="approval_delegations", verbose_name=_("person")
    )
    delegate = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="approval_delegations_received",
        verbose_name=_("delegate"),
    )  # fmt: skip
    start = models.DateField(_("from"))
    end = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    natural_key_fields = ("person", "start")

    class Meta:
        ordering = ("-start", "id")
        verbose_name = _("approval delegation")
        verbose_name_plural = _("approval delegations")
        constraints = [models.UniqueConstraint(fields=("person", "start"), name="itsm_delegation_unique")]

    def __str__(self) -> str:
        # Own fields only (see ApprovalStep); the list shows the person and the delegate.
        return _("Delegation %(start)s – %(end)s") % {"start": self.start, "end": self.end}

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.person_id and self.person_id == self.delegate_id:
            errors["delegate"] = _("Choose someone else than the absent person.")
        if self.start and self.end and self.end < self.start:
            errors["end"] = _("The end is before the start.")
        if errors:
            raise ValidationError(errors)


class ServiceRequest(ReferenceMixin, WorkflowMixin, StewardModel):
    """One submission of a catalogue item: answers, approvals, fulfilment tasks."""

    reference_prefix = "REQ"
    workflow = "itsm.request"

    item = models.ForeignKey(
        CatalogueItem, on_delete=models.PROTECT, related_name="requests", verbose_name=_("catalogue item")
    )
    requester = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        related_name="service_requests",
        verbose_name=_("requested for"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("opened by"),
    )
    short_description = models.CharField(_("short description"), max_length=200, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True, editable=False)
    fulfilled_at = models.DateTimeField(_("fulfilled"), null=True, blank=True, editable=False, db_index=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        indexes = [models.Index(fields=("requester", "state"))]

    def __str__(self) -> str:
        return f"{self.reference} {self.short_description}".strip()

    def clean(self) -> None:
        super().clean()
        if not self.item_id:
            return
        if not self.pk and not self.item.active:
            raise ValidationError({"item": _("%s cannot be requested any more.") % self.item})
        from steward.itsm.request_forms import validate_answers

        self.answers = validate_answers(self.item.form_fields, self.answers)
        if not self.short_description:
            self.short_description = str(self.item)[:200]

    def save(self, *args: Any, **kwargs: Any) -> None:
        from django.utils import timezone

        # Derived from the state on every path (workflow, form, API, import), like incidents do.
        now = timezone.now()
        if not self.short_description and self.item_id:
            self.short_description = str(self.item)[:200]
        after_approval = ("approved", "fulfilling", "fulfilled", "closed")
        self.approved_at = (self.approved_at or now) if self.state in after_approval else None
        done = ("fulfilled", "closed")
        self.fulfilled_at = (self.fulfilled_at or now) if self.state in done else None
        ended = ("closed", "rejected", "cancelled")
        self.closed_at = (self.closed_at or now) if self.state in ended else None
        super().save(*args, **kwargs)


class RequestApproval(models.Model):
    """One approver's part in one step of a request's approval chain (the plan and its outcome)."""

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="approvals", verbose_name=_("request")
    )
    step = models.ForeignKey(
        ApprovalStep,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("step"),
    )
    step_order = models.PositiveSmallIntegerField(_("step order"))
    step_name = models.CharField(_("step"), max_length=100)
    rule = ChoiceField(_("rule"), choices_class=ApprovalRule, default=ApprovalRule.ALL)
    approver = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="request_approvals", verbose_name=_("approver")
    )
    delegated_from = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    status = ChoiceField(
        _("status"), choices_class=ApprovalStatus, default=ApprovalStatus.WAITING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ("request", "step_order", "id")
        verbose_name = _("request approval")
        verbose_name_plural = _("request approvals")

    @property
    def status_colour(self) -> str:
        return ApprovalStatus.colour(self.status)

    def __str__(self) -> str:
        return f"{self.request.reference}: {self.step_name} – {self.approver} ({self.get_status_display()})"


class FulfilmentTask(ReferenceMixin, WorkflowMixin, StewardModel):
    """A piece of work that fulfils an approved request, assigned to a team."""

    reference_prefix = "RTASK"
    workflow = "itsm.fulfilment_task"

    request = models.ForeignKey(
        ServiceRequest, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("request")
    )
    template = models.ForeignKey(
        FulfilmentTaskTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="tasks",
        verbose_name=_("template"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    short_description = models.CharField(_("short description"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    assignment_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilment_tasks",
        verbose_name=_("assignment team"),
    )
    assignee = models.ForeignKey(
        "org.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilment_tasks",
        verbose_name=_("assignee"),
    )
    close_notes = models.TextField(_("close notes"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("request", "order", "id")
        verbose_name = _("fulfilment task")
        verbose_name_plural = _("fulfilment tasks")
        indexes = [models.Index(fields=("assignment_team", "state"))]

    def __str__(self) -> str:
        return f"{self.reference} {self.short_description}" if self.reference else self.short_description

    def clean(self) -> None:
        super().clean()
        if self.assignee_id and self.assignment_team_id:
            if not self.assignment_team.members.filter(pk=self.assignee_id).exists():
                raise ValidationError(
                    {"assignee": _("%(person)s is not a member of %(team)s.")
                     % {"person": self.assignee, "team": self.assignment_team}}
                )  # fmt: skip

    def save(self, *args: Any, **kwargs: Any) -> None:
        from django.utils import timezone

        if self.state in ("done", "cancelled"):
            self.completed_at = self.completed_at or timezone.now()
        elif self.state:
            self.completed_at = None
        super().save(*args, **kwargs)
