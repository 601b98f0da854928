"""The CSV importer of incidents from another tool: mapping, dry run, all or nothing, idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from steward.core.models import ObjectChange
from steward.itsm.models import AssignmentRule, Incident, SLAClock, SLAPolicy
from steward.itsm.servicedesk import importer
from steward.org.models import Person
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db

DATA = Path(importer.__file__).resolve().parents[1] / "data" / "import"
MAPPING = (DATA / "example-mapping.yaml").read_text()
CSV = (DATA / "example-incidents.csv").read_bytes()


def run(data=CSV, mapping=MAPPING, dry_run=False, actor=None):
    return importer.import_incidents(
        data=data, mapping=importer.load_mapping(mapping), actor=actor, dry_run=dry_run
    )


def test_example_file_imports_with_states_priorities_dates_and_their_references(team):
    AssignmentRule.objects.create(name="Everything", team=team)  # imports are never routed
    result = run()
    assert (result.created, result.updated, result.unchanged, result.errors) == (5, 0, 0, [])
    closed = Incident.objects.get(external_reference="LEG0010001")
    paris = ZoneInfo("Europe/Paris")
    assert (
        closed.state == "closed" and closed.priority == "3" and (closed.impact, closed.urgency) == ("2", "2")
    )
    assert closed.created == dt.datetime(2026, 9, 2, 8, 15, tzinfo=paris)
    assert closed.resolved_at == dt.datetime(2026, 9, 2, 10, 40, tzinfo=paris)
    assert closed.closed_at == dt.datetime(2026, 9, 5, 10, 40, tzinfo=paris)
    assert closed.resolution_code == "solved" and closed.resolution_notes == "Cleared cached credentials."
    assert closed.reference.startswith("INC") and closed.assignment_team is None
    held = Incident.objects.get(external_reference="LEG0010003")
    assert held.state == "on_hold" and held.hold_reason == "awaiting_caller"
    assert Incident.objects.get(external_reference="LEG0010005").priority == "1"
    assert Incident.objects.get(external_reference="LEG0010002").created.tzinfo is not None
    assert ObjectChange.objects.filter(source="import").count() >= 5


def test_open_imported_incidents_start_their_sla_clocks_when_they_were_opened(paris):
    SLAPolicy.objects.create(name="All", order=1, response_minutes=60, resolution_minutes=600, calendar=paris)
    run()
    opened = Incident.objects.get(external_reference="LEG0010002")
    clock = SLAClock.objects.get(incident=opened, kind="resolution")
    assert clock.started_at == opened.created
    assert not SLAClock.objects.filter(incident__external_reference="LEG0010001").exists()


def test_rerun_is_idempotent_and_a_changed_row_updates(team):
    run()
    again = run()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    changed = CSV.replace(b"Work in Progress,2 - High", b"Resolved,2 - High")
    result = run(data=changed)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 4)
    assert Incident.objects.get(external_reference="LEG0010002").state == "resolved"
    assert Incident.objects.count() == 5


def test_dry_run_counts_and_writes_nothing():
    result = run(dry_run=True)
    assert result.created == 5 and result.dry_run
    assert not Incident.objects.exists()


def test_bad_rows_import_nothing_and_are_named_by_line_and_column():
    Person.objects.create(first_name="Kim", last_name="K", email="kim@example.org")
    bad = CSV.replace(b"3 - Moderate", b"9 - Whenever").replace(b"2026-09-03 14:02:00", b"next tuesday")
    bad = bad.replace(
        b"Finance team,access,role request,,", b"Finance team,access,role request,nobody@example.org,"
    )
    bad += b"LEG0010001,Duplicate,,,,,,,,New,4 - Low,05/09/2026 02:10,,,\n"
    result = run(data=bad)
    messages = [str(e) for e in result.errors]
    assert "Line 2, Priority: priority '9 - Whenever' is not in the mapping's priorities" in messages
    assert any(m.startswith("Line 3, Opened: 'next tuesday' matches none") for m in messages)
    assert "Line 4, Caller: no person with this email 'nobody@example.org'" in messages
    assert "Line 7, Number: LEG0010001 appears again (first on line 2)" in messages
    assert result.created == 0 and not Incident.objects.exists()


def test_unknown_state_and_model_rules_are_row_errors(team):
    outsider = Person.objects.create(first_name="Olga", last_name="Out", email="olga@example.org")
    bad = CSV.replace(b",Closed,3 - Moderate", b",Archived,3 - Moderate")
    bad = bad.replace(b"hardware,printer,,,,", b"hardware,printer,,desk,olga@example.org,")
    messages = [str(e) for e in run(data=bad).errors]
    assert "Line 2, State: state 'Archived' is not in the mapping's states" in messages
    assert f"Line 5, Assigned to: {outsider} is not a member of Desk." in messages
    assert not Incident.objects.exists()


@pytest.mark.parametrize(
    "mapping,message",
    [
        ("columns: [", "not valid YAML"),
        ("reference_column: Number\ncolumns: {Title: title}", "columns.Title: unknown field 'title'"),
        ("reference_column: Number\ncolumns: {A: state}\nstates: {Done: finished}", "states.Done"),
        (
            "reference_column: Number\ncolumns: {A: priority}\npriorities: {P1: {impact: 5, urgency: 1}}",
            "priorities.P1",
        ),
        ("reference_column: Number\ncolumns: {A: created}\ntime_zone: Mars/Base", "time_zone"),
        ("columns: {A: state}", "reference_column"),
        ("reference_column: N\ncolumns: {A: state}\ncolour: red", "colour: unknown key"),
    ],
)
def test_bad_mappings_name_the_key(mapping, message):
    with pytest.raises(importer.MappingError, match=message.replace("[", r"\[").replace("(", r"\(")):
        importer.load_mapping(mapping)


def test_csv_without_a_mapped_column_is_refused():
    with pytest.raises(importer.MappingError, match="Business service: the CSV has no such column"):
        run(data=CSV.replace(b"Business service", b"Service line"))


def test_command_dry_run_then_import(tmp_path, capsys):
    csv_file, map_file = tmp_path / "in.csv", tmp_path / "map.yaml"
    csv_file.write_bytes(CSV)
    map_file.write_text(MAPPING)
    call_command("itsm_import", str(csv_file), mapping=str(map_file), dry_run=True)
    assert "5 created" in capsys.readouterr().out and not Incident.objects.exists()
    call_command("itsm_import", str(csv_file), mapping=str(map_file))
    assert Incident.objects.count() == 5
    csv_file.write_bytes(CSV.replace(b"4 - Low", b"7 - Never"))
    with pytest.raises(CommandError, match="nothing imported"):
        call_command("itsm_import", str(csv_file), mapping=str(map_file))
    assert "Line 4, Priority" in capsys.readouterr().err


def test_ui_page_dry_run_import_and_permissions(client, team):
    url = reverse("itsm:incident_import_external")
    reader = make_user("reader")
    grant(reader, Incident, "view")
    client.force_login(reader)
    assert client.get(url).status_code == 403
    adder = make_user("adder")
    grant(adder, Incident, "view", "add")
    client.force_login(adder)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"data": SimpleUploadedFile("x.csv", CSV), "mapping_text": MAPPING}).status_code
        == 403
    )
    grant(adder, Incident, "change")

    def post(**extra):
        return client.post(url, {"data": SimpleUploadedFile("x.csv", CSV), "mapping": SimpleUploadedFile(
            "m.yaml", MAPPING.encode()), **extra})  # fmt: skip

    page = post()
    assert page.status_code == 200 and page.context["result"].created == 5 and not Incident.objects.exists()
    page = post(confirm="on")
    assert page.status_code == 200 and Incident.objects.count() == 5
    bad = client.post(url, {"data": SimpleUploadedFile("x.csv", CSV), "mapping_text": "columns: ["})
    assert bad.status_code == 422 and "mapping" in bad.context["form"].errors
    bad = client.post(url, {"data": SimpleUploadedFile("x.csv", CSV.replace(b"4 - Low", b"7")), "mapping_text": MAPPING,
                            "confirm": "on"})  # fmt: skip
    assert bad.status_code == 422 and b"Line 4, Priority" in bad.content
