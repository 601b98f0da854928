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


# --- profile resolution: several imports, set-parameters, alters ---------------------------------
def _low_control(cid: str) -> dict:
    for group in _catalog_doc()["catalog"]["groups"]:
        for control in group.get("controls", []):
            if control["id"] == cid:
                return control
    raise AssertionError(cid)


def _part_prose(control: dict, part_id: str) -> str:
    todo = list(control["parts"])
    while todo:
        part = todo.pop()
        if part.get("id") == part_id:
            return part["prose"]
        todo += part.get("parts", [])
    raise AssertionError(part_id)


def _profile(**extra) -> dict:
    return {"profile": {
        "uuid": "9f1c1c1e-1d2b-4c55-8f4e-2d8a7a0b6c01",
        "metadata": {"title": "Tailored baseline", "version": "2026.1", "last-modified": "2026-01-01T00:00:00Z",
                     "oscal-version": "1.1.2"},
        "imports": [
            {"href": "low.json", "include-controls": [{"with-ids": ["ac-2"]}, {"matching": [{"pattern": "at-*"}]}],
             "exclude-controls": [{"with-ids": ["at-4"]}]},
            {"href": "#4e2b0a3c-7f51-4a0e-9d7e-1b2c3d4e5f60", "include-all": {},
             "exclude-controls": [{"matching": [{"pattern": "s2.*"}]}]},
        ],
        "merge": {"as-is": True},
        "modify": {
            "set-parameters": [{"param-id": "ac-02_odp.01", "values": ["HR approval and a named sponsor"]}],
            "alters": [{
                "control-id": "ac-2",
                "removes": [{"by-id": "ac-2_smt.b"}],
                "adds": [
                    {"position": "after", "by-id": "ac-2_smt.a",
                     "parts": [{"id": "ac-2_smt.a.t", "name": "item", "prose": "Tailored: review accounts monthly."}]},
                    {"position": "ending", "parts": [{"name": "guidance", "prose": "Tailoring guidance."}]},
                ],
            }],
        },
        "back-matter": {"resources": [{"uuid": "4e2b0a3c-7f51-4a0e-9d7e-1b2c3d4e5f60", "title": "Basic catalog",
                                       "rlinks": [{"href": "basic.json", "media-type": "application/oscal+json"}]}]},
        **extra,
    }}  # fmt: skip


@pytest.fixture
def beside(tmp_path):
    (tmp_path / "low.json").write_bytes(need(LOW_CATALOG).read_bytes())
    (tmp_path / "basic.json").write_bytes(need(BASIC_CATALOG).read_bytes())
    return tmp_path


def _check_tailored(fw: Framework) -> None:
    import fnmatch

    low_ids = [c["id"] for g in _catalog_doc()["catalog"]["groups"] for c in g.get("controls", [])]
    low_ids += [e["id"] for g in _catalog_doc()["catalog"]["groups"] for c in g.get("controls", [])
                for e in c.get("controls", [])]  # fmt: skip
    wanted = {"ac-2", "s1.1.1", "s1.1.2"} | {c for c in low_ids if fnmatch.fnmatchcase(c, "at-*")} - {"at-4"}
    assert set(fw.requirements.exclude(kind="group").values_list("control_id", flat=True)) == wanted
    ac2 = fw.requirements.get(control_id="ac-2")
    assert ac2.parent.kind == "group" and ac2.parent.control_id == "ac"
    assert fw.requirements.get(control_id="s1.1.1").parent.control_id == "s1.1"
    text = ac2.statement
    assert "HR approval and a named sponsor" in text
    assert _part_prose(_low_control("ac-2"), "ac-2_smt.b")[:40] not in text
    assert text.splitlines()[1] == "Tailored: review accounts monthly."  # right after item a
    assert ac2.guidance.endswith("Tailoring guidance.")
    param = next(p for p in ac2.parameters if p["id"] == "ac-02_odp.01")
    assert param["values"] == ["HR approval and a named sponsor"]


