"""Mail intake and replies: a real Dovecot on loopback, maildir and stdin; threading, robots, errors."""

from __future__ import annotations

import io
import mailbox
import sys
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.jobs import JobContext
from steward.core.models import Attachment
from steward.itsm import services
from steward.itsm.models import AssignmentRule, Incident, IncidentNote, MailboxSettings, MailMessage
from steward.itsm.servicedesk import jobs as desk_jobs
from steward.itsm.servicedesk import mail
from steward.itsm.tests.dovecot import dovecot
from steward.org.models import Person, Team

pytestmark = pytest.mark.django_db(transaction=False)


def message(
    subject: str = "Printer on floor 3 is jammed",
    sender: str = "Carla Caller <carla@example.org>",
    body: str = "It shows error E42.",
    **headers: str,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = headers.pop("To", "desk@example.org")
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = headers.pop("message_id", make_msgid(domain="example.org"))
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return bytes(msg)


@pytest.fixture
def desk(db, team):
    box = MailboxSettings.objects.create(name="Desk", address="desk@example.org", host="", default_team=team)
    return box


def committed():
    """Mail is sent after commit: run those callbacks when the block ends (tests never commit)."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def take(raw: bytes, **kw):
    with committed():
        return mail.take_in(raw=raw, source="test", **kw)


# --- new mail and replies ----------------------------------------------------------------------
def test_new_mail_opens_an_incident_and_acknowledges_it_threaded(desk, team):
    raw = message()
    result = take(raw)
    assert result.outcome == "created"
    incident = result.incident
    assert incident.short_description == "Printer on floor 3 is jammed"
    assert incident.description == "It shows error E42."
    assert incident.caller.email == "carla@example.org" and incident.caller.first_name == "Carla"
    assert incident.assignment_team == team  # the mailbox's default team (no rule matched)
    stored = MailMessage.objects.get(direction="in")
    assert stored.incident == incident and stored.status == "processed"
    [ack] = django_mail.outbox
    assert ack.subject == f"[{incident.reference}] Printer on floor 3 is jammed"
    assert ack.to == ["carla@example.org"]
    assert ack.extra_headers["In-Reply-To"] == f"<{stored.message_id}>"
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    assert mail.LOOP_HEADER in ack.extra_headers
    assert MailMessage.objects.get(direction="out").message_id in ack.extra_headers["Message-ID"]


def test_assignment_rules_route_mailed_incidents(desk, team):
    from steward.org.models import Team

    printers = Team.objects.create(name="Printers", slug="printers")
    AssignmentRule.objects.create(name="All mail", team=printers)
    assert take(message()).incident.assignment_team == printers


def test_reply_threads_by_in_reply_to_and_by_subject_reference(desk):
    incident = take(message()).incident
    ack_id = MailMessage.objects.get(direction="out").message_id
    reply = message(subject="Re: something else", body="Still jammed.\n\nOn Monday Desk wrote:\n> old text",
                    In_Reply_To=f"<{ack_id}>", References=f"<{ack_id}>")  # fmt: skip
    result = take(reply)
    assert result.outcome == "threaded" and result.incident == incident
    note = IncidentNote.objects.get(incident=incident)
    assert note.kind == "comment" and note.body == "Still jammed."
    by_subject = take(message(subject=f"RE: [{incident.reference}] Printer", body="Now it smokes."))
    assert by_subject.outcome == "threaded" and by_subject.incident == incident
    assert Incident.objects.count() == 1
    incident.refresh_from_db()
    assert incident.responded_at is None  # the caller's own words are not a response


def test_reply_to_a_resolved_incident_reopens_it(desk, agent):
    incident = take(message()).incident
    wf.transition(obj=incident, name="resolve", actor=agent,
                  data={"resolution_code": "solved", "resolution_notes": "Cleared the jam"})  # fmt: skip
    take(message(subject=f"Re: [{incident.reference}] Printer", body="Not fixed."))
    incident.refresh_from_db()
    assert incident.state == "in_progress"


def test_agent_comment_is_mailed_to_the_caller_threaded_and_work_notes_are_not(desk, agent):
    raw = message()
    incident = take(raw).incident
    inbound = MailMessage.objects.get(direction="in")
    django_mail.outbox.clear()
    with committed():
        services.add_note(incident=incident, actor=agent, body="Internal only", kind="work_note")
    assert django_mail.outbox == []
    with committed():
        services.add_note(incident=incident, actor=agent, body="We are on our way.", kind="comment")
    [sent] = django_mail.outbox
    assert sent.subject.startswith(f"[{incident.reference}]") and sent.body == "We are on our way."
    assert inbound.message_id in sent.extra_headers["References"]
    # The caller answers the agent's mail: it threads back by its In-Reply-To.
    out_id = MailMessage.objects.filter(direction="out").latest("created").message_id
    result = take(message(subject="thanks", body="Great", In_Reply_To=f"<{out_id}>"))
    assert result.incident == incident


def test_attachments_are_kept_through_the_upload_checks(desk):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "carla@example.org", "desk@example.org", "Screenshot"
    msg["Message-ID"] = make_msgid()
    msg.set_content("See attached.")
    msg.add_attachment(b"\x89PNG\r\n\x1a\nfake", maintype="image", subtype="png", filename="../../error.png")
    msg.add_attachment(b"MZ...", maintype="application", subtype="octet-stream", filename="tool.exe")
    result = take(bytes(msg))
    [kept] = Attachment.objects.all()
    assert kept.name == "error.png" and kept.object_id == result.incident.pk
    assert "tool.exe" in result.message.reason


# --- robots, loops, unknown senders, duplicates ------------------------------------------------
@pytest.mark.parametrize(
    "headers,sender",
    [
        ({"Auto_Submitted": "auto-replied"}, "carla@example.org"),
        ({"Precedence": "bulk"}, "carla@example.org"),
        ({"X_Autoreply": "yes"}, "carla@example.org"),
        ({}, "MAILER-DAEMON@example.org"),
        ({"X_Steward_Loop": "example.org"}, "carla@example.org"),
        ({}, "desk@example.org"),
    ],
    ids=["auto-submitted", "precedence", "x-autoreply", "mailer-daemon", "our-loop-header", "our-address"],
)
def test_auto_replies_bounces_and_loops_are_ignored(desk, headers, sender):
    result = take(message(sender=sender, **headers))
    assert result.outcome == "ignored" and result.reason
    assert not Incident.objects.exists() and django_mail.outbox == []
    assert MailMessage.objects.get().status == "ignored"


def test_unknown_senders_follow_the_setting(desk):
    desk.unknown_senders = "reject"
    desk.save()
    assert take(message(sender="stranger@example.net")).outcome == "ignored"
    assert not Incident.objects.exists() and not Person.objects.filter(email="stranger@example.net").exists()
    desk.unknown_senders = "accept"
    desk.save()
    result = take(message(sender="stranger@example.net"))
    assert result.outcome == "created" and result.incident.caller is None
    known = Person.objects.create(first_name="Kim", last_name="Known", email="kim@example.org")
    desk.unknown_senders = "reject"
    desk.save()
    assert take(message(sender="KIM@example.org")).incident.caller == known


def test_the_same_message_twice_is_taken_in_once(desk):
    raw = message()
    assert take(raw).outcome == "created"
    assert take(raw).outcome == "duplicate"
    assert Incident.objects.count() == 1


@pytest.mark.parametrize(
    "raw,header",
    [
        (b"From: not an address <<<\r\nSubject: x\r\n\r\nbody", "From"),
        (b"From: a@example.org\r\nDate: yesterday-ish\r\nSubject: x\r\n\r\nbody", "Date"),
        (b"From: a@example.org\r\nMessage-ID: garbage\r\nSubject: x\r\n\r\nbody", "Message-ID"),
        (b"Subject: nobody sent this\r\n\r\nbody", "From"),
        (b"From: a@example.org\r\nSubject: x\r\nthis line has no colon\r\n\r\nbody", "Headers"),
        (b"", "empty"),
    ],
    ids=["from", "date", "message-id", "no-sender", "broken-line", "empty"],
)
def test_malformed_headers_are_refused_naming_the_header_and_write_nothing(desk, raw, header):
    with pytest.raises(mail.MailError) as exc:
        take(raw)
    assert header in str(exc.value)
    assert (
        not Incident.objects.exists()
        and not MailMessage.objects.exists()
        and not Person.objects.filter(email="a@example.org").exists()
    )


# --- sources: maildir, stdin, IMAP --------------------------------------------------------------
def test_mail_intake_command_reads_a_maildir_and_reports_refusals(desk, tmp_path, capsys):
    box = mailbox.Maildir(tmp_path / "box", create=True)
    box.add(message(subject="First"))
    box.add(message(subject="Second"))
    box.add(b"From: broken <<<\r\nSubject: x\r\n\r\nbody")
    with pytest.raises(CommandError, match="1 message"):
        call_command("mail_intake", maildir=str(tmp_path / "box"))
    out = capsys.readouterr()
    assert "2 created" in out.out and "From: malformed" in out.err
    assert set(Incident.objects.values_list("short_description", flat=True)) == {"First", "Second"}
    with pytest.raises(CommandError, match="not a maildir"):
        call_command("mail_intake", maildir=str(tmp_path / "missing"))


def test_mail_intake_command_reads_stdin(desk, monkeypatch, capsys):
    stdin = io.TextIOWrapper(io.BytesIO(message(subject="Piped in")))
    monkeypatch.setattr(sys, "stdin", stdin)
    call_command("mail_intake", "-")
    assert "1 created" in capsys.readouterr().out
    assert Incident.objects.get().short_description == "Piped in"
    with pytest.raises(CommandError, match="exactly one"):
        call_command("mail_intake")


def test_cli_accepts_the_hyphenated_command_name(monkeypatch):
    from steward import cli

    seen = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", lambda argv: seen.append(argv))
    cli.main(["mail-intake", "--maildir", "x"])
    assert seen == [["steward", "mail_intake", "--maildir", "x"]]


def test_poll_job_without_a_mailbox_does_nothing(db):
    ctx = JobContext(name="itsm.poll_mailbox", payload={})
    desk_jobs.poll_mailbox(ctx)
    assert "no mailbox configured" in " ".join(ctx.lines)


def test_poll_a_real_dovecot_mailbox(desk, monkeypatch):
    with dovecot() as server:
        incident_mail = message(subject="VPN drops every hour")
        server.deliver(incident_mail)
        server.deliver(message(subject="Out of office", Auto_Submitted="auto-replied"))
        server.deliver(b"From: broken <<<\r\nSubject: x\r\n\r\nbody")
        desk.host, desk.port, desk.use_ssl, desk.username = "127.0.0.1", server.port, False, server.user
        desk.password_env = "STEWARD_TEST_DESK_PASSWORD"
        desk.save()
        monkeypatch.setenv("STEWARD_TEST_DESK_PASSWORD", server.password)
        ctx = JobContext(name="itsm.poll_mailbox", payload={})
        desk_jobs.poll_mailbox(ctx)
        assert "1 created, 0 threaded, 1 ignored, 0 duplicate, 1 refused" in ctx.lines[-1]
        incident = Incident.objects.get()
        assert incident.short_description == "VPN drops every hour"
        flags = server.flags()
        assert all(b"\\Seen" in f for f in flags) and sum(b"\\Flagged" in f for f in flags) == 1
        # A reply delivered later threads onto the incident on the next poll; seen mail is not re-read.
        server.deliver(message(subject=f"Re: [{incident.reference}] VPN", body="Again at 10:00"))
        report = mail.poll_imap()
        assert report.count("threaded") == 1 and report.count("created") == 0
        assert IncidentNote.objects.get(incident=incident).body == "Again at 10:00"


# --- intake rules: incident, request or ignore ----------------------------------------------------
ACCESS_FORM = [
    {"name": "details", "label": "What do you need", "type": "long_text", "required": True},
    {"name": "until", "label": "Until", "type": "date"},
]


@pytest.fixture
def access_rule(desk):
    from steward.itsm.models import CatalogueItem, MailIntakeRule

    item = CatalogueItem.objects.create(name="Access to a system", form_fields=ACCESS_FORM)
    return MailIntakeRule.objects.create(name="Access mail", order=10, recipient="access@example.org",
                                         action="request", catalogue_item=item)  # fmt: skip


def test_a_rule_opens_a_catalogue_request_with_the_body_as_its_first_text_field(access_rule):
    from steward.itsm.models import ServiceRequest

    raw = message(subject="Need the finance share", body="Read access to \\\\fin\\reports please.",
                  To="Access desk <access@example.org>")  # fmt: skip
    result = take(raw)
    assert result.outcome == "created" and result.incident is None
    request = result.request
    assert (
        request.item == access_rule.catalogue_item and request.short_description == "Need the finance share"
    )
    assert request.answers == {"details": "Read access to \\\\fin\\reports please."}
    assert request.requester.email == "carla@example.org"
    assert request.state != "submitted"  # sent on for approval (none needed here)
    stored = MailMessage.objects.get(direction="in")
    assert (stored.service_request, stored.incident, stored.rule) == (request, None, access_rule)
    assert not Incident.objects.exists() and ServiceRequest.objects.count() == 1
    # Mail to the desk's own address still opens an incident.
    assert take(message(subject="Printer broken")).incident is not None


def test_a_mailed_request_is_acknowledged_and_replies_thread_onto_it(access_rule, agent):
    from steward.core.models import Comment
    from steward.itsm import services_requests
    from steward.itsm.models import ServiceRequest

    raw = message(subject="Need the finance share", body="Read access please.", To="access@example.org")
    request = take(raw).request
    inbound = MailMessage.objects.get(direction="in")
    [ack] = django_mail.outbox
    assert ack.subject == f"[{request.reference}] Need the finance share" and ack.to == ["carla@example.org"]
    assert ack.extra_headers["In-Reply-To"] == f"<{inbound.message_id}>"
    assert ack.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "opened " + request.reference in ack.body
    ack_row = MailMessage.objects.get(direction="out")
    assert (ack_row.service_request, ack_row.incident) == (request, None)
    # A reply to the acknowledgement, and one naming the reference only, comment on the request.
    django_mail.outbox.clear()
    reply = take(message(subject="Re: anything", body="For the whole quarter.\n\n> quoted",
                         In_Reply_To=f"<{ack_row.message_id}>", To="access@example.org"))  # fmt: skip
    assert reply.outcome == "threaded" and reply.request == request and reply.incident is None
    by_subject = take(
        message(subject=f"RE: [{request.reference}] share", body="Thanks!", To="access@example.org")
    )
    assert by_subject.outcome == "threaded" and by_subject.request == request
    comments = Comment.objects.filter(object_id=request.pk).order_by("pk")
    assert [c.body for c in comments] == ["For the whole quarter.", "Thanks!"]
    assert ServiceRequest.objects.count() == 1 and not Incident.objects.exists()
    assert django_mail.outbox == []  # the requester's own words are not mailed back
    assert MailMessage.objects.filter(direction="in", service_request=request).count() == 3
    # An agent's comment goes to the requester in the same thread.
    with committed():
        services_requests.add_request_comment(request=request, actor=agent, body="Granted until 31 March.")
    [sent] = django_mail.outbox
    assert sent.subject.startswith(f"[{request.reference}]") and sent.body == "Granted until 31 March."
    assert inbound.message_id in sent.extra_headers["References"]


def test_comments_on_requests_without_mail_are_not_mailed(access_rule, agent):
    from steward.itsm import services_requests
    from steward.itsm.models import ServiceRequest

    requester = Person.objects.create(first_name="Pat", last_name="Portal", email="pat@example.org")
    request = ServiceRequest.objects.create(item=access_rule.catalogue_item, requester=requester,
                                            short_description="Opened on the portal")  # fmt: skip
    with committed():
        services_requests.add_request_comment(request=request, actor=agent, body="Looking at it.")
    assert django_mail.outbox == []


def test_rules_match_by_sender_domain_keywords_and_subject_pattern_in_order(desk, team):
    from steward.itsm.models import MailIntakeRule
    from steward.org.models import Team

    network = Team.objects.create(name="Network", slug="network")
    MailIntakeRule.objects.create(
        name="Newsletters", order=1, subject_regex=r"^\[?newsletter\b", action="ignore"
    )
    MailIntakeRule.objects.create(name="Disabled", order=0, keywords="vpn", action="ignore", enabled=False)
    MailIntakeRule.objects.create(name="Partner VPN", order=5, sender_domain="partner.example", keywords="vpn, tunnel",
                                  category="network", team=network)  # fmt: skip
    MailIntakeRule.objects.create(name="Any VPN", order=9, keywords="vpn", category="remote access")
    ignored = take(message(subject="Newsletter: November", sender="news@partner.example"))
    assert ignored.outcome == "ignored" and ignored.reason == "intake rule Newsletters"
    assert MailMessage.objects.get(status="ignored").rule.name == "Newsletters"
    partner = take(message(subject="Tunnel down", sender="Pat <pat@eu.partner.example>")).incident
    assert (partner.category, partner.assignment_team) == ("network", network)
    other = take(message(subject="VPN slow", sender="someone@elsewhere.example")).incident
    assert other.category == "remote access" and other.assignment_team == team  # no team: mailbox default
    assert take(message(subject="Printer", sender="pat@partner.example")).incident.category == ""


def test_bad_rules_are_refused_at_save_naming_the_field(desk):
    from django.core.exceptions import ValidationError

    from steward.itsm.models import CatalogueItem, MailIntakeRule

    cases = [
        (
            MailIntakeRule(name="a", subject_regex="(unclosed"),
            "subject_regex",
            "Not a valid regular expression",
        ),
        (MailIntakeRule(name="b", action="ignore"), "recipient", "at least one condition"),
        (
            MailIntakeRule(name="c", keywords="x", action="request"),
            "catalogue_item",
            "Choose the catalogue item",
        ),
    ]
    laptop = CatalogueItem.objects.create(name="Laptop", form_fields=[
        {"name": "model", "label": "Model", "type": "choice", "choices": ["13in", "15in"], "required": True},
        {"name": "why", "label": "Why", "type": "text"},
    ])  # fmt: skip
    cases.append((MailIntakeRule(name="d", keywords="laptop", action="request", catalogue_item=laptop),
                  "catalogue_item", "needs answers a mail cannot give: Model"))  # fmt: skip
    cases.append((MailIntakeRule(name="e", keywords="laptop", action="request", catalogue_item=laptop,
                                 body_field="colour"), "body_field", "has no text field named colour"))  # fmt: skip
    for rule, field_name, text in cases:
        with pytest.raises(ValidationError) as exc:
            rule.full_clean()
        assert text in " ".join(exc.value.message_dict[field_name]), (rule.name, exc.value.message_dict)
    # Settings another action would use are dropped, not kept stale.
    rule = MailIntakeRule(name="g", keywords="x", action="ignore", category="c", team=Team.objects.get())
    rule.full_clean()
    assert (rule.category, rule.team) == ("", None)


def test_an_item_that_can_no_longer_take_mail_falls_back_to_an_incident(access_rule):
    from steward.itsm.models import CatalogueItem, ServiceRequest

    CatalogueItem.objects.filter(pk=access_rule.catalogue_item_id).update(
        form_fields=[*ACCESS_FORM, {"name": "system", "label": "System", "type": "text", "required": True}]
    )
    result = take(message(subject="Access please", To="access@example.org"))
    assert result.incident is not None and not ServiceRequest.objects.exists()
    stored = MailMessage.objects.get(direction="in")
    assert stored.reason.startswith("rule Access mail: no request") and "System" in stored.reason


def test_request_rules_work_from_a_maildir_and_stdin(access_rule, tmp_path, monkeypatch, capsys):
    from steward.itsm.models import ServiceRequest

    box = mailbox.Maildir(tmp_path / "box", create=True)
    box.add(message(subject="Access to CRM", To="access@example.org"))
    box.add(message(subject="Screen flickers"))
    call_command("mail_intake", maildir=str(tmp_path / "box"))
    assert "2 created" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(message(subject="Access to HR",
                                                                          Cc="access@example.org"))))  # fmt: skip
    call_command("mail_intake", "-")
    assert set(ServiceRequest.objects.values_list("short_description", flat=True)) == {
        "Access to CRM",
        "Access to HR",
    }
    assert list(Incident.objects.values_list("short_description", flat=True)) == ["Screen flickers"]


def test_poll_a_real_dovecot_mailbox_with_intake_rules(access_rule, monkeypatch):
    from steward.itsm.models import MailIntakeRule, ServiceRequest

    MailIntakeRule.objects.create(name="Marketing", sender_domain="ads.example", action="ignore")
    with dovecot() as server:
        server.deliver(message(subject="Access to the wiki", To="access@example.org", body="Editor rights"))
        server.deliver(message(subject="Buy now", sender="promo@ads.example"))
        server.deliver(message(subject="Mouse broken"))
        desk = access_rule  # noqa: F841 - the mailbox comes with the rule's fixture
        box = MailboxSettings.objects.get()
        box.host, box.port, box.use_ssl, box.username = "127.0.0.1", server.port, False, server.user
        box.password_env = "STEWARD_TEST_DESK_PASSWORD"
        box.save()
        monkeypatch.setenv("STEWARD_TEST_DESK_PASSWORD", server.password)
        report = mail.poll_imap()
    assert report.summary() == "2 created, 0 threaded, 1 ignored, 0 duplicate, 0 refused"
    assert ServiceRequest.objects.get().answers == {"details": "Editor rights"}
    assert Incident.objects.get().short_description == "Mouse broken"


# --- several mailboxes ----------------------------------------------------------------------------
@pytest.fixture
def hr_box(desk):
    return MailboxSettings.objects.create(name="HR", address="hr@example.org", host="")


def test_a_rule_limited_to_a_mailbox_matches_only_mail_read_from_it(desk, hr_box, agent):
    from steward.itsm.models import MailIntakeRule

    MailIntakeRule.objects.create(name="HR laptops", mailbox=hr_box, keywords="laptop", category="hardware")
    through_desk = take(message(subject="My laptop is slow"), config=mail.mailbox_config(desk.pk))
    assert through_desk.incident.category != "hardware" and through_desk.message.rule is None
    django_mail.outbox.clear()
    through_hr = take(message(subject="New laptop for a starter", To="hr@example.org"),
                      config=mail.mailbox_config(hr_box.pk))  # fmt: skip
    incident = through_hr.incident
    assert incident.category == "hardware" and through_hr.message.mailbox == hr_box
    # Replies in that thread go out from the mailbox the mail came in through.
    [ack] = django_mail.outbox
    assert ack.from_email == "hr@example.org"
    with committed():
        services.add_note(incident=incident, actor=agent, body="Ordered.", kind="comment")
    assert django_mail.outbox[-1].from_email == "hr@example.org"
    assert MailMessage.objects.filter(direction="out", incident=incident, mailbox=hr_box).count() == 2


def test_a_mailbox_alone_is_a_condition_and_a_rule_needs_one(desk, hr_box):
    from django.core.exceptions import ValidationError

    from steward.itsm.models import MailIntakeRule

    MailIntakeRule(name="Everything to HR", mailbox=hr_box, action="ignore").full_clean()
    with pytest.raises(ValidationError, match="mailbox, recipient"):
        MailIntakeRule(name="Nothing", action="ignore").full_clean()


def test_mail_intake_command_takes_piped_mail_in_as_read_from_a_named_mailbox(hr_box, monkeypatch, capsys):
    from steward.itsm.models import MailIntakeRule

    MailIntakeRule.objects.create(name="HR only", mailbox=hr_box, action="ignore")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(message(subject="Piped to HR"))))
    call_command("mail_intake", "-", mailbox="HR")
    assert "1 ignored" in capsys.readouterr().out
    assert MailMessage.objects.get().mailbox == hr_box and not Incident.objects.exists()
    with pytest.raises(CommandError, match="no enabled mailbox is named 'Payroll'"):
        call_command("mail_intake", "-", mailbox="Payroll")


def test_polling_reads_every_mailbox_and_names_one_it_cannot_reach(desk, monkeypatch):
    import socket

    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    MailboxSettings.objects.create(name="Archive", address="archive@example.org", host="127.0.0.1",
                                   port=closed_port, use_ssl=False, username="nobody")  # fmt: skip
    with dovecot() as server:
        server.deliver(message(subject="Screen flickers"))
        desk.host, desk.port, desk.use_ssl, desk.username = "127.0.0.1", server.port, False, server.user
        desk.password_env = "STEWARD_TEST_DESK_PASSWORD"
        desk.save()
        monkeypatch.setenv("STEWARD_TEST_DESK_PASSWORD", server.password)
        ctx = JobContext(name="itsm.poll_mailbox", payload={})
        desk_jobs.poll_mailbox(ctx)
    assert Incident.objects.get().short_description == "Screen flickers"
    assert MailMessage.objects.get(direction="in").mailbox == desk
    assert any("mailbox Archive: " in line for line in ctx.lines), ctx.lines
    assert "1 created" in ctx.lines[-1]
