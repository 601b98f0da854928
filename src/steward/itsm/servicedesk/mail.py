"""Mail intake and replies: RFC 5322 messages in, incidents and threaded comments out of them.

A new message opens an incident; a reply (its In-Reply-To or References naming a message we
stored, or an incident reference such as ``[INC0000123]`` in the subject) becomes a comment on
that incident. Auto-replies, bounces and our own mail are recorded as ignored, never turned
into tickets, so two robots cannot answer each other forever. A message whose headers do not
parse is refused with an error naming the header, and nothing is written.

Messages come from an IMAP mailbox (``poll_imap``, run by a periodic job), from a maildir
or from standard input (``steward mail-intake``). Comments to the caller go out as mail that
carries the reference in the subject and Message-ID / In-Reply-To / References headers, so
the caller's answer threads back onto the incident.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import email.utils
import hashlib
import imaplib
import logging
import mailbox
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import nh3
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage as OutgoingMessage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.uploads import UploadRejected, check_upload
from steward.itsm.choices import MailDirection, MailIntakeAction, MailStatus, NoteKind, UnknownSender
from steward.itsm.models import (
    Incident,
    IncidentNote,
    MailboxSettings,
    MailIntakeRule,
    MailMessage,
    ServiceRequest,
)

logger = logging.getLogger(__name__)

#: Our own mail carries this header; a message that has it is never taken in again.
LOOP_HEADER = "X-Steward-Loop"
REFERENCE = re.compile(r"\[?\b((?:INC|REQ)\d{7,})\b\]?", re.IGNORECASE)
CHECKED_HEADERS = (
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Subject",
)
AUTO_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
ROBOT_SENDERS = ("mailer-daemon", "postmaster", "noreply", "no-reply")


class MailError(ValueError):
    """The message cannot be taken in (malformed header, no sender); the text says which and why."""


@dataclass
class MailConfig:
    """Where the desk reads mail and how it treats it: the Mailbox row, else STEWARD_MAIL_*."""

    host: str = ""
    port: int = 993
    use_ssl: bool = True
    username: str = ""
    password: str = field(default="", repr=False)
    folder: str = "INBOX"
    address: str = ""
    unknown_senders: str = UnknownSender.CREATE_PERSON
    default_team_id: int | None = None
    mailbox_id: int | None = None  # the Mailbox row; None: the STEWARD_MAIL_* settings alone
    name: str = "settings"

    @property
    def configured(self) -> bool:
        return bool(self.host and self.username)


def mail_config() -> MailConfig:
    """The first enabled mailbox set up in the UI, its gaps filled from the environment."""
    return _config(MailboxSettings.objects.filter(enabled=True).order_by("name").first())


def mail_configs() -> list[MailConfig]:
    """Every enabled mailbox (by name), or the STEWARD_MAIL_* settings when none is set up."""
    rows = list(MailboxSettings.objects.filter(enabled=True).order_by("name"))
    return [_config(row) for row in rows] if rows else [_config(None)]


def mailbox_config(mailbox_id: int | None) -> MailConfig:
    """The configuration of one mailbox, enabled or not (gone: the default one)."""
    row = MailboxSettings.objects.filter(pk=mailbox_id).first() if mailbox_id else None
    return _config(row) if row is not None else mail_config()


def _config(row: MailboxSettings | None) -> MailConfig:
    password_env = (row.password_env if row else "") or "STEWARD_MAIL_PASSWORD"
    return MailConfig(
        host=(row.host if row else "") or settings.MAIL_IMAP_HOST,
        port=(row.port if row and row.port else None) or settings.MAIL_IMAP_PORT,
        use_ssl=row.use_ssl if row and row.host else settings.MAIL_IMAP_SSL,
        username=(row.username if row else "") or settings.MAIL_USERNAME,
        password=os.environ.get(password_env, ""),
        folder=(row.folder if row else "") or settings.MAIL_FOLDER,
        address=(row.address if row else "") or settings.MAIL_ADDRESS,
        unknown_senders=row.unknown_senders if row else settings.MAIL_UNKNOWN_SENDERS,
        default_team_id=row.default_team_id if row else None,
        mailbox_id=row.pk if row else None,
        name=row.name if row else "settings",
    )


@dataclass
class IntakeResult:
    outcome: str  # created, threaded, ignored, duplicate
    message: MailMessage | None = None
    incident: Incident | None = None
    reason: str = ""
    request: Any = None  # the catalogue request an intake rule opened


# --- parsing --------------------------------------------------------------------------------
def parse(raw: bytes) -> EmailMessage:
    """Parse ``raw`` as RFC 5322 and check the headers we rely on; ``MailError`` names the bad one."""
    if not raw or not raw.strip():
        raise MailError("The message is empty.")
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    for name in CHECKED_HEADERS:
        try:
            value = msg[name]
        except (ValueError, IndexError, TypeError) as exc:
            raise MailError(f"{name}: the header cannot be read ({exc}).") from None
        if value is None:
            continue
        defects = getattr(value, "defects", ())
        if defects:
            raise MailError(f"{name}: malformed header {str(value)[:80]!r} ({defects[0]}).")
        if name == "Date" and value.datetime is None:
            raise MailError(f"Date: malformed header {str(value)[:80]!r}.")
    if msg["From"] is None or not msg["From"].addresses:
        raise MailError("From: the message has no sender.")
    bad = [d for d in msg.defects if "Header" in type(d).__name__]
    if bad:
        raise MailError(f"Headers: {bad[0].__class__.__name__} — a header line is malformed.")
    return msg


def _ids(value: Any) -> list[str]:
    return [i.strip("<>") for i in re.findall(r"<[^<>\s]+>", str(value or ""))]


def message_id_of(msg: EmailMessage, raw: bytes) -> str:
    found = _ids(msg["Message-ID"])
    # No Message-ID at all (some scripts): a stable one from the content keeps re-reads idempotent.
    return found[0] if found else f"{hashlib.sha256(raw).hexdigest()[:32]}@steward.invalid"


def sender(msg: EmailMessage) -> tuple[str, str]:
    address = msg["From"].addresses[0]
    return address.display_name, address.addr_spec.lower()


def robot_reason(msg: EmailMessage, address: str, desk_address: str) -> str:
    """Why this message is machine-made (auto-reply, bounce, list, our own), or ""."""
    if msg[LOOP_HEADER] is not None:
        return "our own message came back (loop protection)"
    if desk_address and address == desk_address.lower():
        return "sent from the desk's own address (loop protection)"
    auto = str(msg["Auto-Submitted"] or "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = str(msg["Precedence"] or "").strip().lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    for header in ("X-Autoreply", "X-Autorespond"):
        if msg[header] is not None:
            return f"{header} header (auto-reply)"
    if msg.get_content_type() == "multipart/report":
        return "delivery report (bounce)"
    local = address.split("@", 1)[0]
    if local in ROBOT_SENDERS:
        return f"sent by {local} (bounce or robot)"
    if str(msg["Return-Path"] or "").strip() == "<>":
        return "empty Return-Path (bounce)"
    return ""


_QUOTE_START = re.compile(r"^(On .{0,200} wrote:|-{2,} ?Original Message ?-{2,}|From: .+)$", re.MULTILINE)


def body_text(msg: EmailMessage, *, reply: bool) -> str:
    """The message's text (plain preferred, HTML reduced to text); a reply loses its quoted part."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, ValueError):
        text = part.get_payload(decode=True).decode("utf-8", "replace")
    if part.get_content_type() == "text/html":
        text = nh3.clean(text, tags=set())
    text = text.replace("\r\n", "\n").strip()
    if reply:
        match = _QUOTE_START.search(text)
        if match:
            text = text[: match.start()]
        text = "\n".join(line for line in text.splitlines() if not line.startswith(">")).strip()
    return text