def test_profile_with_two_imports_set_parameters_and_alters(beside):
    summary = services.import_framework_file(content=json.dumps(_profile()), actor=None, base_dir=beside)
    fw = summary.framework
    _check_tailored(fw)
    low = Framework.objects.get(source="oscal-catalog", source_uuid=_catalog_doc()["catalog"]["uuid"])
    assert fw.based_on == low
    assert Framework.objects.filter(source="oscal-catalog").count() == 2  # both catalogs came along
    # The catalog keeps its own text: only the profile is tailored.
    assert "HR approval" not in low.requirements.get(control_id="ac-2").statement
    # Imported again: nothing changes.
    again = services.import_framework_file(content=json.dumps(_profile()), actor=None, base_dir=beside)
    assert (again.created, again.updated, again.withdrawn) == (0, 0, 0)


def test_profile_tailors_catalogs_imported_earlier(beside):
    services.import_framework_file(content=(beside / "low.json").read_bytes(), actor=None)
    services.import_framework_file(content=(beside / "basic.json").read_bytes(), actor=None)
    doc = _profile()
    low_uuid = _catalog_doc()["catalog"]["uuid"]
    doc["profile"]["imports"][0]["href"] = f"#{low_uuid}"
    doc["profile"]["back-matter"]["resources"].append({"uuid": low_uuid, "title": "NIST LOW"})
    basic_title = json.loads((beside / "basic.json").read_text())["catalog"]["metadata"]["title"]
    doc["profile"]["back-matter"]["resources"][0].update(title=basic_title, rlinks=[])
    summary = services.import_framework_file(
        content=json.dumps(doc), actor=None
    )  # no file beside: found saved
    _check_tailored(summary.framework)


def test_flat_merge_drops_groups_and_keep_refuses_a_control_imported_twice(beside):
    flat = _profile(merge={"flat": {}})
    fw = services.import_framework_file(content=json.dumps(flat), actor=None, base_dir=beside).framework
    assert not fw.requirements.filter(kind="group").exists()
    assert fw.requirements.get(control_id="at-2.2").parent.control_id == "at-2"
    twice = _profile(merge={"combine": {"method": "keep"}})
    twice["profile"]["imports"].append({"href": "low.json", "include-controls": [{"with-ids": ["ac-2"]}]})
    with pytest.raises(CatalogError, match="'ac-2' is also imported by profile.imports.0.") as exc:
        services.import_framework_file(content=json.dumps(twice), actor=None, base_dir=beside)
    assert exc.value.path == "profile.imports[2]"


def _break_with_ids(d):
    d["profile"]["imports"][0]["include-controls"][0]["with-ids"] = ["zz-9"]


@pytest.mark.parametrize(
    ("breakage", "path", "message"),
    [
        (_break_with_ids, "profile.imports[0].include-controls[0].with-ids[0]", "'zz-9' is not a control"),
        (lambda d: d["profile"]["imports"][1].update(href="missing.json"), "profile.imports[1].href",
         "cannot find the catalog 'missing.json'"),
        (lambda d: d["profile"]["modify"]["alters"][0].update({"control-id": "ac-99"}),
         "profile.modify.alters[0].control-id", "'ac-99' is not a control the profile selects"),
        (lambda d: d["profile"]["modify"]["set-parameters"][0].update({"param-id": "zz_prm_1"}),
         "profile.modify.set-parameters[0].param-id", "'zz_prm_1' is not a parameter"),
        (lambda d: d["profile"]["modify"]["alters"][0]["removes"][0].update({"by-id": "ac-2_smt.zz"}),
         "profile.modify.alters[0].removes[0]", "nothing in 'ac-2' matches"),
        (lambda d: d["profile"]["modify"]["alters"][0]["adds"][0].update({"by-id": "ac-2_smt.zz"}),
         "profile.modify.alters[0].adds[0].by-id", "has no part 'ac-2_smt.zz'"),
        (lambda d: d["profile"]["modify"]["alters"][0]["adds"][1].update({"position": "before"}),
         "profile.modify.alters[0].adds[1].position", "needs by-id"),
        (lambda d: d["profile"].update(merge={"combine": {"method": "shuffle"}}), "profile.merge.combine.method",
         "choose one of"),
        (lambda d: d["profile"]["imports"][1].pop("include-all"), "profile.imports[1]", "include-all or include"),
    ],
)  # fmt: skip
def test_a_bad_profile_names_the_element_and_imports_nothing(beside, breakage, path, message):
    doc = _profile()
    breakage(doc)
    with pytest.raises(CatalogError) as exc:
        services.import_framework_file(content=json.dumps(doc), actor=None, base_dir=beside)
    assert exc.value.path == path and message in exc.value.message
    assert not Framework.objects.exists()
