"""Email on tickets: every message received or sent, and the mailbox the desk polls."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from steward.core.models import StewardModel
from steward.itsm.choices import MailDirection, MailStatus, UnknownSender
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
