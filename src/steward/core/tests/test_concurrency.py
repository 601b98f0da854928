"""Many clients updating the same record through the API at once: no lost update, no 5xx.

Each client is a thread with its own database connection. Writes carry ``If-Match``; a stale one
must get 412 and change nothing. Runs on SQLite and on PostgreSQL (STEWARD_DATABASE_URL).
"""

from __future__ import annotations

import os
import threading
from collections import Counter

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse

from steward.core.models import Tag, Token
from steward.utilities.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = int(os.environ.get("STEWARD_CONCURRENCY_CLIENTS", "50"))
WRITERS = int(os.environ.get("STEWARD_CONCURRENCY_WRITERS", "8"))
INCREMENTS = int(os.environ.get("STEWARD_CONCURRENCY_INCREMENTS", "5"))


def run_threads(count: int, target) -> list[BaseException]:  # noqa: ANN001
    errors: list[BaseException] = []

    def wrapper(index: int) -> None:
        try:
            target(index)
        except BaseException as exc:  # noqa: BLE001 - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=wrapper, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    return errors


@pytest.fixture
def api():
    user = make_user("concurrent", superuser=True)
    _token, key = Token.issue(user=user, write_enabled=True)
    return {"HTTP_AUTHORIZATION": f"Token {key}"}


def test_stale_writes_get_412_and_exactly_one_wins(api):
    tag = Tag.objects.create(name="contended", slug="contended", description="start")
    url = reverse("api:core-tag-detail", kwargs={"pk": tag.pk})
    read_done = threading.Barrier(CLIENTS, timeout=120)
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def client(index: int) -> None:
        c = Client(**api)
        etag = c.get(url)["ETag"]
        read_done.wait()  # everyone holds the same version before anyone writes
        response = c.patch(
            url, {"description": f"client {index}"}, content_type="application/json", HTTP_IF_MATCH=etag
        )
        with lock:
            statuses[response.status_code] += 1

    errors = run_threads(CLIENTS, client)
    assert not errors, errors
    assert statuses == {200: 1, 412: CLIENTS - 1}, statuses
    tag.refresh_from_db()
    assert tag.description.startswith("client ")


def test_read_modify_write_loops_lose_no_update(api):
    tag = Tag.objects.create(name="counter", slug="counter", description="0")
    url = reverse("api:core-tag-detail", kwargs={"pk": tag.pk})
    statuses: Counter[int] = Counter()
    lock = threading.Lock()

    def writer(index: int) -> None:
        c = Client(**api)
        done = 0
        while done < INCREMENTS:
            current = c.get(url)
            value = int(current.json()["description"])
            response = c.patch(
                url,
                {"description": str(value + 1)},
                content_type="application/json",
                HTTP_IF_MATCH=current["ETag"],
            )
            with lock:
                statuses[response.status_code] += 1
            if response.status_code == 200:
                done += 1
            else:
                assert response.status_code == 412, response.content

    errors = run_threads(WRITERS, writer)
    assert not errors, errors
    assert not [s for s in statuses if s >= 500], statuses
    tag.refresh_from_db()
    assert int(tag.description) == WRITERS * INCREMENTS, (tag.description, statuses)
