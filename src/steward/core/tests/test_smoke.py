import pytest
from django.urls import reverse

from steward.org.models import Person

pytestmark = pytest.mark.django_db


def test_person_pages_render_for_superuser(admin_client):
    person = Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    for name in ("org:person_list", "org:person_add"):
        assert admin_client.get(reverse(name)).status_code == 200
    for name in ("org:person_detail", "org:person_edit", "org:person_history", "org:person_delete"):
        assert admin_client.get(reverse(name, kwargs={"pk": person.pk})).status_code == 200
