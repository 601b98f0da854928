"""Email on tickets: every message received or sent, and the mailbox the desk polls."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.itsm.choices import MailDirection, MailIntakeAction, MailStatus, UnknownSender
from steward.utilities.choices import ChoiceField


class MailMessage(StewardModel):
    """One email received by the desk or sent by it, threaded onto its incident.

    ``message_id`` is the RFC 5322 Message-ID without angle brackets; a reply's In-Reply-To
    or References is matched against it. Received messages are stored once per Message-ID.
    """

    incident = models.ForeignKey(
        "itsm.Incident",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="mail_messages",
        verbose_name=_("incident"),
    )
    direction = ChoiceField(_("direction"), choices_class=MailDirection, default=MailDirection.INBOUND)
    status = ChoiceField(_("status"), choices_class=MailStatus, default=MailStatus.PROCESSED)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=250, db_index=True)
    in_reply_to = models.CharField(_("In-Reply-To"), max_length=250, blank=True)
    references = models.TextField(_("References"), blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    to_addresses = models.TextField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=250, blank=True)
    body_text = models.TextField(_("text"), blank=True)
    sent_at = models.DateTimeField(_("date"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    service_request = models.ForeignKey(
        "itsm.ServiceRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="mail_messages",
        verbose_name=_("request"),
    )  # fmt: skip
    rule = models.ForeignKey(
        "itsm.MailIntakeRule", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
        verbose_name=_("intake rule"),
    )  # fmt: skip
    mailbox = models.ForeignKey(
        "itsm.MailboxSettings", on_delete=models.SET_NULL, null=True, blank=True, related_name="messages",
        verbose_name=_("mailbox"), help_text=_("Received through it; replies to its thread are sent from it."),
    )  # fmt: skip

    natural_key_fields = ("direction", "message_id")

    class Meta:
        ordering = ("-created", "-id")
        verbose_name = _("mail message")
        verbose_name_plural = _("mail messages")
        constraints = [
            models.UniqueConstraint(fields=("direction", "message_id"), name="itsm_mail_message_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.subject}"


class MailboxSettings(StewardModel):
    """The IMAP mailbox the desk polls (one row; ``STEWARD_MAIL_*`` settings fill any gap).

    The password is never stored here: it comes from ``STEWARD_MAIL_PASSWORD`` (or the
    environment variable named in ``password_env``), so it stays out of backups and exports.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    host = models.CharField(_("IMAP host"), max_length=200, blank=True)
    port = models.PositiveIntegerField(_("IMAP port"), null=True, blank=True)
    use_ssl = models.BooleanField(_("use TLS"), default=True)
    username = models.CharField(_("username"), max_length=200, blank=True)
    password_env = models.CharField(
        _("password variable"),
        max_length=100,
        blank=True,
        help_text=_("Name of the environment variable holding the password (default STEWARD_MAIL_PASSWORD)."),
    )
    folder = models.CharField(_("folder"), max_length=200, default="INBOX")
    address = models.EmailField(
        _("desk address"), blank=True, help_text=_("The address callers write to; replies come from it.")
    )
    unknown_senders = ChoiceField(
        _("unknown senders"), choices_class=UnknownSender, default=UnknownSender.CREATE_PERSON
    )
    default_team = models.ForeignKey(
        "org.Team",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default team"),
        help_text=_("For new incidents no assignment rule routes."),
    )

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("name",)
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.password_env and not self.password_env.replace("_", "").isalnum():
            raise ValidationError({"password_env": _("Letters, digits and underscores only.")})


