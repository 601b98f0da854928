"""Event rules, webhooks and the webhook delivery log."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models.base import StewardModel


class HttpMethod(models.TextChoices):
    POST = "POST", "POST"
    PUT = "PUT", "PUT"
    PATCH = "PATCH", "PATCH"
    DELETE = "DELETE", "DELETE"


#: Headers Steward sets itself; a webhook's own headers may not replace them.
RESERVED_HEADERS = {
    "content-type",
    "content-length",
    "host",
    "x-steward-signature",
    "x-steward-timestamp",
    "x-steward-event",
    "x-steward-delivery",
}


class Webhook(StewardModel):
    """An HTTP endpoint that receives signed event payloads chosen by event rules."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    payload_url = models.CharField(
        _("payload URL"), max_length=500, help_text=_("An http:// or https:// address.")
    )
    http_method = models.CharField(
        _("HTTP method"), max_length=6, choices=HttpMethod.choices, default=HttpMethod.POST
    )
    secret = models.CharField(
        _("secret"),
        max_length=255,
        blank=True,
        help_text=_("Signs each body: X-Steward-Signature: sha256=HMAC-SHA256(secret, body)."),
    )
    headers = models.JSONField(
        _("additional headers"),
        default=dict,
        blank=True,
        help_text=_('A JSON object, e.g. {"X-Team": "ops"}'),
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    timeout = models.PositiveSmallIntegerField(
        _("timeout (seconds)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("attempts"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Failed deliveries are retried with exponential backoff up to this many attempts."),
    )
    description = models.CharField(_("description"), max_length=200, blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        try:
            URLValidator(schemes=["http", "https"])(self.payload_url)
        except ValidationError:
            raise ValidationError({"payload_url": _("Enter an http:// or https:// URL.")}) from None
        if not isinstance(self.headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items()
        ):
            raise ValidationError({"headers": _("Enter a JSON object of header names to text values.")})
        reserved = sorted(k for k in self.headers if k.lower() in RESERVED_HEADERS)
        if reserved:
            raise ValidationError(
                {"headers": _("Steward sets these headers itself: %s.") % ", ".join(reserved)}
            )
        bad = [
            k for k, v in self.headers.items() if not k.strip() or "\n" in k + v or "\r" in k + v or ":" in k
        ]
        if bad:
            raise ValidationError({"headers": _("Invalid header: %s.") % bad[0]})


class DeliveryStatus(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    RETRYING = "retrying", _("Failed, will retry")
    FAILED = "failed", _("Failed, gave up")


class WebhookDelivery(models.Model):
    """One attempt to deliver one event to one webhook (attempts of a delivery share its id)."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    delivery_id = models.UUIDField(_("delivery"), default=uuid.uuid4, db_index=True)
    event = models.CharField(_("event"), max_length=100)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=DeliveryStatus.choices)
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    response_excerpt = models.TextField(_("response"), blank=True)
    error = models.TextField(_("error"), blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), default=0)
    request_body = models.TextField(_("request body"), blank=True)
    created = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created", "-pk")
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook_id} #{self.attempt}: {self.status}"


class RuleAction(models.TextChoices):
    WEBHOOK = "webhook", _("Send a webhook")
    JOB = "job", _("Run a job")
    NOTIFY = "notify", _("Notify people")


class EventRule(StewardModel):
    """When an event of the chosen types about the chosen models meets the condition, act."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    event_types = models.JSONField(
        _("event types"), default=list, help_text=_('A JSON list, e.g. ["org.person.created"]')
    )
    object_types = models.ManyToManyField(
        ContentType,
        blank=True,
        related_name="+",
        verbose_name=_("models"),
        help_text=_("Leave empty to match events about any model."),
    )
    conditions = models.JSONField(
        _("conditions"),
        null=True,
        blank=True,
        help_text=_(
            'e.g. {"field": "data.title", "op": "contains", "value": "Engineer"}; and/or/not combine.'
        ),
    )
    action = models.CharField(
        _("action"), max_length=20, choices=RuleAction.choices, default=RuleAction.WEBHOOK
    )
    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_rules",
        verbose_name=_("webhook"),
    )
    job_name = models.CharField(_("job"), max_length=100, blank=True)
    # --- the notify action: who (any mix of the four) and what (two small templates) ---
    notify_users = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("notify users")
    )
    notify_roles = models.ManyToManyField(
        "auth.Group",
        blank=True,
        related_name="+",
        verbose_name=_("notify roles"),
        help_text=_("Every active member of these roles is notified."),
    )
    notify_followers = models.BooleanField(
        _("notify followers"), default=False, help_text=_("Notify the people following the record.")
    )
    notify_fields = models.CharField(
        _("notify people in fields"),
        max_length=200,
        blank=True,
        help_text=_(
            "Comma-separated fields of the record naming a person or user, e.g. caller, assignee; "
            "a person is notified through their user account."
        ),
    )
    notify_title = models.CharField(
        _("notification title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. “New person {{ object.display }}”; {{ data.<field> }} inserts a value."),
    )
    notify_body = models.TextField(_("notification body"), blank=True)
    description = models.CharField(_("description"), max_length=200, blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("event rule")
        verbose_name_plural = _("event rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from steward.core.conditions import ConditionError, parse
        from steward.core.registry import registry

        super().clean()
        errors: dict[str, str] = {}
        if not isinstance(self.event_types, list) or not self.event_types:
            errors["event_types"] = _("Choose at least one event type.")
        else:
            unknown = [t for t in self.event_types if t not in registry.event_types]
            if unknown:
                errors["event_types"] = _("Unknown event type: %s.") % ", ".join(map(str, unknown))
        try:
            parse(self.conditions)
        except ConditionError as exc:
            errors["conditions"] = _("Invalid condition at %(where)s") % {"where": exc}
        if self.action == RuleAction.WEBHOOK and not self.webhook_id:
            errors["webhook"] = _("Choose the webhook to send.")
        if self.action == RuleAction.JOB:
            if not self.job_name:
                errors["job_name"] = _("Name the job to run.")
            elif self.job_name not in registry.jobs:
                errors["job_name"] = _("Unknown job “%s”.") % self.job_name
        if self.action == RuleAction.NOTIFY:
            errors.update(self._clean_notify())
        if errors:
            raise ValidationError(errors)

    def notify_field_names(self) -> list[str]:
        """``notify_fields`` as field names (a leading ``data.`` is accepted and dropped)."""
        names = [n.strip().removeprefix("data.") for n in (self.notify_fields or "").split(",")]
        return [n for n in names if n]

    def _clean_notify(self) -> dict[str, str]:
        from steward.core.events import template_error

        errors: dict[str, str] = {}
        bad = [n for n in self.notify_field_names() if not n.isidentifier()]
        if bad:
            errors["notify_fields"] = _("“%s” is not a field name.") % bad[0]
        # Many-to-many recipients only exist once the rule is saved; a new rule's form or
        # serializer passes them in ``_pending_recipients`` so the check covers them too.
        pending = getattr(self, "_pending_recipients", None)
        if pending is not None:
            has_listed = bool(pending)
        elif self.pk:
            has_listed = self.notify_users.exists() or self.notify_roles.exists()
        else:
            has_listed = False
        if not (has_listed or self.notify_followers or self.notify_field_names()):
            errors["notify_users"] = _(
                "Choose who to notify: users, roles, the record's followers or a person field."
            )
        if not (self.notify_title or "").strip():
            errors["notify_title"] = _("Enter the notification title.")
        for name in ("notify_title", "notify_body"):
            problem = template_error(getattr(self, name) or "")
            if problem and name not in errors:
                errors[name] = problem
        return errors
