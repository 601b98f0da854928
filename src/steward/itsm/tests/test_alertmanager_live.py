"""End to end: Debian's real Alertmanager posts its webhooks to a live Steward server thread.

``amtool`` raises an alert for ``web-01:9100``; Alertmanager groups it and calls our endpoint
with a scoped token; an incident opens on the item. Ending the alert makes Alertmanager send the
resolved notification with the same fingerprint: a note is added and the incident resolved.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group

from steward.cmdb.models import CIClass, ConfigurationItem
from steward.core.models import Token
from steward.itsm import alerts
from steward.itsm.models import Alert, Incident, IncidentNote
from steward.utilities.testing import grant, make_user

ALERTMANAGER = shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
AMTOOL = shutil.which("amtool") or "/usr/bin/amtool"

pytestmark = [
    pytest.mark.skipif(
        not (os.path.exists(ALERTMANAGER) and os.path.exists(AMTOOL)),
        reason="needs Debian's prometheus-alertmanager (apt-get install -y prometheus-alertmanager)",
    ),
    pytest.mark.django_db(transaction=True),
]

CONFIG = """\
route:
  receiver: steward
  group_by: [alertname, instance]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: steward
    webhook_configs:
      - url: {url}
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials_file: {credentials}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check: Callable[[], Any], timeout: float = 30.0, what: str = "") -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def alertmanager(live_server: Any) -> Iterator[tuple[str, Any]]:
    user = make_user("alertmanager")
    user.groups.add(Group.objects.get_or_create(name="Incident managers")[0])
    grant(user, Incident, "view", "add", "change")
    grant(user, Alert, "view", "add", "change")
    grant(user, IncidentNote, "view", "add")
    _token, key = Token.issue(user=user, scope=alerts.TOKEN_SCOPE, description="Alertmanager")
    folder = Path(tempfile.mkdtemp(prefix="steward-am-"))
    (folder / "token").write_text(key)
    (folder / "token").chmod(0o600)
    (folder / "alertmanager.yml").write_text(
        CONFIG.format(url=f"{live_server.url}/api/itsm/alerts/alertmanager/", credentials=folder / "token")
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (folder / "alertmanager.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - fixed binary, arguments we built
        [
            ALERTMANAGER,
            f"--config.file={folder / 'alertmanager.yml'}",
            f"--storage.path={folder / 'data'}",
            f"--web.listen-address=127.0.0.1:{port}",
            "--cluster.listen-address=",
            "--log.level=debug",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def ready() -> bool:
            try:
                with urllib.request.urlopen(f"{base}/-/ready", timeout=1) as response:  # noqa: S310
                    return response.status == 200
            except OSError:
                return False

        wait_for(ready, 20, "Alertmanager to start")
        yield base, folder
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
        shutil.rmtree(folder, ignore_errors=True)


def amtool(base: str, *args: str) -> None:
    subprocess.run(  # noqa: S603 - fixed binary, arguments we built
        [AMTOOL, f"--alertmanager.url={base}", "alert", "add", *args],
        check=True,
        capture_output=True,
        timeout=20,
    )


def test_real_alertmanager_opens_and_resolves_an_incident_on_the_item(alertmanager):
    base, folder = alertmanager
    from steward.cmdb.services import load_classes

    load_classes()  # a transactional test's flush removes what migrations loaded
    server = CIClass.objects.get(slug="server")
    web01 = ConfigurationItem.objects.create(name="web-01", ci_class=server)
    labels = ["alertname=NodeDown", "instance=web-01:9100", "severity=critical", "job=node"]
    amtool(base, *labels, "--annotation=summary=Node exporter unreachable")
    incident = wait_for(
        lambda: Incident.objects.filter(configuration_item=web01).first(),
        what=f"the incident (Alertmanager log: {(folder / 'alertmanager.log').read_text()[-2000:]})",
    )
    assert incident.short_description.startswith("NodeDown on web-01")
    assert incident.priority == "1"
    alert = Alert.objects.get()
    assert alert.status == "firing" and alert.host == "web-01" and alert.receiver == "steward"
    end = (dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    amtool(base, *labels, f"--end={end}", "--annotation=summary=Node exporter unreachable")
    wait_for(
        lambda: Incident.objects.filter(pk=incident.pk, state="resolved").exists(),
        what=f"the resolution (Alertmanager log: {(folder / 'alertmanager.log').read_text()[-2000:]})",
    )
    note = IncidentNote.objects.get(incident=incident)
    assert "NodeDown on web-01 resolved" in note.body
    assert Alert.objects.get().fingerprint == alert.fingerprint and Incident.objects.count() == 1
