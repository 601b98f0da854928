"""Discovery's fast paths: they must take exactly what the full checks take, and hide no change."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from steward.cmdb import discovery
from steward.cmdb.models import ConfigurationItem, Drift, SoftwareInstallation, SoftwareProduct
from steward.cmdb.tests.test_discovery import payload
from steward.core.models import ObjectChange

TEXT_VALUES = [None, "", "  ", "x", " Mixed Case ", "a" * 31, "a" * 101, "a" * 201, "nul\x00", 5, ["x"]]
ECOSYSTEMS = ["deb", "rpm", "pypi", "generic", "cobol", None, 3, ["deb"]]


def package_variants() -> list[object]:
    """A seeded sample of packages mixing valid, odd and invalid values in every field."""
    fields = ("name", "version", "architecture", "vendor")
    combos = list(itertools.product(ECOSYSTEMS, *[TEXT_VALUES] * len(fields)))
    picked = random.Random(7).sample(combos, 3000)
    variants: list[object] = []
    for ecosystem, *values in picked:
        pkg = {"ecosystem": ecosystem} | dict(zip(fields, values, strict=True))
        variants.append({k: v for k, v in pkg.items() if v is not None or k == "ecosystem"})
        variants.append(pkg)
    return [*variants, "deb", None, ["deb", "x"], {}]


def test_fast_package_check_accepts_only_what_the_full_check_accepts_unchanged():
    accepted = 0
    for pkg in package_variants():
        fast = discovery._plain_package(pkg)
        checker = discovery._Checker()
        checked = discovery._checked_package(checker, pkg, "packages[0]")
        if fast is not None:
            accepted += 1
            assert (checked, checker.errors) == (fast, {}), pkg
        else:
            assert checked is None or checker.errors, f"a valid package left the fast path: {pkg!r}"
    assert accepted > 100


def test_reported_packages_are_normalised_and_deduplicated():
    packages = [
        {"ecosystem": "deb", "name": " OpenSSL ", "version": " 3.0.15 ", "architecture": "amd64"},
        {"ecosystem": "deb", "name": "openssl", "version": "3.0.15", "architecture": "amd64"},
        {"ecosystem": "rpm", "name": "Bash", "version": None, "vendor": " RedHat "},
        {"ecosystem": "pypi", "name": "Django", "version": "6.1", "architecture": None},
        {"ecosystem": "npm", "name": "React", "version": "19"},
        {"ecosystem": "deb", "name": "   ", "version": "1"},
    ]
    host = discovery.parse_agent_payload(payload(packages=packages))
    assert host.packages == [
        ("deb", "debian", "openssl", "3.0.15", "amd64"),
        ("rpm", "redhat", "bash", "", ""),
        ("pypi", "", "django", "6.1", ""),
        ("npm", "", "React", "19", ""),
    ]


@pytest.mark.parametrize(
    ("package", "path"),
    [
        ({"ecosystem": ["deb"], "name": "a"}, "packages[1].ecosystem"),
        ({"ecosystem": "deb", "name": "a", "version": "1\x00"}, "packages[1].version"),
        ({"ecosystem": "deb", "name": "a", "version": 1}, "packages[1].version"),
        ({"ecosystem": "deb", "name": "a", "vendor": "v" * 101}, "packages[1].vendor"),
        ({"ecosystem": "deb", "name": "a", "architecture": "x" * 31}, "packages[1].architecture"),
        ({"ecosystem": "deb", "name": None}, "packages[1].name"),
        ("deb", "packages[1]"),
    ],
)
def test_a_bad_package_after_a_good_one_is_named(package, path):
    good = {"ecosystem": "deb", "name": "ok", "version": "1"}
    with pytest.raises(discovery.DiscoveryError) as error:
        discovery.parse_agent_payload(payload(packages=[good, package]))
    assert list(error.value.message_dict) == [path]


# --- the repeat path: an unchanged report is cheap, a changed one is seen -----------------------
def many_packages(count: int) -> list[dict]:
    return [
        {"ecosystem": "deb", "name": f"pkg-{i:04d}", "version": f"1.{i}", "architecture": "amd64"}
        for i in range(count)
    ]


def later(hours: int = 1) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def reconcile(data: dict, when: dt.datetime | None = None) -> discovery.ReconcileResult:
    return discovery.reconcile(host=discovery.parse_agent_payload(data), actor=None, now=when)


def installed(item: ConfigurationItem) -> set[tuple[str, str]]:
    return set(item.installations.values_list("product__name", "version"))


@pytest.mark.django_db
def test_an_unchanged_report_costs_the_same_queries_whatever_its_size():
    counts = []
    for serial, count in (("SN-S", 3), ("SN-L", 600)):
        data = payload(serial_number=serial, hostname=f"h-{count}", fqdn="", packages=many_packages(count))
        reconcile(data)
        rows = ObjectChange.objects.count()
        with CaptureQueriesContext(connection) as queries:
            result = reconcile(data, later())
        assert not result.changed and result.installations_seen == count
        assert ObjectChange.objects.count() == rows
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 7, counts


@pytest.mark.django_db
@pytest.mark.parametrize("change", ["version", "removed", "added", "attribute"])
def test_a_report_differing_in_one_thing_is_reconciled(change):
    first = payload(packages=many_packages(50))
    item = reconcile(first).item
    data = copy.deepcopy(first)
    if change == "version":
        data["packages"][7]["version"] = "1.7+security1"
    elif change == "removed":
        del data["packages"][7]
    elif change == "added":
        data["packages"].append(
            {"ecosystem": "deb", "name": "pkg-new", "version": "2", "architecture": "amd64"}
        )
    else:
        data["cpu"] = {"model": "AMD EPYC 7443", "count": 16}
    rows = ObjectChange.objects.count()
    when = later()
    result = reconcile(data, when)
    expected = {
        "version": (1, 1, []),
        "removed": (0, 1, []),
        "added": (1, 0, []),
        "attribute": (0, 0, ["attributes.cpu_count"]),
    }[change]
    assert (result.installations_added, result.installations_retired, result.changed_fields) == expected
    assert result.changed
    logged = expected[0] + expected[1] + len(expected[2]) + result.products_created
    assert result.products_created == (change == "added")
    assert ObjectChange.objects.count() == rows + logged
    packages = discovery.parse_agent_payload(data).packages
    assert installed(item) == {(name, version) for _e, _v, name, version, _a in packages}
    assert set(item.installations.values_list("last_seen", flat=True)) == {when}
    assert reconcile(data, later(2)).changed is False


@pytest.mark.django_db
def test_a_manual_field_edited_since_the_last_report_opens_drift():
    item = reconcile(payload()).item
    item.refresh_from_db()
    item.attributes["os"] = "Windows Server 2022"
    item.save()
    result = reconcile(payload(), later())
    assert result.drifts == ["attributes.os"]
    item.refresh_from_db()
    assert item.attributes["os"] == "Windows Server 2022"
    assert Drift.objects.get().discovered_value == "Debian GNU/Linux"


def edit_the_version(item: ConfigurationItem) -> None:
    row = item.installations.get(product__name="bash")
    row.version = "9.9"
    row.save()


def rename_the_product(item: ConfigurationItem) -> None:
    SoftwareProduct.objects.filter(name="bash").update(name="bash-renamed")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("edit", "created", "left"),
    [(edit_the_version, 0, ("bash", "9.9")), (rename_the_product, 1, ("bash-renamed", "5.2.15-2+b7"))],
)
def test_an_installation_or_product_edited_since_the_last_report_is_put_right(edit, created, left):
    item = reconcile(payload()).item
    edit(item)
    result = reconcile(payload(), later())
    assert (result.installations_added, result.installations_retired, result.products_created) == (
        1,
        1,
        created,
    )
    assert ("bash", "5.2.15-2+b7") in installed(item)
    assert left not in installed(item)


@pytest.mark.django_db
def test_another_sources_row_for_a_reported_package_is_seen_not_duplicated_nor_retired():
    item = reconcile(payload()).item
    bash = item.installations.get(product__name="bash")
    bash.source = "manual"
    bash.save()
    manual_only = SoftwareInstallation.objects.create(
        configuration_item=item, product=bash.product, version="4.0", source="manual"
    )
    when = later()
    result = reconcile(payload(), when)
    assert not result.changed
    bash.refresh_from_db()
    manual_only.refresh_from_db()
    assert (bash.source, bash.last_seen) == ("manual", when)
    assert manual_only.last_seen is None
    assert item.installations.count() == 4


@pytest.mark.django_db
def test_a_scan_that_does_not_retire_leaves_the_agents_rows_alone():
    item = reconcile(payload()).item
    host = discovery.parse_agent_payload(payload(packages=many_packages(2)))
    host.source, host.retire = "fusioninventory", False
    result = discovery.reconcile(host=host, actor=None)
    assert (result.installations_added, result.installations_retired) == (2, 0)
    assert item.installations.count() == 5
    assert set(
        item.installations.filter(product__name__startswith="pkg-").values_list("source", flat=True)
    ) == {"fusioninventory"}


@pytest.mark.django_db
def test_new_rows_carry_what_bulk_create_stored_and_are_logged_once_each():
    before = timezone.now()
    when = later()
    item = reconcile(payload(), when).item
    rows = list(item.installations.select_related("product").order_by("product__name"))
    assert [str(r) for r in rows] == ["bash 5.2.15-2+b7", "django 6.1", "openssl 3.0.15-1~deb12u1"]
    for row in rows:
        assert (row.first_seen, row.last_seen, row.source, row.custom_field_data) == (when, when, "agent", {})
        assert before <= row.created <= timezone.now() and row.last_updated >= row.created
        product = row.product
        assert product.custom_field_data == {} and product.purl.startswith("pkg:")
        assert before <= product.created <= timezone.now()
    logged = ObjectChange.objects.filter(action="create")
    for row in rows:
        change = logged.get(changed_object_id=row.pk, object_repr=str(row))
        assert change.postchange_data["product_id"] == row.product_id
        assert change.postchange_data["version"] == row.version
    assert logged.filter(object_repr__in=["bash (Debian package)", "django (Python (PyPI))"]).count() == 2
