"""API fuzzing: schemathesis drives every operation of /api/schema/ in-process (WSGI, no network).

For an administrator and for a limited user (read everything, write only a few rows), every
generated request must get a non-5xx answer whose body matches the schema for its status code.
The number of examples per operation is bounded for CI (``STEWARD_FUZZ_EXAMPLES``, default 4);
``make soak`` raises it.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.contrib.contenttypes.models import ContentType
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from steward.core.models import ObjectPermission, Token
from steward.core.registry import registry
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.factories import make_instance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_connection():
    """A bare WSGI handler closes the database connection after each request (the test client
    does not); keep the test's connection and transaction open."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.CRITICAL)  # 4xx answers are expected by the thousand
    yield
    request_log.setLevel(level)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


EXAMPLES = int(os.environ.get("STEWARD_FUZZ_EXAMPLES", "4"))
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def seed() -> None:
    """Two rows of every registered model, so detail operations sometimes find something."""
    for entry in registry.models.values():
        for _ in range(2):
            make_instance(entry.model)


def limited_user() -> Any:
    user = make_user("fuzz-limited")
    perm = ObjectPermission.objects.create(name="fuzz: read everything", actions=["view"])
    perm.object_types.set(
        ContentType.objects.get_for_models(*[e.model for e in registry.models.values()]).values()
    )
    perm.users.add(user)
    for entry in registry.models.values():
        first = entry.model._default_manager.order_by("pk").first()
        grant(user, entry.model, "add", "change", "delete", constraints={"id__in": [first.pk]})
    return user


def ids_for(path: str) -> list[int]:
    """Primary keys of the model behind an API path such as ``/api/org/people/{id}/``."""
    for entry in registry.models.values():
        prefix = f"/api/{entry.model._meta.app_label}/{entry.url_slug}/"
        if path.startswith(prefix):
            return list(entry.model._default_manager.order_by("pk").values_list("pk", flat=True)[:5])
    return []


def fuzz(user: Any) -> list[str]:
    _token, key = Token.issue(user=user, write_enabled=True)
    headers = {"Authorization": f"Token {key}"}
    app = WSGIHandler()
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", app, headers=headers)
    failures: list[str] = []
    statuses: Counter[str] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        existing = ids_for(operation.path)

        @given(case=operation.as_strategy(), pick=st.sampled_from([None, *existing]))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any, pick: int | None) -> None:
            if pick is not None and case.path_parameters and "id" in case.path_parameters:
                case.path_parameters["id"] = pick  # half the time, a row that exists
            response = case.call(headers=headers)
            statuses[f"{case.method.upper()} {response.status_code}"] += 1
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - collect every operation's failure, then report all
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations > 20, "the schema lists too few operations; is every registered model there?"
    print(f"{operations} operations, responses: {dict(sorted(statuses.items()))}")  # noqa: T201
    # The fuzzer must get past validation sometimes, or it is not testing the writes at all.
    assert any(k.startswith(("POST 2", "PATCH 2", "PUT 2")) for k in statuses), statuses
    return failures


def test_fuzz_as_administrator() -> None:
    seed()
    failures = fuzz(make_user("fuzz-admin", superuser=True))
    assert not failures, "\n\n".join(failures)


def test_fuzz_as_limited_user() -> None:
    seed()
    failures = fuzz(limited_user())
    assert not failures, "\n\n".join(failures)