def attachments(msg: EmailMessage) -> Iterable[tuple[str, bytes]]:
    for part in msg.iter_attachments():
        name = part.get_filename()
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        yield name, data


# --- finding the ticket ---------------------------------------------------------------------
def thread_ticket(msg: EmailMessage) -> Incident | ServiceRequest | None:
    """The incident or request a reply belongs to: by the message ids it answers, then by the
    subject's reference (INC… or REQ…)."""
    ids = _ids(msg["In-Reply-To"]) + _ids(msg["References"])
    if ids:
        found = (
            MailMessage.objects.filter(message_id__in=ids)
            .filter(Q(incident__isnull=False) | Q(service_request__isnull=False))
            .select_related("incident", "service_request")
            .order_by("-created")
            .first()
        )
        if found:
            return found.incident or found.service_request
    match = REFERENCE.search(str(msg["Subject"] or ""))
    if match:
        reference = match.group(1).upper()
        model = ServiceRequest if reference.startswith("REQ") else Incident
        return model.objects.filter(reference=reference).first()
    return None


def find_or_create_person(*, name: str, address: str, policy: str) -> tuple[Any, bool]:
    """The person writing, by address; unknown ones per policy. Returns (person or None, refused)."""
    from steward.org.models import Person

    person = Person.objects.filter(email__iexact=address).first()
    if person is not None:
        return person, False
    if policy == UnknownSender.REJECT:
        return None, True
    if policy == UnknownSender.ACCEPT:
        return None, False
    first, _, last = (name or address.split("@", 1)[0]).strip().partition(" ")
    person = Person(first_name=first[:100] or address[:100], last_name=(last or "-")[:100], email=address)
    person.full_clean()
    person.save()
    return person, False


