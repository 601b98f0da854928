"""Date-time filters accept every ISO 8601 offset and query in UTC (PostgreSQL refuses some)."""

import pytest
from django.test import Client

from steward.utilities.testing import make_user


@pytest.mark.django_db
def test_datetime_filters_with_extreme_offsets_never_fail():
    client = Client()
    client.force_login(make_user("dt", superuser=True))
    response = client.get("/api/core/custom-fields/", {"created_before": "2084-09-01T18:29:30+23:03"})
    assert response.status_code == 200
    response = client.get("/api/org/people/", {"created_after": "0001-01-01T00:00:00+23:59"})
    assert response.status_code in (200, 400)


@pytest.mark.django_db
def test_nul_characters_are_bad_input_not_server_errors():
    client = Client()
    client.force_login(make_user("nul", superuser=True))
    assert client.get("/api/org/people/", {"q": "a\x00b"}).status_code == 400
    response = client.post(
        "/api/core/tags/", {"name": "x\x00y", "slug": "xy"}, content_type="application/json"
    )
    assert response.status_code == 400 and "name" in response.json()
