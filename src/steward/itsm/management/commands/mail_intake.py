"""``steward mail-intake``: take in RFC 5322 messages from a maildir, standard input or the mailbox."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from steward.itsm.servicedesk import mail


class Command(BaseCommand):
    help = (
        "Open incidents from new mail and thread replies onto their incidents. Give --maildir DIR, "
        "'-' to read one message from standard input (e.g. piped by the MTA), or --imap to poll the mailbox now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", nargs="?", help="'-' for one message on standard input")
        parser.add_argument("--maildir", help="a maildir folder (with new/ and cur/)")
        parser.add_argument("--imap", action="store_true", help="poll every enabled IMAP mailbox")
        parser.add_argument(
            "--mailbox",
            help="with a maildir or standard input: take the mail in as read from this mailbox (name)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = [bool(options["maildir"]), options["source"] == "-", options["imap"]]
        if sum(chosen) != 1 or (options["source"] not in (None, "-")):
            raise CommandError("Give exactly one of: --maildir DIR, - (standard input), --imap.")
        config = None
        if options["mailbox"]:
            if options["imap"]:
                raise CommandError(
                    "--mailbox goes with --maildir or standard input; --imap polls every mailbox."
                )
            config = next((c for c in mail.mail_configs() if c.name == options["mailbox"]), None)
            if config is None or config.mailbox_id is None:
                raise CommandError(f"--mailbox: no enabled mailbox is named {options['mailbox']!r}.")
        try:
            if options["imap"]:
                report = mail.poll_all()
            elif options["maildir"]:
                report = mail.take_in_many(
                    mail.read_maildir(options["maildir"]), source="maildir", config=config
                )
            else:
                report = mail.take_in_many(
                    [("stdin", sys.stdin.buffer.read())], source="stdin", config=config
                )
        except (mail.MailError, OSError) as exc:
            raise CommandError(str(exc)) from None
        for error in report.errors:
            self.stderr.write(error)
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(f"{len(report.errors)} message(s) refused; see above.")
