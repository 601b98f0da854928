"""Software inventory: products and installations through the generic UI and API, and their rules."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from steward.cmdb.models import CIClass, ConfigurationItem, SoftwareInstallation, SoftwareProduct
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases


def make_item(name: str) -> ConfigurationItem:
    return ConfigurationItem.objects.create(name=name, ci_class=CIClass.objects.get(slug="server"))


# --- products -----------------------------------------------------------------------------------
class SoftwareProductData:
    model = SoftwareProduct
    csv_data = (
        "ecosystem,vendor,name,description",
        "deb,debian,curl,Transfer tool",
        "pypi,,requests,",
        "generic,acme,Acme Backup,Backup agent",
    )
    bulk_edit_data = {"description": "Changed in bulk"}
    invalid_data = {"ecosystem": "cobol"}
    field_constraint = {"ecosystem": "deb"}
    move_out_data = {"ecosystem": "rpm"}
    create_data = {"ecosystem": "deb", "vendor": "debian", "name": "nginx"}
    api_create_data = [
        {"ecosystem": "deb", "vendor": "debian", "name": "nginx"},
        {"ecosystem": "pypi", "name": "django", "purl": "pkg:pypi/django"},
        {"ecosystem": "npm", "name": "htmx.org"},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for name in ("openssl", "bash", "zlib1g"):
            SoftwareProduct.objects.create(ecosystem="deb", vendor="debian", name=name)


class SoftwareProductViewTest(SoftwareProductData, ViewTestCases.ObjectViewTestCase):
    pass


class SoftwareProductAPITest(SoftwareProductData, APITestCases.APIViewTestCase):
    pass


# --- installations ------------------------------------------------------------------------------
class SoftwareInstallationData:
    model = SoftwareInstallation
    bulk_edit_data = {"architecture": "arm64"}
    invalid_data = {"source": "rumour"}
    field_constraint = {"source": "agent"}
    move_out_data = {"source": "manual"}

    @classmethod
    def setUpTestData(cls) -> None:
        host = make_item("web-01")
        other = make_item("web-02")
        products = [SoftwareProduct.objects.create(ecosystem="deb", vendor="debian", name=n) for n in "abc"]
        for product in products:
            SoftwareInstallation.objects.create(
                configuration_item=host, product=product, version="1.0-1", source="agent"
            )
        cls.csv_data = (
            "configuration_item,product,version,architecture,source",
            f"{other.reference},{products[0].pk},2.0,amd64,agent",
            f"{other.reference},{products[1].pk},2.0,amd64,agent",
            f"{other.reference},{products[2].pk},2.0,,import",
        )
        cls.create_data = {
            "configuration_item": other.pk,
            "product": products[0].pk,
            "version": "3",
            "source": "agent",
        }
        cls.api_create_data = [
            {"configuration_item": other.pk, "product": products[0].pk, "version": "4.1"},
            {"configuration_item": other.pk, "product": products[1].pk, "version": "4.2", "source": "agent"},
            {
                "configuration_item": other.pk,
                "product": products[2].pk,
                "version": "4.3",
                "architecture": "amd64",
            },
        ]


class SoftwareInstallationViewTest(SoftwareInstallationData, ViewTestCases.ObjectViewTestCase):
    pass


class SoftwareInstallationAPITest(SoftwareInstallationData, APITestCases.APIViewTestCase):
    pass


# --- rules --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_product_derives_its_package_url_and_normalises_names():
    product = SoftwareProduct(ecosystem="deb", vendor=" Debian ", name="OpenSSL")
    product.full_clean()
    product.save()
    assert (product.vendor, product.name, product.purl) == ("debian", "openssl", "pkg:deb/debian/openssl")
    generic = SoftwareProduct.objects.create(ecosystem="generic", vendor="acme", name="Acme Backup")
    assert generic.purl == ""


@pytest.mark.django_db
def test_package_url_must_look_like_one():
    product = SoftwareProduct(ecosystem="pypi", name="django", purl="https://pypi.org/django")
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "purl" in error.value.message_dict


@pytest.mark.django_db
def test_one_row_per_item_product_version_and_architecture():
    host = make_item("db-01")
    product = SoftwareProduct.objects.create(ecosystem="deb", vendor="debian", name="postgresql-15")
    SoftwareInstallation.objects.create(configuration_item=host, product=product, version="15.8-0+deb12u1")
    with pytest.raises(IntegrityError), transaction.atomic():
        SoftwareInstallation.objects.create(
            configuration_item=host, product=product, version="15.8-0+deb12u1"
        )
    SoftwareInstallation.objects.create(configuration_item=host, product=product, version="15.9-0+deb12u1")
    assert host.installations.count() == 2
