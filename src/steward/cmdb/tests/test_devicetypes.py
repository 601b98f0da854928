"""Vendor/model catalogue import from the community device-type library YAML format."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from steward.cmdb import services
from steward.cmdb.devicetypes import DeviceTypeError
from steward.cmdb.models import DeviceModel, Manufacturer

pytestmark = pytest.mark.django_db

# The samples live beside the repository (../shared/data), never copied into it.
SAMPLES = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "devicetypes" / "device-types"
needs_samples = pytest.mark.skipif(
    not SAMPLES.is_dir(),
    reason=f"device-type samples not found at {SAMPLES} (shared data is not checked out)",
)

GOOD = """
manufacturer: Acme
model: Box 9000
part_number: BX-9000
u_height: 2
is_full_depth: false
airflow: rear-to-front
interfaces:
  - {name: eth0, type: 1000base-t}
  - {name: eth1, type: 1000base-t}
power-ports:
  - {name: PSU1, type: iec-60320-c14}
"""


@needs_samples
def test_imports_the_library_samples_and_a_second_run_changes_nothing():
    result = services.import_device_types(paths=[SAMPLES], actor=None)
    files = [p for p in SAMPLES.rglob("*") if p.suffix in (".yaml", ".yml")]
    assert result.created == len(files) == DeviceModel.objects.count()
    assert set(Manufacturer.objects.values_list("name", flat=True)) == {"APC", "Dell"}
    pe = DeviceModel.objects.get(name="PowerEdge 1950")
    assert (pe.manufacturer.name, pe.u_height, pe.is_full_depth, pe.airflow) == (
        "Dell",
        Decimal("1.0"),
        True,
        "front-to-rear",
    )
    assert (pe.interface_count, pe.power_port_count, pe.console_port_count) == (2, 2, 3)
    ats = DeviceModel.objects.get(name="AP4421")
    assert (ats.part_number, ats.power_outlet_count, ats.interface_count, ats.is_full_depth) == (
        "AP4421",
        12,
        1,
        False,
    )
    assert DeviceModel.objects.get(part_number="49H29").u_height == 0
    again = services.import_device_types(paths=[SAMPLES], actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(files))


@needs_samples
def test_command_imports_a_folder(capsys):
    call_command("cmdb", "import-device-types", str(SAMPLES / "APC"))
    assert "4 created" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no such file"):
        call_command("cmdb", "import-device-types", str(SAMPLES / "Nobody"))


def test_update_and_counts_from_text():
    services.import_device_types(documents=[("acme.yaml", GOOD)], actor=None)
    box = DeviceModel.objects.get(slug="acme-box-9000")
    assert (box.u_height, box.interface_count, box.power_port_count, box.airflow) == (
        2,
        2,
        1,
        "rear-to-front",
    )
    result = services.import_device_types(
        documents=[("acme.yaml", GOOD.replace("u_height: 2", "u_height: 1.5"))], actor=None
    )
    assert result.updated == 1
    box.refresh_from_db()
    assert box.u_height == Decimal("1.5")


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda t: t.replace("  - {name: eth1, type: 1000base-t}", "  - {type: 1000base-t}"),
            "bad.yaml: interfaces[1].name",
        ),
        (lambda t: t.replace("u_height: 2", "u_height: 0.3"), "bad.yaml: u_height"),
        (lambda t: t.replace("u_height: 2", "u_height: tall"), "bad.yaml: u_height"),
        (lambda t: t.replace("airflow: rear-to-front", "airflow: sideways"), "bad.yaml: airflow"),
        (lambda t: t.replace("is_full_depth: false", "is_full_depth: maybe"), "bad.yaml: is_full_depth"),
        (lambda t: t.replace("manufacturer: Acme\n", ""), "bad.yaml: manufacturer"),
        (
            lambda t: t.replace("power-ports:\n  - {name: PSU1, type: iec-60320-c14}", "power-ports: PSU1"),
            "bad.yaml: power-ports",
        ),
        (lambda t: t + "module-bays:\n  - just-a-string\n", "bad.yaml: module-bays[0]"),
        (lambda t: t + "  - {name: [", "bad.yaml: line"),
        (lambda t: "!!python/object/apply:os.system ['true']\n", "bad.yaml: line"),
        (lambda t: "- a list\n", "bad.yaml: document"),
        (lambda t: t.replace("model: Box 9000", "model: Box 9000\nslug: Not A Slug"), "bad.yaml: slug"),
    ],
)
def test_a_malformed_file_is_refused_by_path_and_nothing_is_written(change, named):
    good_other = GOOD.replace("Box 9000", "Box 1").replace("BX-9000", "BX-1")
    with pytest.raises(DeviceTypeError) as exc:
        services.import_device_types(
            documents=[("good.yaml", good_other), ("bad.yaml", change(GOOD))], actor=None
        )
    assert str(exc.value).startswith(named)
    assert not DeviceModel.objects.exists() and not Manufacturer.objects.exists()


def test_a_clash_with_the_catalogue_rolls_back_everything():
    other = Manufacturer.objects.create(name="Other", slug="other")
    DeviceModel.objects.create(manufacturer=other, name="Thing", slug="acme-box-9000")
    first = GOOD.replace("Box 9000", "Box 1")
    with pytest.raises(DeviceTypeError, match="b.yaml: slug"):
        services.import_device_types(documents=[("a.yaml", first), ("b.yaml", GOOD)], actor=None)
    assert DeviceModel.objects.count() == 1 and Manufacturer.objects.count() == 1
    with pytest.raises(DeviceTypeError, match="b.yaml: slug: acme-box-1 is also in a.yaml"):
        services.import_device_types(documents=[("a.yaml", first), ("b.yaml", first)], actor=None)


def test_api_upload(admin_client, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("api:cmdb-devicemodel-import-device-types")
    response = admin_client.post(url, {"files": [SimpleUploadedFile("acme.yaml", GOOD.encode())]})
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    bad = admin_client.post(url, {"files": [SimpleUploadedFile("x.yaml", b"model: 1")]})
    assert bad.status_code == 400 and "x.yaml: manufacturer" in bad.json()["files"][0]
    from steward.utilities.testing import make_user

    client.force_login(make_user("nobody"))
    assert client.post(url, {"files": [SimpleUploadedFile("acme.yaml", GOOD.encode())]}).status_code == 403


def test_ui_upload(admin_client, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("cmdb:devicemodel_import_device_types")
    assert url.encode() in admin_client.get(reverse("cmdb:devicemodel_list")).content  # in the menu
    assert admin_client.get(url).status_code == 200
    bad = GOOD.replace("  - {name: eth1, type: 1000base-t}", "  - {type: 1000base-t}")
    files = [
        SimpleUploadedFile("a.yaml", GOOD.replace("Box 9000", "Box 1").encode()),
        SimpleUploadedFile("b.yaml", bad.encode()),
    ]
    response = admin_client.post(url, {"files": files})
    assert response.status_code == 422
    assert "b.yaml: interfaces[1].name: required text. Nothing was imported." in response.content.decode()
    assert not DeviceModel.objects.exists()
    response = admin_client.post(url, {"files": [SimpleUploadedFile("a.yaml", GOOD.encode())]}, follow=True)
    assert "device types: 1 created" in response.content.decode()
    from steward.utilities.testing import make_user

    client.force_login(make_user("reader"))
    assert client.get(url).status_code == 403
