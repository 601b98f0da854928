"""Access reviews: who holds which role on which system, and periodic campaigns re-certifying it."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.security.choices import AccessDecisionChoice, ReviewerRule
from steward.utilities.choices import ChoiceField


class Entitlement(StewardModel):
    """A person holds a role on a system (a business application or any configuration item)."""

    person = models.ForeignKey(
        "org.Person", on_delete=models.CASCADE, related_name="entitlements", verbose_name=_("person")
    )
    system = models.ForeignKey(
        "cmdb.ConfigurationItem",
        on_delete=models.CASCADE,
        related_name="entitlements",
        verbose_name=_("system"),
    )
    role = models.CharField(_("role"), max_length=100)
    granted_at = models.DateField(_("granted"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True, db_index=True)

    class Meta:
        ordering = ("system", "person", "role", "id")
        verbose_name = _("entitlement")
        verbose_name_plural = _("entitlements")
        constraints = [
            models.UniqueConstraint(fields=("person", "system", "role"), name="security_entitlement_unique")
        ]

    def __str__(self) -> str:
        if not (self.person_id and self.system_id):
            return self.role
        return f"{self.person} · {self.system} · {self.role}"

    def clean(self) -> None:
        super().clean()
        self.role = (self.role or "").strip()
        if not self.role:
            raise ValidationError({"role": _("Name the role.")})


class AccessReview(ReferenceMixin, WorkflowMixin, StewardModel):
    """A campaign re-certifying the entitlements on some systems by a due date."""

    reference_prefix = "AR"
    workflow = "security.access_review"

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    systems = models.ManyToManyField(
        "cmdb.ConfigurationItem", related_name="access_reviews", verbose_name=_("systems in scope")
    )
    reviewer_rule = ChoiceField(_("reviewers"), choices_class=ReviewerRule, default=ReviewerRule.MANAGER)
    fallback_reviewer = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("fallback reviewer"), help_text=_("Reviews entitlements whose manager or owner is unknown."),
    )  # fmt: skip
    due_date = models.DateField(_("due date"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ("-due_date", "-id")
        verbose_name = _("access review")
        verbose_name_plural = _("access reviews")

    def __str__(self) -> str:
        return f"{self.reference} {self.name}".strip()


class AccessDecision(StewardModel):
    """A reviewer's decision on one entitlement in one review; revoke and modify open a task."""

    review = models.ForeignKey(AccessReview, on_delete=models.CASCADE, related_name="decisions",
                               verbose_name=_("review"))  # fmt: skip
    entitlement = models.ForeignKey(
        Entitlement, on_delete=models.SET_NULL, null=True, blank=True, related_name="decisions",
        verbose_name=_("entitlement"),
    )  # fmt: skip
    # Copied from the entitlement, so the report still reads after access is removed.
    person = models.ForeignKey(
        "org.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    system = models.ForeignKey(
        "cmdb.ConfigurationItem", on_delete=models.PROTECT, related_name="+", verbose_name=_("system")
    )
    role = models.CharField(_("role"), max_length=100)
    reviewer = models.ForeignKey(
        "org.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="access_decisions",
        verbose_name=_("reviewer"),
    )  # fmt: skip
    decision = ChoiceField(
        _("decision"), choices_class=AccessDecisionChoice, default=AccessDecisionChoice.PENDING
    )
    new_role = models.CharField(_("new role"), max_length=100, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    fulfilment_incident = models.ForeignKey(
        "itsm.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="access_decisions",
        verbose_name=_("fulfilment ticket"), editable=False,
    )  # fmt: skip

    class Meta:
        ordering = ("review", "system", "person", "id")
        verbose_name = _("access decision")
        verbose_name_plural = _("access decisions")
        constraints = [
            models.UniqueConstraint(
                fields=("review", "person", "system", "role"), name="security_decision_unique"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_decision_display()}: {self.person} · {self.system} · {self.role}"
            if self.person_id
            else ""
        )

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.decision == AccessDecisionChoice.MODIFY and not (self.new_role or "").strip():
            errors["new_role"] = _("Name the role the person should have instead.")
        if (
            self.decision in (AccessDecisionChoice.REVOKE, AccessDecisionChoice.MODIFY)
            and not (self.comment or "").strip()
        ):
            errors["comment"] = _("Say why.")
        if (
            self.review_id
            and self.decision != AccessDecisionChoice.PENDING
            and self.review.state != "in_review"
        ):
            errors["decision"] = _("Decisions are taken while the review is in progress.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args: Any, **kwargs: Any) -> None:
        from steward.core.context import current_actor

        decided = self.decision != AccessDecisionChoice.PENDING
        self.decided_at = (self.decided_at or timezone.now()) if decided else None
        actor = current_actor()
        if decided and self.decided_by_id is None and getattr(actor, "is_authenticated", False):
            self.decided_by = actor
        with transaction.atomic():
            super().save(*args, **kwargs)
            # Every path (form, API, import, service) opens the fulfilment ticket of a revocation.
            if self.decision in (AccessDecisionChoice.REVOKE, AccessDecisionChoice.MODIFY):
                from steward.security.services import open_fulfilment

                open_fulfilment(decision=self)
