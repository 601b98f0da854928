"""Advisories, affected packages and severity policies: generic UI/API, CVSS and the importers."""

from __future__ import annotations

import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from steward.core.models import ObjectChange
from steward.security import services
from steward.security.importers import AdvisoryFileError
from steward.security.models import Advisory, AffectedPackage, SeverityPolicy
from steward.security.tests.factories import advisory
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.api import APITestCases
from steward.utilities.testing.views import ViewTestCases

OSV_SAMPLES = Path(__file__).resolve().parents[5] / "shared" / "data" / "osv"
needs_samples = pytest.mark.skipif(not OSV_SAMPLES.is_dir(), reason=f"OSV samples not found at {OSV_SAMPLES}")
V31 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
V40 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"


# --- generic UI and API ----------------------------------------------------------------------------
class AdvisoryData:
    model = Advisory
    csv_data = (
        "identifier,summary,cvss3_vector,source",
        f"CVE-2030-0001,Heap overflow,{V31},cve",
        "CVE-2030-0002,Info leak,,manual",
        "GHSA-aaaa-bbbb-cccc,Bypass,,osv",
    )
    bulk_edit_data = {"known_exploited": True}
    invalid_data = {"cvss3_vector": "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}
    field_constraint = {"source": "osv"}
    move_out_data = {"source": "manual"}
    create_data = {"identifier": "CVE-2031-0001", "summary": "New", "source": "cve", "cvss4_vector": V40}
    api_create_data = [
        {"identifier": "CVE-2031-0002", "summary": "A", "cvss3_vector": V31},
        {"identifier": "CVE-2031-0003", "aliases": ["GHSA-xxxx-yyyy-zzzz"], "source": "cve"},
        {"identifier": "PYSEC-2031-1", "references": [{"type": "WEB", "url": "https://example.org/a"}]},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        for i in range(3):
            Advisory.objects.create(identifier=f"OSV-2029-{i}", summary=f"Advisory {i}", source="osv")


class AdvisoryViewTest(AdvisoryData, ViewTestCases.ObjectViewTestCase):
    pass


class AdvisoryAPITest(AdvisoryData, APITestCases.APIViewTestCase):
    pass


class AffectedPackageData:
    model = AffectedPackage
    bulk_edit_data = {"purl": "pkg:deb/debian/x"}
    invalid_data = {"ecosystem": "cobol"}
    field_constraint = {"ecosystem": "deb"}
    move_out_data = {"ecosystem": "rpm"}

    @classmethod
    def setUpTestData(cls) -> None:
        adv = Advisory.objects.create(identifier="CVE-2029-1000")
        for name in ("openssl", "curl", "bash"):
            AffectedPackage.objects.create(advisory=adv, ecosystem="deb", name=name)
        cls.csv_data = (
            "advisory,ecosystem,name,osv_ecosystem",
            f"{adv.identifier},deb,zlib1g,Debian:12",
            f"{adv.identifier},pypi,requests,PyPI",
            f"{adv.identifier},npm,lodash,npm",
        )
        ranges = json.dumps([{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2-1"}]}])
        cls.create_data = {
            "advisory": adv.pk,
            "ecosystem": "deb",
            "name": "sudo",
            "ranges": ranges,
            "versions": "[]",
        }
        cls.api_create_data = [
            {"advisory": adv.pk, "ecosystem": "deb", "name": "nginx", "ranges": json.loads(ranges)},
            {"advisory": adv.pk, "ecosystem": "pypi", "name": "Django", "versions": ["4.2.1"]},
            {"advisory": adv.pk, "ecosystem": "npm", "name": "lodash"},
        ]


class AffectedPackageViewTest(AffectedPackageData, ViewTestCases.ObjectViewTestCase):
    pass


class AffectedPackageAPITest(AffectedPackageData, APITestCases.APIViewTestCase):
    pass


class SeverityPolicyData:
    model = SeverityPolicy
    csv_data = ("severity,remediation_days", "low,120", "none,365", "unknown,60")
    bulk_edit_data = {"description": "Agreed with the CISO"}
    invalid_data = {"remediation_days": "0"}
    field_constraint = {"remediation_days__lte": 90}
    move_out_data = {"remediation_days": 400}
    create_data = {"severity": "low", "remediation_days": 150}
    api_create_data = [
        {"severity": "low", "remediation_days": 180},
        {"severity": "none", "remediation_days": 365},
        {"severity": "unknown", "remediation_days": 90},
    ]

    @classmethod
    def setUpTestData(cls) -> None:
        SeverityPolicy.objects.all().delete()
        for severity, days in (("critical", 7), ("high", 30), ("medium", 90)):
            SeverityPolicy.objects.create(severity=severity, remediation_days=days)


class SeverityPolicyViewTest(SeverityPolicyData, ViewTestCases.ObjectViewTestCase):
    pass


class SeverityPolicyAPITest(SeverityPolicyData, APITestCases.APIViewTestCase):
    pass


# --- CVSS -----------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_cvss_vectors_are_scored_and_set_the_severity():
    adv = Advisory(identifier="CVE-2030-1", cvss3_vector="CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N")
    adv.full_clean()
    adv.save()
    assert (adv.cvss3_score, adv.severity) == (Decimal("8.1"), "high")
    adv.cvss4_vector = V40
    adv.full_clean()
    adv.save()
    assert (adv.cvss4_score, adv.severity) == (Decimal("9.3"), "critical")  # 4.0 wins when both are given


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "vector", "named"),
    [
        ("cvss3_vector", "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", "AV:X"),
        ("cvss3_vector", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", '"A"'),
        ("cvss3_vector", "CVSS:3.1/AV:N/FOO:L", "FOO"),
        ("cvss3_vector", V40, "CVSS 4"),
        ("cvss4_vector", "CVSS:4.0/AV:Q/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "AV:Q"),
        ("cvss4_vector", "CVSS:4.0/AV:N", "AC"),
        ("cvss4_vector", "rubbish", "starts with"),
    ],
)
def test_a_malformed_vector_is_refused_naming_the_metric(field, vector, named):
    adv = Advisory(identifier="CVE-2030-2", **{field: vector})
    with pytest.raises(ValidationError) as error:
        adv.full_clean()
    assert named in " ".join(error.value.message_dict[field])


@pytest.mark.django_db
def test_affected_ranges_become_intervals_in_the_ecosystem_order():
    adv = Advisory.objects.create(identifier="PYSEC-X")
    package = AffectedPackage(
        advisory=adv,
        ecosystem="pypi",
        name="urllib3",
        ranges=[
            {"type": "ECOSYSTEM", "events": [{"introduced": "2.0.0"}, {"fixed": "2.0.6"}, {"introduced": "0"},
                                             {"fixed": "1.26.17"}]},
            {"type": "GIT", "events": [{"introduced": "0"}, {"fixed": "abc123"}]},
        ],
    )  # fmt: skip
    package.full_clean()
    assert package.intervals == [["pypi", None, "1.26.17", None], ["pypi", "2.0.0", "2.0.6", None]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ranges", "message"),
    [
        ([{"type": "RANGE", "events": [{"introduced": "0"}]}], "ranges[0].type"),
        ([{"type": "ECOSYSTEM", "events": []}], "ranges[0].events"),
        ([{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1"}]}], "ranges[0].events[0]"),
        (
            [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "one.two"}]}],
            "ranges[0].events[1].fixed",
        ),
    ],
)
def test_bad_ranges_are_refused_with_their_path(ranges, message):
    adv = Advisory.objects.create(identifier="PYSEC-Y")
    package = AffectedPackage(advisory=adv, ecosystem="pypi", name="x", ranges=ranges)
    with pytest.raises(ValidationError) as error:
        package.full_clean()
    assert message in " ".join(error.value.message_dict["ranges"])


# --- importers ------------------------------------------------------------------------------------
def osv(identifier: str, fixed: str = "2.0.0", **extra) -> dict:
    return {
        "id": identifier,
        "modified": "2024-01-02T03:04:05Z",
        "published": "2024-01-01T00:00:00Z",
        "aliases": ["CVE-2024-9999"],
        "summary": "Test flaw",
        "details": "Long text",
        "severity": [{"type": "CVSS_V3", "score": V31}],
        "affected": [
            {
                "package": {"ecosystem": "PyPI", "name": "Demo_Pkg"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
                "versions": ["1.0.0"],
            }
        ],
        "references": [{"type": "WEB", "url": "https://example.org/advisory"}],
        **extra,
    }


def doc(name: str, data) -> tuple[str, bytes]:
    text = json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data)
    return name, text.encode()


@needs_samples
@pytest.mark.django_db
def test_the_osv_samples_import_and_reimport_changes_nothing():
    result = services.import_advisories(paths=[OSV_SAMPLES], actor=None)
    assert len(result.created) == 25
    urllib3 = Advisory.objects.get(identifier="PYSEC-2023-192")
    assert "CVE-2023-43804" in urllib3.aliases
    assert urllib3.severity == "high"
    assert urllib3.affected_packages.get().intervals == [
        ["pypi", None, "1.26.17", None],
        ["pypi", "2.0.0", "2.0.6", None],
    ]
    again = services.import_advisories(paths=[OSV_SAMPLES], actor=None)
    assert (again.created, again.updated, again.unchanged) == ([], [], 25)


@pytest.mark.django_db
def test_json_yaml_and_zip_documents_import_and_update_by_id():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("nested/OSV-3.json", json.dumps(osv("OSV-3")))
    documents = [doc("OSV-1.json", osv("OSV-1")), doc("OSV-2.yaml", [osv("OSV-2"), osv("OSV-4")])]
    result = services.import_advisories(
        documents=documents + [("bundle.zip/nested/OSV-3.json", json.dumps(osv("OSV-3")).encode())],
        actor=None,
    )
    assert sorted(result.created) == ["OSV-1", "OSV-2", "OSV-3", "OSV-4"]
    pkg = AffectedPackage.objects.get(advisory__identifier="OSV-1")
    assert (pkg.ecosystem, pkg.name, pkg.versions) == ("pypi", "demo-pkg", ["1.0.0"])
    updated = services.import_advisories(
        documents=[doc("OSV-1.json", osv("OSV-1", fixed="2.1.0"))], actor=None
    )
    assert updated.updated == ["OSV-1"]
    assert AffectedPackage.objects.get(advisory__identifier="OSV-1").intervals[0][2] == "2.1.0"
    assert Advisory.objects.count() == 4


def test_zip_archives_are_read_with_limits():
    from steward.security.importers import from_zip

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a/OSV-9.json", "{}")
        archive.writestr("README.txt", "ignored")
    assert [name for name, _ in from_zip("x.zip", buffer.getvalue())] == ["x.zip/a/OSV-9.json"]
    with pytest.raises(AdvisoryFileError, match="not a zip"):
        from_zip("x.zip", b"plain text")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "message"),
    [
        (doc("bad.json", {"summary": "no id"}), "bad.json: document: neither"),
        (("bad.json", b"{not json"), "bad.json: not valid JSON (line 1"),
        (("bad.yaml", b"id: [unclosed"), "bad.yaml: not valid YAML"),
        (doc("bad.json", osv("OSV-B", severity=[{"type": "CVSS_V3", "score": "CVSS:3.1/AV:Z"}])), "CVSS_V3"),
        (doc("bad.json", osv("OSV-B", fixed="not-a-version")), "affected[0].ranges[0].events[1].fixed"),
        (
            doc("bad.json", osv("OSV-B", affected=[{"package": {"name": "x"}}])),
            "affected[0].package.ecosystem",
        ),
        (doc("bad.json", osv("OSV-B", references=[{"type": "WEB"}])), "references[0].url"),
        (doc("bad.json", osv("OSV-B", published="yesterday")), "published"),
        (doc("bad.yaml", [osv("OSV-C"), {"id": "OSV-D", "aliases": [1]}]), "[1].aliases[0]"),
    ],
)
def test_a_malformed_file_is_refused_with_its_path_and_imports_nothing(document, message):
    good = doc("good.json", osv("OSV-GOOD"))
    with pytest.raises(AdvisoryFileError) as error:
        services.import_advisories(documents=[good, document], actor=None)
    assert message in str(error.value)
    assert not Advisory.objects.exists()
    assert not ObjectChange.objects.filter(changed_object_type__model="advisory").exists()


@pytest.mark.django_db
def test_the_same_id_twice_in_one_import_is_refused():
    with pytest.raises(AdvisoryFileError, match="appears twice"):
        services.import_advisories(
            documents=[doc("a.json", osv("OSV-1")), doc("b.json", osv("OSV-1"))], actor=None
        )


def cve5(cve_id: str = "CVE-2024-1234", **cna_extra) -> dict:
    return {
        "dataType": "CVE_RECORD",
        "dataVersion": "5.1",
        "cveMetadata": {"cveId": cve_id, "state": "PUBLISHED", "datePublished": "2024-03-01T10:00:00.000Z",
                        "dateUpdated": "2024-03-05T10:00:00.000Z"},
        "containers": {
            "cna": {
                "title": "Path traversal in the upload handler",
                "descriptions": [{"lang": "en", "value": "A crafted name escapes the upload folder."}],
                "affected": [
                    {"vendor": "example", "product": "demo-lib", "collectionURL": "https://pypi.org",
                     "packageName": "demo-lib", "defaultStatus": "unaffected",
                     "versions": [{"version": "1.0", "lessThan": "1.4.2", "status": "affected", "versionType": "python"},
                                  {"version": "2.0.1", "status": "affected"}]},
                    {"vendor": "Acme", "product": "Acme Backup", "versions": [
                        {"version": "0", "lessThanOrEqual": "7.2", "status": "affected", "versionType": "custom"}]},
                ],
                "metrics": [{"cvssV3_1": {"version": "3.1", "vectorString": V31, "baseScore": 9.8}}],
                "references": [{"url": "https://example.org/cve", "tags": ["vendor-advisory"]}],
                **cna_extra,
            },
            "adp": [{"metrics": [{"other": {"type": "kev", "content": {"dateAdded": "2024-03-10"}}}]}],
        },
    }  # fmt: skip


@pytest.mark.django_db
def test_cve5_records_import_with_ranges_kev_and_generic_products():
    services.import_advisories(documents=[doc("CVE-2024-1234.json", cve5())], actor=None)
    adv = Advisory.objects.get(identifier="CVE-2024-1234")
    assert (adv.source, adv.severity, adv.known_exploited) == ("cve", "critical", True)
    assert adv.summary == "Path traversal in the upload handler"
    assert adv.references == [{"type": "VENDOR-ADVISORY", "url": "https://example.org/cve"}]
    generic, pypi = adv.affected_packages.order_by("ecosystem")
    assert (pypi.ecosystem, pypi.name, pypi.versions) == ("pypi", "demo-lib", ["2.0.1"])
    assert pypi.intervals == [["pypi", "1.0", "1.4.2", None]]
    assert (generic.ecosystem, generic.name, generic.intervals) == (
        "generic",
        "acme backup",
        [["generic", None, None, "7.2"]],
    )


@pytest.mark.django_db
def test_cve5_bad_element_is_named():
    bad = cve5(metrics=[{"cvssV3_1": {"baseScore": 9.8}}])
    with pytest.raises(AdvisoryFileError, match=r"containers\.cna\.metrics\[0\]\.cvssV3_1\.vectorString"):
        services.import_advisories(documents=[doc("c.json", bad)], actor=None)


@pytest.mark.django_db
def test_command_imports_a_folder_and_refuses_bad_files(tmp_path, capsys):
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "OSV-1.yaml").write_text(yaml.safe_dump(osv("OSV-1")))
    call_command("security-import", str(tmp_path / "ok"))
    assert Advisory.objects.filter(identifier="OSV-1").exists()
    (tmp_path / "bad.json").write_text("[1]")
    with pytest.raises(CommandError, match=r"Nothing imported: bad.json: \[0\]"):
        call_command("security-import", str(tmp_path / "bad.json"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("security-import", str(tmp_path / "missing"))


@pytest.mark.django_db
def test_ui_upload_needs_the_add_permission_and_refuses_bad_files(client):
    url = reverse("security:advisory_upload")
    user = make_user("analyst")
    client.force_login(user)
    assert client.get(url).status_code == 403
    grant(user, Advisory, "add", "view")
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("x.json", json.dumps(osv("OSV-9", fixed="??")).encode())
    response = client.post(url, {"files": [bad]})
    assert response.status_code == 422
    assert (
        "events[1].fixed" in response.content.decode() and "Nothing was imported" in response.content.decode()
    )
    assert not Advisory.objects.exists()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("OSV-9.json", json.dumps(osv("OSV-9")))
    response = client.post(url, {"files": [SimpleUploadedFile("feed.zip", buffer.getvalue())]})
    assert response.status_code == 302
    assert Advisory.objects.filter(identifier="OSV-9").exists()


@pytest.mark.django_db
def test_api_import(client):
    from steward.core.models import Token

    url = reverse("api:security-advisory-import-files")
    user = make_user("feed")
    _token, key = Token.issue(user=user, write_enabled=True)
    headers = {"HTTP_AUTHORIZATION": f"Token {key}"}
    upload = SimpleUploadedFile("OSV-5.json", json.dumps(osv("OSV-5")).encode())
    assert client.post(url, {"files": [upload]}, **headers).status_code == 403
    grant(user, Advisory, "add", "view")
    upload = SimpleUploadedFile("OSV-5.json", json.dumps(osv("OSV-5", fixed="x y")).encode())
    response = client.post(url, {"files": [upload]}, **headers)
    assert response.status_code == 400 and "events[1].fixed" in response.json()["files"][0]
    upload = SimpleUploadedFile("OSV-5.json", json.dumps(osv("OSV-5")).encode())
    response = client.post(url, {"files": [upload]}, **headers)
    assert response.status_code == 200, response.content
    assert response.json()["created"] == ["OSV-5"]


@pytest.mark.django_db
def test_alias_filter_finds_an_advisory_by_any_of_its_ids():
    advisory("PYSEC-2024-1", "openssl", [{"introduced": "0"}], aliases=["CVE-2024-1111", "GHSA-1"])
    from steward.security.filtersets import AdvisoryFilterSet

    assert [
        a.identifier for a in AdvisoryFilterSet({"alias": "CVE-2024-1111"}, Advisory.objects.all()).qs
    ] == ["PYSEC-2024-1"]
