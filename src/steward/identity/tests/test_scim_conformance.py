"""``scim2-tester`` against Steward's SCIM endpoint served on a loopback port.

Every check the tester runs must be SUCCESS or SKIPPED; a failure prints the tester's reason.
"""

from __future__ import annotations

from typing import Any

import pytest

from steward.core.models import Token, TokenScope
from steward.org.models import Person, Team
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db(transaction=True)


def test_scim2_tester_passes_every_check(live_server: Any) -> None:
    httpx2 = pytest.importorskip("httpx2")
    pytest.importorskip("scim2_tester")
    from scim2_client.engines.httpx2 import SyncSCIMClient
    from scim2_tester import Status, check_server

    user = make_user("provisioner")
    grant(user, Person, "view", "add", "change", "delete")
    grant(user, Team, "view", "add", "change", "delete")
    _token, key = Token.issue(user=user, scope=TokenScope.SCIM, write_enabled=True)
    http = httpx2.Client(base_url=f"{live_server.url}/scim/v2", headers={"Authorization": f"Bearer {key}"})
    client = SyncSCIMClient(http)
    results = check_server(client)
    failures = [r for r in results if r.status not in (Status.SUCCESS, Status.SKIPPED)]
    report = "\n".join(f"{r.title} [{r.resource_type}]: {r.status.name} {r.reason}" for r in failures)
    assert not failures, f"{len(failures)} of {len(results)} checks failed:\n{report}"
    assert sum(r.status == Status.SUCCESS for r in results) > 50
    skipped = [f"{r.title} [{r.resource_type}]: {r.reason}" for r in results if r.status == Status.SKIPPED]
    print(
        f"scim2-tester: {len(results)} checks, {len(results) - len(skipped)} passed, {len(skipped)} skipped"
    )
    print("\n".join(skipped))