# --- taking a message in --------------------------------------------------------------------
def _record(msg: EmailMessage, raw_id: str, config: MailConfig, **fields: Any) -> MailMessage:
    sent = msg["Date"].datetime if msg["Date"] is not None else None
    if sent is not None and timezone.is_naive(sent):
        sent = timezone.make_aware(sent, dt.UTC)
    row = MailMessage(
        direction=MailDirection.INBOUND,
        message_id=raw_id[:250],
        in_reply_to=" ".join(_ids(msg["In-Reply-To"]))[:250],
        references=" ".join(_ids(msg["References"])),
        from_address=sender(msg)[1][:254],
        to_addresses=", ".join(
            a.addr_spec for h in ("To", "Cc") if msg[h] is not None for a in msg[h].addresses
        ),
        subject=str(msg["Subject"] or "")[:250],
        sent_at=sent,
        mailbox_id=config.mailbox_id,
        **fields,
    )
    row.full_clean()
    row.save()
    return row


def recipients(msg: EmailMessage) -> set[str]:
    """Every address the message was delivered to (To, Cc, Delivered-To, X-Original-To), lower case."""
    found = set()
    for header in ("To", "Cc", "Delivered-To", "X-Original-To"):
        for value in msg.get_all(header) or []:
            for _name, addr in email.utils.getaddresses([str(value)]):
                if addr:
                    found.add(addr.strip().lower())
    return found


def intake_rule(msg: EmailMessage, address: str, mailbox_id: int | None = None) -> MailIntakeRule | None:
    """The enabled intake rule with the lowest order whose conditions match a new message read
    from ``mailbox_id`` (rules limited to another mailbox never match)."""
    to = recipients(msg)
    subject = str(msg["Subject"] or "")[:250]
    for rule in MailIntakeRule.objects.filter(enabled=True).select_related("catalogue_item", "team"):
        if rule.matches(recipients=to, sender=address, subject=subject, mailbox_id=mailbox_id):
            return rule
    return None


def _open_request(*, rule: MailIntakeRule, person: Any, subject: str, text: str) -> tuple[Any, str]:
    """The request a rule asks for, or (None, why not) when the item cannot take it any more.

    A rule is checked when saved, but its item may since have been retired or gained a required
    field: the message then opens an incident instead, and the reason is kept on the message.
    """
    from django.core.exceptions import ValidationError

    from steward.itsm import services_requests

    try:
        with transaction.atomic():
            body_field = rule.mail_field()
            answers = {body_field: text} if body_field and text else {}
            request = services_requests.submit_request_by_mail(
                item=rule.catalogue_item, requester=person, answers=answers, short_description=subject[:200]
            )
            if text and not body_field:
                user = person.user if person is not None and person.user_id else None
                services_requests.add_request_comment(request=request, actor=user, body=text)
    except ValidationError as exc:
        problems = "; ".join(exc.messages)
        return None, f"rule {rule.name}: no request ({problems}), an incident instead"[:200]
    return request, ""


