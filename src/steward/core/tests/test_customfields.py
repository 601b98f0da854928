"""Custom fields: per-type validation, required, defaults; in forms, the API and filters."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from steward.core.models import CustomField, CustomFieldType
from steward.org.filtersets import OrganisationFilterSet
from steward.org.models import Organisation, Person
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


def cf(name, type=CustomFieldType.TEXT, model=Organisation, **kwargs):
    field = CustomField(name=name, type=type, **kwargs)
    field.full_clean()
    field.save()
    field.object_types.set([ContentType.objects.get_for_model(model)])
    return field


def _invalid(field, value, match):
    with pytest.raises(ValidationError, match=match):
        field.validate(value)


# --- per type -------------------------------------------------------------------------------
def test_integer_min_max_and_bad_values():
    f = cf("seats", CustomFieldType.INTEGER, validation_minimum=Decimal(1), validation_maximum=Decimal(10))
    for ok in (1, 10, "5"):
        f.validate(ok)
    _invalid(f, 0, "at least 1")
    _invalid(f, 11, "at most 10")
    _invalid(f, "ten", "not a valid Integer")
    _invalid(f, True, "not a valid Integer")
    _invalid(f, 2.5, "not a valid Integer")
    assert f.to_python("7") == 7


def test_decimal_bounds_and_storage_as_text():
    f = cf("ratio", CustomFieldType.DECIMAL, validation_maximum=Decimal("1.5"))
    f.validate("1.5")
    _invalid(f, "1.51", "at most")
    _invalid(f, "abc", "not a valid Decimal")
    assert f.to_python(Decimal("0.10")) == "0.10"


def test_text_regex():
    f = cf("code", validation_regex=r"^[A-Z]{3}$")
    f.validate("ABC")
    _invalid(f, "abcd", "Must match")


def test_invalid_regex_is_refused_on_the_definition():
    with pytest.raises(ValidationError) as exc:
        CustomField(name="bad", validation_regex="([").full_clean()
    assert "validation_regex" in exc.value.message_dict


def test_select_and_multiselect_choices():
    single = cf("tier", CustomFieldType.SELECT, choices=["gold", "silver"])
    single.validate("gold")
    _invalid(single, "bronze", "not one of the choices")
    multi = cf("regions", CustomFieldType.MULTISELECT, choices=["eu", "us", "apac"])
    multi.validate(["eu", "us"])
    multi.validate("eu, apac")
    _invalid(multi, ["eu", "mars"], "mars")
    with pytest.raises(ValidationError) as exc:
        CustomField(name="nochoices", type=CustomFieldType.SELECT).full_clean()
    assert "choices" in exc.value.message_dict


def test_url_schemes():
    f = cf("homepage", CustomFieldType.URL)
    f.validate("https://example.org/x")
    for bad in ("javascript:alert(1)", "ftp://example.org", "not a url"):
        with pytest.raises(ValidationError):
            f.validate(bad)


def test_boolean_date_datetime():
    b = cf("vip", CustomFieldType.BOOLEAN)
    assert (b.to_python("yes"), b.to_python("0"), b.to_python(False)) == (True, False, False)
    _invalid(b, "maybe", "not a valid Boolean")
    d = cf("since", CustomFieldType.DATE)
    assert d.to_python("2026-01-31") == "2026-01-31"
    _invalid(d, "2026-02-30", "not a valid Date")
    _invalid(d, "yesterday", "not a valid Date")
    dt = cf("seen", CustomFieldType.DATETIME)
    assert dt.to_python("2026-01-31T10:00:00+00:00").startswith("2026-01-31T10:00:00")
    _invalid(dt, "noon", "not a valid Date and time")


def test_object_reference_must_exist():
    person = Person.objects.create(first_name="A", last_name="B", email="ab@example.org")
    f = cf("owner", CustomFieldType.OBJECT, related_object_type=ContentType.objects.get_for_model(Person))
    f.validate(person.pk)
    f.validate(str(person.pk))
    assert f.to_python(person) == person.pk
    _invalid(f, person.pk + 1000, "No such object")
    _invalid(f, "abc", "not a valid")
    with pytest.raises(ValidationError) as exc:
        CustomField(name="noref", type=CustomFieldType.OBJECT).full_clean()
    assert "related_object_type" in exc.value.message_dict


def test_required_and_default():
    f = cf("cost_code", required=True)
    for empty in (None, "", []):
        _invalid(f, empty, "required")
    with pytest.raises(ValidationError) as exc:
        CustomField(
            name="bad_default", type=CustomFieldType.INTEGER, default=99, validation_maximum=Decimal(10)
        ).full_clean()
    assert "default" in exc.value.message_dict


def test_model_clean_names_the_field_and_rejects_unknown_keys():
    cf("seats", CustomFieldType.INTEGER, validation_maximum=Decimal(10))
    org = Organisation(name="Acme", slug="acme", custom_field_data={"seats": 50, "ghost": 1})
    with pytest.raises(ValidationError) as exc:
        org.full_clean()
    assert set(exc.value.message_dict) == {"cf_seats", "cf_ghost"}


def test_fields_apply_only_to_their_models():
    cf("seats", CustomFieldType.INTEGER, model=Person)
    assert [f.name for f in CustomField.objects.for_model(Person)] == ["seats"]
    assert CustomField.objects.for_model(Organisation) == []


# --- forms ----------------------------------------------------------------------------------
@pytest.fixture
def editor(client):
    user = make_user("editor")
    grant(user, Organisation, "view", "add", "change")
    client.force_login(user)
    return user


def test_form_shows_custom_fields_with_defaults(client, editor):
    cf("seats", CustomFieldType.INTEGER, default=3, label="Seats")
    cf("tier", CustomFieldType.SELECT, choices=["gold", "silver"])
    response = client.get(reverse("org:organisation_add"))
    form = response.context["form"]
    assert "cf_seats" in form.fields and "cf_tier" in form.fields
    assert form.initial["cf_seats"] == 3
    assert 'name="cf_seats"' in response.content.decode()


def test_form_saves_and_validates_custom_fields(client, editor):
    cf("seats", CustomFieldType.INTEGER, validation_maximum=Decimal(10))
    url = reverse("org:organisation_add")
    bad = client.post(url, {"name": "Acme", "slug": "acme", "cf_seats": "50"})
    assert bad.status_code == 422
    assert "cf_seats" in bad.context["form"].errors
    assert not Organisation.objects.exists()
    good = client.post(url, {"name": "Acme", "slug": "acme", "cf_seats": "5"})
    assert good.status_code == 302
    assert Organisation.objects.get().custom_field_data == {"seats": 5}


def test_form_requires_required_fields(client, editor):
    cf("cost_code", required=True)
    response = client.post(reverse("org:organisation_add"), {"name": "Acme", "slug": "acme"})
    assert response.status_code == 422
    assert "cf_cost_code" in response.context["form"].errors


# --- API ------------------------------------------------------------------------------------
def test_api_accepts_and_rejects_custom_fields_naming_the_field(client, editor):
    cf("seats", CustomFieldType.INTEGER, validation_maximum=Decimal(10))
    cf("tier", CustomFieldType.SELECT, choices=["gold", "silver"], default="silver")
    url = "/api/org/organisations/"
    ok = client.post(
        url,
        {"name": "Acme", "slug": "acme", "custom_fields": {"seats": "4"}},
        content_type="application/json",
    )
    assert ok.status_code == 201, ok.content
    assert ok.json()["custom_fields"] == {"seats": 4, "tier": "silver"}

    for body, field in (
        ({"seats": 99}, "cf_seats"),
        ({"tier": "bronze"}, "cf_tier"),
        ({"ghost": 1}, "cf_ghost"),
    ):
        response = client.post(
            url, {"name": "Beta", "slug": "beta", "custom_fields": body}, content_type="application/json"
        )
        assert response.status_code == 400, body
        assert field in response.content.decode()
    assert Organisation.objects.count() == 1

    not_an_object = client.post(
        url, {"name": "Beta", "slug": "beta", "custom_fields": [1]}, content_type="application/json"
    )
    assert not_an_object.status_code == 400
    assert "custom_fields" in not_an_object.json()


def test_api_defaults_apply_to_fields_left_out(client, editor):
    cf("seats", CustomFieldType.INTEGER)
    cf("tier", CustomFieldType.SELECT, choices=["gold", "silver"], default="silver")
    none_given = client.post(
        "/api/org/organisations/", {"name": "Acme", "slug": "acme"}, content_type="application/json"
    )
    assert none_given.json()["custom_fields"] == {"tier": "silver"}


def test_api_patch_merges_and_validates(client, editor):
    cf("seats", CustomFieldType.INTEGER, validation_maximum=Decimal(10))
    cf("code", validation_regex=r"^[A-Z]+$")
    org = Organisation.objects.create(name="Acme", slug="acme", custom_field_data={"seats": 2, "code": "AB"})
    url = f"/api/org/organisations/{org.pk}/"
    assert (
        client.patch(url, {"custom_fields": {"seats": 3}}, content_type="application/json").status_code == 200
    )
    org.refresh_from_db()
    assert org.custom_field_data == {"seats": 3, "code": "AB"}
    bad = client.patch(url, {"custom_fields": {"code": "lower"}}, content_type="application/json")
    assert bad.status_code == 400
    assert "cf_code" in bad.content.decode()
    org.refresh_from_db()
    assert org.custom_field_data == {"seats": 3, "code": "AB"}


# --- filters --------------------------------------------------------------------------------
@pytest.fixture
def filtered_orgs():
    person = Person.objects.create(first_name="A", last_name="B", email="ab@example.org")
    cf("seats", CustomFieldType.INTEGER)
    cf("code")
    cf("vip", CustomFieldType.BOOLEAN)
    cf("owner", CustomFieldType.OBJECT, related_object_type=ContentType.objects.get_for_model(Person))
    cf("regions", CustomFieldType.MULTISELECT, choices=["eu", "us"])
    Organisation.objects.create(
        name="Alpha",
        slug="alpha",
        custom_field_data={"seats": 5, "code": "ALPHA", "vip": True, "owner": person.pk, "regions": ["eu"]},
    )
    Organisation.objects.create(
        name="Beta",
        slug="beta",
        custom_field_data={"seats": 50, "code": "BETA", "vip": False, "regions": ["us"]},
    )
    return person


def _filter(**params):
    fs = OrganisationFilterSet(params, queryset=Organisation.objects.all())
    assert fs.is_valid(), fs.errors
    return sorted(fs.qs.values_list("slug", flat=True))


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"cf_seats": "5"}, ["alpha"]),
        ({"cf_seats": "50"}, ["beta"]),
        ({"cf_code": "alp"}, ["alpha"]),
        ({"cf_vip": "true"}, ["alpha"]),
        ({"cf_vip": "false"}, ["beta"]),
        ({"cf_regions": "us"}, ["beta"]),
    ],
)
def test_filters_by_custom_field(filtered_orgs, params, expected):
    assert _filter(**params) == expected


def test_filter_by_object_reference(filtered_orgs):
    assert _filter(cf_owner=str(filtered_orgs.pk)) == ["alpha"]


def test_filters_through_ui_and_api(client, editor, filtered_orgs):
    listing = client.get("/api/org/organisations/?cf_seats=50").json()
    assert [r["slug"] for r in listing["results"]] == ["beta"]
    page = client.get(reverse("org:organisation_list") + "?cf_seats=5")
    assert [o.slug for o in page.context["table"].data] == ["alpha"]


def test_a_bad_filter_value_is_an_error_naming_the_filter(client, editor, filtered_orgs):
    response = client.get("/api/org/organisations/?cf_seats=many")
    assert response.status_code == 400
    assert "cf_seats" in response.json()
    fs = OrganisationFilterSet({"cf_seats": "many"}, queryset=Organisation.objects.all())
    assert not fs.is_valid()
    assert "cf_seats" in fs.errors


def test_select_filter_matches_exactly():
    cf("tier", CustomFieldType.SELECT, choices=["gold", "golden"])
    Organisation.objects.create(name="A", slug="a", custom_field_data={"tier": "gold"})
    Organisation.objects.create(name="B", slug="b", custom_field_data={"tier": "golden"})
    assert _filter(cf_tier="gold") == ["a"]
