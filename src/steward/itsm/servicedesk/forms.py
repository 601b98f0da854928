"""Forms of the service desk: its models' edit forms and the bulk-action form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from steward.core.forms import StewardModelForm
from steward.itsm.choices import HoldReason, NoteKind, ResolutionCode
from steward.itsm.models import AssignmentRule, CannedResponse, MailboxSettings, MailIntakeRule, MailMessage


class AssignmentRuleForm(StewardModelForm):
    class Meta:
        model = AssignmentRule
        fields = ("name", "enabled", "order", "category", "service", "priorities", "team", "method",
                  "required_skill", "required_level", "description", "tags")  # fmt: skip


class CannedResponseForm(StewardModelForm):
    class Meta:
        model = CannedResponse
        fields = ("name", "kind", "team", "body", "tags")


class MailMessageForm(StewardModelForm):
    class Meta:
        model = MailMessage
        fields = ("incident", "service_request", "direction", "status", "reason", "message_id", "from_address",
                  "to_addresses", "subject", "body_text", "sent_at", "tags")  # fmt: skip


class MailboxSettingsForm(StewardModelForm):
    class Meta:
        model = MailboxSettings
        fields = ("name", "enabled", "host", "port", "use_ssl", "username", "password_env", "folder", "address",
                  "unknown_senders", "default_team", "tags")  # fmt: skip


class MailIntakeRuleForm(StewardModelForm):
    class Meta:
        model = MailIntakeRule
        fields = ("name", "enabled", "order", "mailbox", "recipient", "sender_domain", "subject_regex", "keywords", "action",
                  "category", "team", "catalogue_item", "body_field", "description", "tags")  # fmt: skip


def _css(form: forms.Form) -> None:
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        if not isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.HiddenInput):
            widget.attrs.setdefault("class", css)


class BulkActionForm(forms.Form):
    """What to do to the selected incidents: assign, run a transition, or add a note."""

    action = forms.ChoiceField(
        label=_("Action"),
        choices=(("assign", _("Assign")), ("transition", _("Change state")), ("note", _("Add a note"))),
        widget=forms.RadioSelect,
    )
    team = forms.ModelChoiceField(queryset=None, required=False, label=_("Team"))
    assignee = forms.ModelChoiceField(queryset=None, required=False, label=_("Assignee"))
    transition = forms.ChoiceField(required=False, label=_("Transition"))
    hold_reason = forms.ChoiceField(
        choices=[("", "—"), *HoldReason.choices], required=False, label=_("Hold reason")
    )
    resolution_code = forms.ChoiceField(
        choices=[("", "—"), *ResolutionCode.choices], required=False, label=_("Resolution code")
    )
    resolution_notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False,
                                       label=_("Resolution notes"))  # fmt: skip
    kind = forms.ChoiceField(choices=NoteKind.choices, required=False, label=_("Note kind"))
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("Note (Markdown)")
    )

    def __init__(self, *args: Any, transitions: list[tuple[str, str]], **kwargs: Any) -> None:
        from steward.org.models import Person, Team

        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.order_by("name")
        self.fields["assignee"].queryset = (
            Person.objects.filter(teams__isnull=False).distinct().order_by("last_name", "first_name")
        )
        self.fields["transition"].choices = [("", "—"), *transitions]
        _css(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        if action == "assign" and not data.get("team"):
            self.add_error("team", _("Choose the team to assign to."))
        if action == "transition" and not data.get("transition"):
            self.add_error("transition", _("Choose the transition to run."))
        if action == "note" and not (data.get("body") or "").strip():
            self.add_error("body", _("Write the note."))
        return data

    def transition_data(self, settable: tuple[str, ...]) -> dict[str, Any]:
        return {k: self.cleaned_data[k] for k in ("hold_reason", "resolution_code", "resolution_notes")
                if k in settable and self.cleaned_data.get(k)}  # fmt: skip
