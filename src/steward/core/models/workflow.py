"""Workflow state on records, its history, pending approvals and admin overrides of definitions."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models.base import StewardModel


class WorkflowMixin(models.Model):
    """Opt a model into the workflow engine: a ``state`` field and the name of its definition.

    ``workflow`` names a definition registered in ``registry.workflows``; the state starts at
    the definition's initial state and only ``steward.core.workflow.transition`` moves it.
    """

    state = models.CharField(_("state"), max_length=50, db_index=True, blank=True, editable=False)

    workflow: ClassVar[str] = ""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.state:
            from steward.core.workflow import get_workflow

            self.state = get_workflow(type(self)).initial
        super().save(*args, **kwargs)

    @property
    def workflow_state(self) -> Any:
        from steward.core.workflow import get_workflow

        return get_workflow(type(self)).state(self.state)


class WorkflowDefinition(StewardModel):
    """An administrator's replacement for the code-declared workflow of one model.

    ``definition`` holds the same structure as the code form (states, initial, terminal,
    transitions); it is validated exactly like it before it is saved.
    """

    object_type = models.OneToOneField(
        ContentType, on_delete=models.CASCADE, related_name="workflow_definition", verbose_name=_("model")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    definition = models.JSONField(_("definition"), default=dict, encoder=DjangoJSONEncoder)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ("object_type__app_label", "object_type__model")
        verbose_name = _("workflow definition")
        verbose_name_plural = _("workflow definitions")

    def __str__(self) -> str:
        return f"Workflow of {self.object_type}"

    def clean(self) -> None:
        super().clean()
        from steward.core.workflow import WorkflowDefinitionError, build_definition

        model = self.object_type.model_class() if self.object_type_id else None
        if model is None or not issubclass(model, WorkflowMixin):
            raise ValidationError({"object_type": _("This model has no workflow.")})
        try:
            build_definition(self.definition, name=model._meta.label_lower)
        except WorkflowDefinitionError as exc:
            raise ValidationError({"definition": str(exc)}) from exc


class WorkflowHistory(models.Model):
    """One completed transition of one record: from, to, by whom, when and why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=50)
    from_state = models.CharField(_("from"), max_length=50)
    to_state = models.CharField(_("to"), max_length=50)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    time = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ("-time", "-id")
        verbose_name = _("workflow history entry")
        verbose_name_plural = _("workflow history")
        indexes = [models.Index(fields=("content_type", "object_id"))]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state} → {self.to_state}"


class WorkflowApproval(models.Model):
    """A vote for a transition that needs N approvals; consumed when the transition completes."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.BigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")
    transition = models.CharField(_("transition"), max_length=50)
    from_state = models.CharField(_("from"), max_length=50)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    history = models.ForeignKey(
        WorkflowHistory,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="approvals",
        help_text=_("The completed transition this approval counted towards; empty while pending."),
    )

    class Meta:
        ordering = ("created", "id")
        verbose_name = _("workflow approval")
        verbose_name_plural = _("workflow approvals")
        indexes = [models.Index(fields=("content_type", "object_id", "transition"))]

    def __str__(self) -> str:
        return f"{self.approver} approves {self.transition}"