def _attach(*, incident: Any, msg: EmailMessage, user: Any) -> list[str]:
    """Attach the message's files to the ticket through the upload checks; returns refusals."""
    from steward.core.models import Attachment

    refused = []
    for name, data in attachments(msg):
        upload = SimpleUploadedFile(name, data)
        try:
            safe, mime = check_upload(upload)
        except UploadRejected as exc:
            refused.append(str(exc))
            continue
        upload.seek(0)
        Attachment.objects.create(content_object=incident, file=upload, name=safe, size=len(data), mime_type=mime,
                                  uploaded_by=user)  # fmt: skip
    return refused


@transaction.atomic
def take_in(*, raw: bytes, source: str, config: MailConfig | None = None) -> IntakeResult:
    """Turn one RFC 5322 message into a new incident or a comment on its incident (atomic).

    Raises ``MailError`` for a message that cannot be read; nothing is written then.
    """
    from steward.itsm import services

    msg = parse(raw)
    config = config or mail_config()
    message_id = message_id_of(msg, raw)
    if MailMessage.objects.filter(direction=MailDirection.INBOUND, message_id=message_id).exists():
        return IntakeResult("duplicate", reason="already taken in")
    name, address = sender(msg)
    reason = robot_reason(msg, address, config.address)
    if reason:
        row = _record(msg, message_id, config, status=MailStatus.IGNORED, reason=reason, source=source)
        return IntakeResult("ignored", row, reason=reason)
    ticket = thread_ticket(msg)
    incident = ticket if isinstance(ticket, Incident) else None
    rule = intake_rule(msg, address, config.mailbox_id) if ticket is None else None
    if rule is not None and rule.action == MailIntakeAction.IGNORE:
        reason = f"intake rule {rule.name}"[:200]
        row = _record(
            msg, message_id, config, status=MailStatus.IGNORED, reason=reason, source=source, rule=rule
        )
        return IntakeResult("ignored", row, reason=reason)
    person, refused = find_or_create_person(name=name, address=address, policy=config.unknown_senders)
    if refused:
        row = _record(
            msg, message_id, config, status=MailStatus.IGNORED, reason="unknown sender", source=source
        )
        return IntakeResult("ignored", row, reason="unknown sender")
    user = person.user if person is not None and person.user_id else None
    text = body_text(msg, reply=ticket is not None)
    if isinstance(ticket, ServiceRequest):
        return _reply_to_request(
            msg, message_id, request=ticket, user=user, text=text, source=source, config=config
        )
    if incident is not None:
        note = IncidentNote(incident=incident, kind=NoteKind.COMMENT, author=user,
                            body=text or "(empty message)")  # fmt: skip
        note.full_clean()
        note.save()
        if incident.state == "resolved":
            # The caller says it is not fixed: back to work.
            wf.transition(obj=incident, name="reopen", actor=services.automation_user(),
                          comment=f"Reopened by an email from {address}.")  # fmt: skip
        outcome = "threaded"
    else:
        subject = REFERENCE.sub("", str(msg["Subject"] or "")).strip() or "(no subject)"
        fallback = ""
        if rule is not None and rule.action == MailIntakeAction.REQUEST:
            request, fallback = _open_request(rule=rule, person=person, subject=subject, text=text)
            if request is not None:
                refusals = _attach(incident=request, msg=msg, user=user)
                row = _record(msg, message_id, config, service_request=request, status=MailStatus.PROCESSED, source=source,
                              reason="; ".join(refusals)[:200], body_text=text, rule=rule)  # fmt: skip
                if address:
                    send_ticket_mail(
                        ticket=request, to=address, body=acknowledgement(request), auto=True, config=config
                    )
                return IntakeResult("created", row, reason="request", request=request)
        incident = Incident(short_description=subject[:200], description=text, caller=person)
        if rule is not None and rule.action == MailIntakeAction.INCIDENT:
            incident.category = rule.category
            incident.assignment_team = rule.team  # none: the assignment rules route it
        incident.full_clean()
        incident.save()  # the assignment rules route it
        if incident.assignment_team_id is None and config.default_team_id:
            Incident.objects.filter(pk=incident.pk).update(assignment_team_id=config.default_team_id)
            incident.refresh_from_db()
        outcome = "created"
    refusals = _attach(incident=incident, msg=msg, user=user)
    if outcome == "created":
        refusals = [fallback, *refusals] if fallback else refusals
    row = _record(msg, message_id, config, incident=incident, status=MailStatus.PROCESSED, source=source,
                  reason="; ".join(refusals)[:200], body_text=text, rule=rule)  # fmt: skip
    if outcome == "created" and address:
        send_ticket_mail(
            ticket=incident, to=address, body=acknowledgement(incident), auto=True, config=config
        )
    return IntakeResult(outcome, row, incident)


