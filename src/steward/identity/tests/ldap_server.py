"""A throw-away OpenLDAP ``slapd`` on a free loopback port, for the directory tests."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUFFIX = "dc=example,dc=org"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "secret"  # noqa: S105 - a throw-away test directory

CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {d}/slapd.pid
database mdb
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {d}/db
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available() -> bool:
    return bool(shutil.which("slapd")) and Path("/etc/ldap/schema/inetorgperson.schema").exists()


@contextmanager
def running_slapd() -> Iterator[str]:
    """Start slapd; yield its ldap:// URI; stop it by pid afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="steward-slapd-"))
    (folder / "db").mkdir()
    (folder / "slapd.conf").write_text(
        CONFIG.format(d=folder, suffix=SUFFIX, admin=ADMIN_DN, password=ADMIN_PASSWORD)
    )
    port = free_port()
    uri = f"ldap://127.0.0.1:{port}"
    subprocess.run(  # noqa: S603
        [shutil.which("slapd") or "slapd", "-f", str(folder / "slapd.conf"), "-h", f"{uri}/"],
        check=True,
        timeout=30,
    )
    pid_file = folder / "slapd.pid"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("slapd did not start")
        yield uri
    finally:
        if pid_file.exists():
            os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
            for _ in range(50):
                if not pid_file.exists():
                    break
                time.sleep(0.1)
        shutil.rmtree(folder, ignore_errors=True)


def seed(uri: str) -> None:
    """Load people and groups: a manager, three staff, an admin group and a team group."""
    import ldap3

    conn = ldap3.Connection(ldap3.Server(uri), ADMIN_DN, ADMIN_PASSWORD, auto_bind=True)
    conn.add(SUFFIX, ["dcObject", "organization"], {"o": "Example", "dc": "example"})
    conn.add(f"ou=people,{SUFFIX}", ["organizationalUnit"], {"ou": "people"})
    conn.add(f"ou=groups,{SUFFIX}", ["organizationalUnit"], {"ou": "groups"})
    people = [
        ("mgr", "Mona", "Grant", "Head of IT", "IT", None),
        ("alice", "Alice", "Archer", "Engineer", "IT", "mgr"),
        ("bob", "Bob", "Baker", "Analyst", "Finance", "mgr"),
        ("carol", "Carol", "Cole", "Technician", "IT", "mgr"),
    ]
    for uid, given, sn, title, dept, manager in people:
        attrs = {
            "uid": uid,
            "cn": f"{given} {sn}",
            "givenName": given,
            "sn": sn,
            "mail": f"{uid}@example.org",
            "title": title,
            "departmentNumber": dept,
            "telephoneNumber": "+44 20 7946 0000",
            "employeeNumber": f"E-{uid}",
            "userPassword": f"pw-{uid}",
        }
        if manager:
            attrs["manager"] = f"uid={manager},ou=people,{SUFFIX}"
        assert conn.add(f"uid={uid},ou=people,{SUFFIX}", ["inetOrgPerson"], attrs), conn.result
    for cn, members in (("admins", ["mgr"]), ("service-desk", ["alice", "bob", "carol"])):
        assert conn.add(
            f"cn={cn},ou=groups,{SUFFIX}",
            ["groupOfNames"],
            {
                "cn": cn,
                "description": f"The {cn}",
                "member": [f"uid={m},ou=people,{SUFFIX}" for m in members],
            },
        ), conn.result
    conn.unbind()


def admin_connection(uri: str):  # noqa: ANN201
    import ldap3

    return ldap3.Connection(ldap3.Server(uri), ADMIN_DN, ADMIN_PASSWORD, auto_bind=True)


def seed_bob_again(uri: str) -> None:
    """Undo the deletion a test made, so tests sharing the directory stay independent."""
    conn = admin_connection(uri)
    conn.add(
        f"uid=bob,ou=people,{SUFFIX}",
        ["inetOrgPerson"],
        {
            "uid": "bob",
            "cn": "Bob Baker",
            "givenName": "Bob",
            "sn": "Baker",
            "mail": "bob@example.org",
            "title": "Analyst",
            "departmentNumber": "Finance",
            "telephoneNumber": "+44 20 7946 0000",
            "employeeNumber": "E-bob",
            "userPassword": "pw-bob",
            "manager": f"uid=mgr,ou=people,{SUFFIX}",
        },
    )
    conn.modify(f"uid=alice,ou=people,{SUFFIX}", {"title": [("MODIFY_REPLACE", ["Engineer"])]})
    conn.modify(
        f"cn=service-desk,ou=groups,{SUFFIX}", {"member": [("MODIFY_ADD", [f"uid=bob,ou=people,{SUFFIX}"])]}
    )
    conn.unbind()
