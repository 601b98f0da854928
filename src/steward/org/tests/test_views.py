"""The generic UI tests applied to every org model: data only."""

from __future__ import annotations

from steward.org.models import Organisation
from steward.utilities.testing.views import ViewTestCases


class OrganisationViewTest(ViewTestCases.ObjectViewTestCase):
    model = Organisation
    csv_data = (
        "name,slug,description",
        "Delta,delta,Fourth",
        "Echo,echo,Fifth",
        "Foxtrot,foxtrot,",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"slug": "not a slug!"}

    @classmethod
    def setUpTestData(cls) -> None:
        Organisation.objects.bulk_create(
            [Organisation(name=n, slug=n.lower()) for n in ("Alpha", "Bravo", "Charlie")]
        )
        cls.create_data = {"name": "Zulu", "slug": "zulu", "description": "New"}
