"""Framework import: OSCAL catalogs and profiles, our YAML library, versions, bad input."""

from __future__ import annotations

import copy
import json

import pytest
import yaml
from django.core.management import CommandError, call_command

from steward.core.models import ObjectChange
from steward.grc import services
from steward.grc.catalogs import CatalogError
from steward.grc.models import Assessment, AssessmentResult, Framework, Requirement
from steward.grc.tests.conftest import BASIC_CATALOG, LIBRARY, LOW_CATALOG, LOW_PROFILE, need

pytestmark = pytest.mark.django_db


def low_catalog() -> Framework:
    return services.import_framework_file(content=need(LOW_CATALOG).read_bytes(), actor=None).framework


def test_low_catalog_imports_groups_controls_enhancements_parameters_and_statements():
    fw = low_catalog()
    assert fw.source == "oscal-catalog" and fw.version == "5.1.1+u4"
    assert fw.source_uuid == "0470d39a-3e02-4bff-82cf-676d522c1554"
    reqs = Requirement.objects.filter(framework=fw)
    assert reqs.filter(kind="group").count() == 18
    assert reqs.exclude(kind="group").count() == 149
    ac2 = reqs.get(control_id="ac-2")
    assert ac2.label == "AC-2" and ac2.title == "Account Management" and ac2.parent.control_id == "ac"
    assert "a. Define and document the types of accounts" in ac2.statement
    assert "[Assignment: prerequisites and criteria]" in ac2.statement and "{{" not in ac2.statement
    assert ac2.parameters[0] == {"id": "ac-02_odp.01", "label": "prerequisites and criteria"}
    enhancement = reqs.get(control_id="ia-2.1")
    assert enhancement.kind == "enhancement" and enhancement.parent.control_id == "ia-2"
    # One change-log row per created row, written in bulk.
    assert ObjectChange.objects.filter(changed_object_type__model="requirement").count() == 167


def test_basic_catalog_nested_groups_and_selection_parameters():
    fw = services.import_framework_file(content=need(BASIC_CATALOG).read_bytes(), actor=None).framework
    ctl = Requirement.objects.get(framework=fw, control_id="s1.1.1")
    assert ctl.parent.control_id == "s1.1" and ctl.parent.parent.control_id == "s1"
    assert (
        "[Selection (one or more): initiating a device lock after [Assignment: a duration]" in ctl.statement
    )


def test_profile_resolves_with_ids_against_an_imported_catalog():
    catalog = low_catalog()
    with pytest.raises(CatalogError) as exc:
        services.import_framework_file(content=need(LOW_PROFILE).read_bytes(), actor=None)
    assert exc.value.path == "profile.imports[0].href"
    summary = services.import_framework_file(content=LOW_PROFILE.read_bytes(), actor=None, catalog=catalog)
    profile = summary.framework
    assert profile.source == "oscal-profile" and profile.based_on == catalog and profile != catalog
    ids = set(profile.requirements.exclude(kind="group").values_list("control_id", flat=True))
    wanted = set(
        json.loads(LOW_PROFILE.read_text())["profile"]["imports"][0]["include-controls"][0]["with-ids"]
    )
    assert ids == wanted
    assert profile.requirements.get(control_id="at-2.2").parent.control_id == "at-2"


def test_profile_beside_its_catalog_imports_both(tmp_path):
    need(BASIC_CATALOG)
    (tmp_path / "catalog.json").write_bytes(BASIC_CATALOG.read_bytes())
    profile = {"profile": {
        "uuid": "5b4b8d6c-3e0e-4b5e-9c1e-3e1f3c9d2a11",
        "metadata": {"title": "Small baseline", "version": "1", "last-modified": "2026-01-01T00:00:00Z",
                     "oscal-version": "1.1.2"},
        "imports": [{"href": "catalog.json", "include-controls": [{"with-ids": ["s1.1.1", "s2.1.2"]}]}],
    }}  # fmt: skip
    (tmp_path / "profile.json").write_text(json.dumps(profile))
    call_command("grc-import", str(tmp_path / "profile.json"))
    fw = Framework.objects.get(name="Small baseline")
    assert fw.based_on.source == "oscal-catalog"
    assert set(fw.requirements.exclude(kind="group").values_list("control_id", flat=True)) == {
        "s1.1.1",
        "s2.1.2",
    }
    bad = copy.deepcopy(profile)
    bad["profile"]["imports"][0]["include-controls"][0]["with-ids"][1] = "zz-9"
    (tmp_path / "bad.json").write_text(json.dumps(bad))
    with pytest.raises(CommandError, match=r"include-controls\[0\]\.with-ids\[1\]"):
        call_command("grc-import", str(tmp_path / "bad.json"))


def _catalog_doc() -> dict:
    return json.loads(need(LOW_CATALOG).read_text())