def _reply_to_request(
    msg: EmailMessage,
    message_id: str,
    *,
    request: ServiceRequest,
    user: Any,
    text: str,
    source: str,
    config: MailConfig,
) -> IntakeResult:
    """A reply to a request's mail: a comment on the request, kept in its thread."""
    from steward.itsm import services_requests

    services_requests.add_request_comment(
        request=request, actor=user, body=text or "(empty message)", from_requester=True
    )
    refusals = _attach(incident=request, msg=msg, user=user)
    row = _record(msg, message_id, config, service_request=request, status=MailStatus.PROCESSED, source=source,
                  reason="; ".join(refusals)[:200], body_text=text)  # fmt: skip
    return IntakeResult("threaded", row, request=request)


def acknowledgement(ticket: Incident | ServiceRequest) -> str:
    what = "request" if isinstance(ticket, ServiceRequest) else "message"
    return (
        f"We have received your {what} and opened {ticket.reference}: {ticket.short_description}.\n\n"
        "Reply to this email to add to it; keep the reference in the subject."
    )


# --- outgoing -------------------------------------------------------------------------------
def desk_domain(config: MailConfig) -> str:
    address = config.address or settings.DEFAULT_FROM_EMAIL
    return address.rsplit("@", 1)[-1] or "steward.invalid"


def send_ticket_mail(
    *,
    ticket: Incident | ServiceRequest,
    to: str,
    body: str,
    auto: bool = False,
    config: MailConfig | None = None,
) -> MailMessage:
    """Mail ``to`` about an incident or request, threaded: the reference in the subject, our
    Message-ID, In-Reply-To the last message of the thread and References the thread's ids.
    Sent after commit, from the mailbox the thread's last message came in through."""
    if config is None:
        last_in = (
            ticket.mail_messages.filter(direction=MailDirection.INBOUND).order_by("-created", "-pk").first()
        )
        config = mailbox_config(last_in.mailbox_id if last_in else None)
    thread = list(ticket.mail_messages.order_by("created", "pk").values_list("message_id", flat=True))
    message_id = f"{uuid.uuid4().hex}@{desk_domain(config)}"
    subject = f"[{ticket.reference}] {ticket.short_description}"
    headers = {
        "Message-ID": f"<{message_id}>",
        LOOP_HEADER: desk_domain(config),
    }
    if thread:
        headers["In-Reply-To"] = f"<{thread[-1]}>"
        headers["References"] = " ".join(f"<{i}>" for i in thread[-20:])
    if auto:
        headers["Auto-Submitted"] = "auto-replied"
    link = {"service_request": ticket} if isinstance(ticket, ServiceRequest) else {"incident": ticket}
    row = MailMessage(
        **link, direction=MailDirection.OUTBOUND, message_id=message_id,
        in_reply_to=thread[-1] if thread else "", references=" ".join(thread[-20:]),
        from_address=config.address or settings.DEFAULT_FROM_EMAIL, to_addresses=to, subject=subject[:250],
        mailbox_id=config.mailbox_id,
        body_text=body, sent_at=timezone.now(), source="smtp",
    )  # fmt: skip
    row.full_clean()
    row.save()
    outgoing = OutgoingMessage(
        subject=subject, body=body, from_email=row.from_address, to=[to], headers=headers
    )
    transaction.on_commit(lambda: outgoing.send(fail_silently=False), robust=True)
    return row


