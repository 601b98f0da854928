"""Acceptance: the real agent, run on this machine against a live server on loopback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from steward.cmdb import services
from steward.cmdb.models import ConfigurationItem
from steward.core.models import ObjectChange, Token
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.live import run_agent


def installed_debs() -> set[tuple[str, str]]:
    out = subprocess.run(
        ["dpkg-query", "-W", "-f", "${Package}\t${Version}\t${db:Status-Abbrev}\n"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {tuple(line.split("\t")[:2]) for line in out.splitlines() if line.split("\t")[2].startswith("ii")}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not Path("/usr/bin/dpkg-query").exists(), reason="needs a Debian machine")
def test_agent_creates_this_machine_with_its_packages_and_a_second_run_changes_nothing(live_server):
    services.load_classes()  # a transactional test before this one may have flushed the catalogue
    user = make_user("agent-acceptance")
    grant(user, ConfigurationItem, "view", "add", "change")
    key = Token.issue(user=user, scope="discovery", write_enabled=True, description="acceptance")[1]

    first = run_agent(live_server.url, key)
    assert first.returncode == 0, first.stderr
    assert "created" in first.stdout
    item = ConfigurationItem.objects.get()
    packages = set(
        item.installations.filter(product__ecosystem="deb").values_list("product__name", "version")
    )
    assert packages == installed_debs()
    assert item.installations.filter(product__ecosystem="pypi", product__name="django").exists()
    assert item.attributes["hostname"]
    assert item.last_discovered is not None
    history = ObjectChange.objects.count()

    second = run_agent(live_server.url, key)
    assert second.returncode == 0, second.stderr
    assert "unchanged" in second.stdout
    assert ConfigurationItem.objects.count() == 1
    assert ObjectChange.objects.count() == history