@pytest.mark.parametrize(
    ("breakage", "path"),
    [
        (lambda d: d["catalog"]["groups"][2]["controls"][5].update(id="not a token"), "catalog.groups[2].controls[5].id"),
        (lambda d: d["catalog"]["groups"][2]["controls"][5].pop("title"), "catalog.groups[2].controls[5].title"),
        (lambda d: d["catalog"]["groups"][0]["controls"][1].update(id="ac-1"), "catalog.groups[0].controls[1].id"),
        (lambda d: d["catalog"]["groups"][1].update(controls={}), "catalog.groups[1].controls"),
        (lambda d: d["catalog"]["metadata"].pop("version"), "catalog.metadata.version"),
        (lambda d: d["catalog"]["groups"][3]["controls"][0]["params"][0].pop("id"),
         "catalog.groups[3].controls[0].params[0].id"),
        (lambda d: d["catalog"]["groups"][0]["controls"][0]["parts"][0].update(prose=5),
         "catalog.groups[0].controls[0].parts[0].prose"),
    ],
)  # fmt: skip
def test_a_malformed_catalog_names_the_path_and_imports_nothing(breakage, path):
    doc = _catalog_doc()
    breakage(doc)
    with pytest.raises(CatalogError) as exc:
        services.import_framework_file(content=json.dumps(doc), actor=None)
    assert exc.value.path == path, exc.value
    assert not Framework.objects.exists() and not Requirement.objects.exists()


def test_syntax_errors_and_unknown_documents_are_refused():
    with pytest.raises(CatalogError, match="line 1"):
        services.import_framework_file(content=b'{"catalog": ', actor=None)
    with pytest.raises(CatalogError, match="OSCAL catalog or profile"):
        services.import_framework_file(content=b'{"component-definition": {}}', actor=None)
    with pytest.raises(CatalogError, match="not UTF-8"):
        services.import_framework_file(content=b"\xff\xfe{", actor=None)


def test_a_failure_late_in_the_write_rolls_everything_back(monkeypatch):
    doc = _catalog_doc()
    low_catalog()
    before = dict(Requirement.objects.values_list("control_id", "title"))
    doc["catalog"]["groups"][0]["controls"][0]["title"] = "Changed"
    monkeypatch.setattr("steward.core.changelog.record_many", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        services.import_framework_file(content=json.dumps(doc), actor=None)
    assert dict(Requirement.objects.values_list("control_id", "title")) == before


def test_a_new_version_updates_in_place_keeps_results_and_withdraws_removed():
    fw = low_catalog()
    assessment = Assessment.objects.create(name="A", framework=fw)
    services.prepare_assessment(assessment=assessment, actor=None)
    ac1 = Requirement.objects.get(framework=fw, control_id="ac-1")
    result = AssessmentResult.objects.get(assessment=assessment, requirement=ac1)
    doc = _catalog_doc()
    doc["catalog"]["metadata"]["version"] = "5.2.0"
    doc["catalog"]["groups"][0]["controls"][0]["title"] = "Policy and Procedures (revised)"
    removed = doc["catalog"]["groups"][0]["controls"][1]["id"]
    doc["catalog"]["groups"][0]["controls"][1] = {"id": "ac-99", "title": "A new control"}
    summary = services.import_framework_file(content=json.dumps(doc), actor=None)
    assert summary.framework.pk == fw.pk and summary.framework.version == "5.2.0"
    assert (summary.created, summary.updated, summary.withdrawn) == (1, 1, 1)
    result.refresh_from_db()
    assert result.requirement_id == ac1.pk and result.requirement.title == "Policy and Procedures (revised)"
    gone = Requirement.objects.get(framework=fw, control_id=removed)
    assert gone.withdrawn and gone.results.exists()
    # Importing the same version again changes nothing.
    again = services.import_framework_file(content=json.dumps(doc), actor=None)
    assert (again.created, again.updated, again.withdrawn) == (0, 0, 0) and again.unchanged == 167


def test_the_shipped_starter_library_imports():
    fw = services.import_framework_file(content=LIBRARY.read_bytes(), actor=None).framework
    assert fw.identifier == "urn:steward:library:it-baseline" and fw.source == "library"
    assert fw.requirements.get(control_id="ITB-AC").kind == "group"
    assert fw.requirements.get(control_id="ITB-AC-2.1").kind == "enhancement"
    assert fw.requirements.get(control_id="ITB-AC-1").parameters[0]["id"] == "leaver_days"


@pytest.mark.parametrize(
    ("breakage", "path"),
    [
        (lambda d: d["library"].pop("urn"), "library.urn"),
        (lambda d: d["library"].update(urn="steward-it"), "library.urn"),
        (lambda d: d["library"]["requirements"][1]["requirements"][0].pop("id"), "library.requirements[1].requirements[0].id"),
        (lambda d: d["library"]["requirements"][1]["requirements"][0].update(colour="red"),
         "library.requirements[1].requirements[0].colour"),
        (lambda d: d["library"]["requirements"][2]["requirements"][1].update(id="ITB-AM-1"),
         "library.requirements[2].requirements[1].id"),
        (lambda d: d["library"]["requirements"][3]["requirements"][0].update(statement="Every {days}"),
         "library.requirements[3].requirements[0].statement"),
        (lambda d: d["library"]["requirements"][0].update(kind="chapter"), "library.requirements[0].kind"),
    ],
)  # fmt: skip
def test_a_malformed_library_names_the_path_and_imports_nothing(breakage, path):
    doc = yaml.safe_load(LIBRARY.read_text())
    breakage(doc)
    with pytest.raises(CatalogError) as exc:
        services.import_framework_file(content=yaml.safe_dump(doc), actor=None)
    assert exc.value.path == path, exc.value
    assert not Framework.objects.exists()


def test_command_reports_the_path_of_a_bad_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("library:\n  urn: urn:x\n  name: X\n  version: 1\n  requirements:\n    - title: no id\n")
    with pytest.raises(CommandError, match=r"Nothing imported\. library\.requirements\[0\]\.id"):
        call_command("grc-import", str(bad))
    with pytest.raises(CommandError, match="no such file"):
        call_command("grc-import", str(tmp_path / "missing.json"))
