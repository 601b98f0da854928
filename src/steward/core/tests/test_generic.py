"""The generic UI and API test cases applied to core's registered models: data only."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from steward.core.models import CustomField, Tag
from steward.org.models import Organisation, Person
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


class TagData:
    model = Tag
    csv_data = (
        "name,slug,colour,description",
        "Gold,gold,#ffd700,Top tier",
        "Silver,silver,#c0c0c0,",
        "Bronze,bronze,#cd7f32,",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"colour": "red"}
    field_constraint = {"colour": "#206bc4"}
    move_out_data = {"colour": "#000000"}
    create_data = {"name": "Urgent", "slug": "urgent", "colour": "#ff0000", "description": "Now"}
    api_create_data = [
        {"name": "Urgent", "slug": "urgent", "colour": "#ff0000"},
        {"name": "Later", "slug": "later"},
        {"name": "Legacy", "slug": "legacy", "description": "Old"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("Red", "Green", "Blue"):
            Tag.objects.create(name=name, slug=name.lower())


class TagViewTest(TagData, ViewTestCases.ObjectViewTestCase):
    pass


class TagAPITest(TagData, APITestCases.APIViewTestCase):
    pass


class CustomFieldData:
    model = CustomField
    bulk_edit_data = {"description": "Changed in bulk", "weight": "50"}
    invalid_data = {"name": "Not A Name"}
    field_constraint = {"weight": 100}
    move_out_data = {"weight": "5"}

    @classmethod
    def setUpTestData(cls) -> None:
        org = ContentType.objects.get_for_model(Organisation)
        person = ContentType.objects.get_for_model(Person)
        for name, kind in (("cost_code", "text"), ("floor", "integer"), ("vip", "boolean")):
            CustomField.objects.create(name=name, type=kind).object_types.set([org])
        cls.csv_data = (
            "object_types,name,type,choices",
            f"{org.pk},budget,decimal,",
            f'"{org.pk},{person.pk}",website,url,',
            f'{person.pk},tier,select,"[""gold"", ""silver""]"',
        )
        cls.create_data = {
            "object_types": [org.pk, person.pk],
            "name": "region",
            "label": "Region",
            "type": "select",
            "choices": '["emea", "apac"]',
            "default": '"emea"',
            "weight": "10",
        }
        cls.api_create_data = [
            {"object_types": [org.pk], "name": "region", "type": "select", "choices": ["emea", "apac"]},
            {"object_types": [person.pk], "name": "badge", "type": "integer", "validation_minimum": "1"},
            {"object_types": [org.pk, person.pk], "name": "notes", "type": "longtext", "required": False},
        ]


class CustomFieldViewTest(CustomFieldData, ViewTestCases.ObjectViewTestCase):
    pass


class CustomFieldAPITest(CustomFieldData, APITestCases.APIViewTestCase):
    pass
