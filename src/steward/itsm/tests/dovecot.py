"""A throw-away Dovecot IMAP server on loopback for the mail intake tests (see RECIPES.md)."""

from __future__ import annotations

import contextlib
import imaplib
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CONFIG = """
base_dir = {d}/run
state_dir = {d}/run
log_path = {d}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%u
first_valid_uid = 1
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  chroot =
}}
service anvil {{
  chroot =
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={d}/mail/%u
}}
"""


@dataclass
class Dovecot:
    port: int
    user: str = "desk"
    password: str = "secret"  # noqa: S105 - a throw-away test server on loopback

    def deliver(self, raw: bytes) -> None:
        with imaplib.IMAP4("127.0.0.1", self.port) as imap:
            imap.login(self.user, self.password)
            imap.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)

    def flags(self) -> list[bytes]:
        with imaplib.IMAP4("127.0.0.1", self.port) as imap:
            imap.login(self.user, self.password)
            imap.select("INBOX")
            _, data = imap.fetch("1:*", "(FLAGS)")
            return [d for d in data if d]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dovecot() -> Iterator[Dovecot]:
    """Start Dovecot in a temporary folder on a free port; stop it by pid afterwards."""
    binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
    folder = Path(tempfile.mkdtemp(prefix="steward-dovecot-"))
    folder.chmod(0o755)
    (folder / "mail").mkdir()
    (folder / "run").mkdir()
    shutil.chown(folder / "mail", "dovecot", "dovecot")
    port = free_port()
    (folder / "users").write_text("desk:{PLAIN}secret\n")
    (folder / "users").chmod(0o644)
    (folder / "dovecot.conf").write_text(CONFIG.format(d=folder, port=port))
    subprocess.run([binary, "-c", str(folder / "dovecot.conf")], check=True)  # noqa: S603
    server = Dovecot(port)
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError((folder / "dovecot.log").read_text()) from None
                time.sleep(0.1)
        yield server
    finally:
        pid_file = folder / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            subprocess.run(["kill", str(pid)], check=False)  # noqa: S603, S607
            for _ in range(50):
                if not Path(f"/proc/{pid}").exists():
                    break
                time.sleep(0.1)
        shutil.rmtree(folder, ignore_errors=True)