class MailIntakeRule(StewardModel):
    """Decides what a new message (not a reply) becomes: an incident, a catalogue request, or nothing.

    Conditions left empty match anything, but a rule names at least one. The enabled rule with
    the lowest ``order`` whose conditions all match wins; with none, the message opens an
    incident as before. A request rule's catalogue item must be fillable from a mail: its
    body goes into ``body_field`` (by default the form's first text field), and the item may
    have no other required field — such a rule is refused when it is saved.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    order = models.PositiveIntegerField(_("order"), default=100, help_text=_("Lower runs first."))
    mailbox = models.ForeignKey(
        "itsm.MailboxSettings", on_delete=models.PROTECT, null=True, blank=True, related_name="intake_rules",
        verbose_name=_("mailbox"), help_text=_("Only mail read from this mailbox (empty: any mailbox)."),
    )  # fmt: skip
    recipient = models.CharField(
        _("recipient"), max_length=254, blank=True,
        help_text=_("Matches when this address is among To, Cc or Delivered-To (any case)."),
    )  # fmt: skip
    sender_domain = models.CharField(
        _("sender domain"), max_length=200, blank=True,
        help_text=_("Matches the sender's domain or a subdomain of it, e.g. example.org."),
    )  # fmt: skip
    subject_regex = models.CharField(
        _("subject pattern"), max_length=300, blank=True,
        help_text=_("A regular expression searched in the subject (case-insensitive)."),
    )  # fmt: skip
    keywords = models.CharField(
        _("subject keywords"), max_length=300, blank=True,
        help_text=_("Comma-separated; matches when the subject contains any of them (any case)."),
    )  # fmt: skip
    action = ChoiceField(_("action"), choices_class=MailIntakeAction, default=MailIntakeAction.INCIDENT)
    category = models.CharField(_("category"), max_length=100, blank=True, help_text=_("For incidents."))
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("team"), help_text=_("For incidents: the assignment team (else the assignment rules decide)."),
    )  # fmt: skip
    catalogue_item = models.ForeignKey(
        "itsm.CatalogueItem", on_delete=models.PROTECT, null=True, blank=True, related_name="mail_rules",
        verbose_name=_("catalogue item"), help_text=_("For requests."),
    )  # fmt: skip
    body_field = models.CharField(
        _("body field"), max_length=100, blank=True,
        help_text=_("For requests: the form field that receives the mail's text (default: the first text field)."),
    )  # fmt: skip
    description = models.TextField(_("description"), blank=True)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("mail intake rule")
        verbose_name_plural = _("mail intake rules")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        self.recipient = self.recipient.strip().lower()
        self.sender_domain = self.sender_domain.strip().lower().lstrip("@")
        self.keywords = ", ".join(k.strip() for k in self.keywords.split(",") if k.strip())
        if self.subject_regex:
            try:
                re.compile(self.subject_regex)
            except re.error as exc:
                errors["subject_regex"] = _("Not a valid regular expression: %s.") % exc
        if not (
            self.mailbox_id or self.recipient or self.sender_domain or self.subject_regex or self.keywords
        ):
            errors["recipient"] = _(
                "Give at least one condition: mailbox, recipient, sender domain, subject pattern or keywords."
            )
        if self.action == MailIntakeAction.REQUEST:
            if not self.catalogue_item_id:
                errors["catalogue_item"] = _("Choose the catalogue item the request is for.")
            else:
                try:
                    self.mail_field()
                except ValidationError as exc:
                    errors.update(exc.message_dict)
        else:  # what only a request uses is dropped, so a rule never carries stale settings
            self.catalogue_item, self.body_field = None, ""
        if self.action != MailIntakeAction.INCIDENT:
            self.category, self.team = "", None
        if errors:
            raise ValidationError(errors)

    def mail_field(self) -> str:
        """The request form field the mail's text goes into ('' if the form has none).

        Raises ``ValidationError`` when the item needs other answers a mail cannot give.
        """
        from steward.itsm.request_forms import TEXT_TYPES, specs_of

        specs = specs_of(self.catalogue_item.form_fields)
        text_fields = [s for s in specs if s.type in TEXT_TYPES]
        if self.body_field:
            chosen = next((s for s in text_fields if s.name == self.body_field), None)
            if chosen is None:
                raise ValidationError(
                    {"body_field": _("%(item)s has no text field named %(name)s (text fields: %(all)s).")
                     % {"item": self.catalogue_item, "name": self.body_field,
                        "all": ", ".join(s.name for s in text_fields) or "-"}}
                )  # fmt: skip
        else:
            chosen = text_fields[0] if text_fields else None
        unfillable = [s.label for s in specs if s.required and (chosen is None or s.name != chosen.name)]
        if unfillable:
            raise ValidationError(
                {"catalogue_item": _("%(item)s needs answers a mail cannot give: %(fields)s. Make those fields "
                                     "optional or choose another item.")
                 % {"item": self.catalogue_item, "fields": ", ".join(unfillable)}}
            )  # fmt: skip
        return chosen.name if chosen else ""

    def matches(
        self, *, recipients: set[str], sender: str, subject: str, mailbox_id: int | None = None
    ) -> bool:
        if self.mailbox_id is not None and self.mailbox_id != mailbox_id:
            return False
        if self.recipient and self.recipient not in recipients:
            return False
        if self.sender_domain:
            domain = sender.rpartition("@")[2].lower()
            if domain != self.sender_domain and not domain.endswith("." + self.sender_domain):
                return False
        if self.subject_regex and not re.search(self.subject_regex, subject, re.IGNORECASE):
            return False
        if self.keywords:
            folded = subject.casefold()
            if not any(k.strip().casefold() in folded for k in self.keywords.split(",") if k.strip()):
                return False
        return True