def comment_added(*, note: IncidentNote, actor: Any) -> MailMessage | None:
    """Mail an agent's comment to the caller (never work notes, never the caller's own words)."""
    incident = note.incident
    caller = incident.caller if incident.caller_id else None
    if note.kind != NoteKind.COMMENT or caller is None or not caller.email:
        return None
    if caller.user_id and getattr(actor, "pk", None) == caller.user_id:
        return None
    return send_ticket_mail(ticket=incident, to=caller.email, body=note.body)


def request_comment_added(*, request: ServiceRequest, actor: Any, body: str) -> MailMessage | None:
    """Mail a comment on a request to its requester when the request talks by mail (it was
    opened by mail or has mail in its thread); never the requester's own words."""
    requester = request.requester if request.requester_id else None
    if requester is None or not requester.email or actor is None:
        return None
    if requester.user_id and getattr(actor, "pk", None) == requester.user_id:
        return None
    if not request.mail_messages.exists():
        return None
    return send_ticket_mail(ticket=request, to=requester.email, body=body)


# --- sources --------------------------------------------------------------------------------
@dataclass
class BatchReport:
    results: list[IntakeResult] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    def summary(self) -> str:
        parts = [f"{self.count(o)} {o}" for o in ("created", "threaded", "ignored", "duplicate")]
        return ", ".join(parts) + f", {len(self.errors)} refused"


def take_in_many(
    messages: Iterable[tuple[str, bytes]], *, source: str, config: MailConfig | None = None
) -> BatchReport:
    """Take in each (label, raw) message on its own: one bad message does not stop the others."""
    report = BatchReport()
    config = config or mail_config()
    for label, raw in messages:
        try:
            report.results.append(take_in(raw=raw, source=source, config=config))
        except MailError as exc:
            report.errors.append(f"{label}: {exc}")
    return report


def read_maildir(path: str | Path) -> Iterable[tuple[str, bytes]]:
    """Messages of a maildir (new/ and cur/), oldest file name first."""
    folder = Path(path)
    if not (folder / "new").is_dir() and not (folder / "cur").is_dir():
        raise MailError(f"{folder}: not a maildir (it needs new/ and cur/ folders).")
    box = mailbox.Maildir(folder, factory=None, create=False)
    for key in sorted(box.keys()):
        with box.get_file(key) as handle:
            yield key, handle.read()


def poll_all() -> BatchReport:
    """Poll every enabled mailbox in turn; one that cannot be reached does not stop the others."""
    report = BatchReport()
    configs = [c for c in mail_configs() if c.configured]
    if not configs:
        raise MailError("No mailbox is configured (set up a Mailbox or STEWARD_MAIL_IMAP_HOST).")
    for config in configs:
        try:
            one = poll_imap(config=config)
        except (MailError, OSError, imaplib.IMAP4.error) as exc:
            report.errors.append(f"mailbox {config.name}: {exc}")
            continue
        report.results += one.results
        report.errors += [f"mailbox {config.name}: {error}" for error in one.errors]
    return report


def poll_imap(*, config: MailConfig | None = None) -> BatchReport:
    """Read the mailbox's unseen messages, take each in, and mark it seen (refused ones flagged too)."""
    config = config or mail_config()
    if not config.configured:
        raise MailError("No mailbox is configured (set up a Mailbox or STEWARD_MAIL_IMAP_HOST).")
    connect = imaplib.IMAP4_SSL if config.use_ssl else imaplib.IMAP4
    report = BatchReport()
    with connect(config.host, config.port, timeout=30) as imap:
        imap.login(config.username, config.password)
        status, _ = imap.select(config.folder)
        if status != "OK":
            raise MailError(f"{config.folder}: the folder cannot be opened.")
        _, data = imap.uid("SEARCH", None, "UNSEEN")
        for uid in (data[0] or b"").split():
            _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), b"")
            try:
                report.results.append(take_in(raw=raw, source="imap", config=config))
                flags = r"(\Seen)"
            except MailError as exc:
                report.errors.append(f"IMAP uid {uid.decode()}: {exc}")
                flags = r"(\Seen \Flagged)"  # left for a person to look at, not retried forever
            imap.uid("STORE", uid, "+FLAGS", flags)
    return report
