"""nmap and FusionInventory imports: committed samples, real tools on this machine, unsafe XML."""

from __future__ import annotations

import http.server
import io
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from steward.cmdb import scans
from steward.cmdb.discovery import DiscoveryError
from steward.cmdb.models import ConfigurationItem, NetworkInterface, SoftwareInstallation, SoftwareProduct
from steward.core.models import ObjectChange, Token
from steward.utilities.testing import grant, make_user

DATA = Path(__file__).parent / "data"
NMAP = (DATA / "nmap-sample.xml").read_bytes()
FUSION = (DATA / "fusioninventory-sample.ocs").read_bytes()
IMPORT_URL = "/api/cmdb/configuration-items/import-discovery/"

BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<nmaprun><host><address addr="&lol3;" addrtype="ipv4"/></host></nmaprun>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE nmaprun [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<nmaprun><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/>
<hostnames><hostname name="&xxe;"/></hostnames></host></nmaprun>"""


# --- committed samples ---------------------------------------------------------------------------
def test_nmap_sample_parses_hosts_ports_and_cpes():
    fmt, hosts = scans.parse_scan(NMAP)
    assert fmt == "nmap"
    assert [h.label for h in hosts] == ["gw-02", "10.20.0.3"], "hosts that are down are skipped"
    gw = hosts[0]
    assert gw.fqdn == "gw-02.lab.example.org"
    assert gw.macs == ["52:54:00:1a:2b:3c"]
    assert [s["port"] for s in gw.facts["services"]] == [22, 443]
    assert ("generic", "openbsd", "openssh", "9.2p1", "") in gw.packages
    assert ("generic", "igor_sysoev", "nginx", "1.22.1", "") in gw.packages
    assert all(p[2] != "linux kernel" for p in gw.packages), "operating-system CPEs are not software"


def test_cpe_forms():
    assert scans.cpe_package("cpe:2.3:a:apache:http_server:2.4.62:*:*:*:*:*:*:*") == (
        "generic",
        "apache",
        "http server",
        "2.4.62",
        "",
    )
    assert scans.cpe_package("cpe:/a:postgresql:postgresql", "15.8")[3] == "15.8"
    assert scans.cpe_package("cpe:/h:cisco:router") is None
    assert scans.cpe_package("nonsense") is None


def test_fusioninventory_sample_parses():
    fmt, [host] = scans.parse_scan(FUSION)
    assert fmt == "fusioninventory"
    assert (host.hostname, host.fqdn, host.serial_number) == (
        "fi-host-01",
        "fi-host-01.example.org",
        "FI-SN-4711",
    )
    assert host.macs == ["52:54:00:30:00:05"]
    assert ("deb", "debian", "openssl") in {p[:3] for p in host.packages}
    assert host.attributes["os"][0] == "Debian GNU/Linux"


@pytest.mark.django_db
def test_nmap_import_finds_unknown_machines_and_is_idempotent():
    fmt, results = scans.import_scan(data=NMAP, actor=None)
    assert [r.created for r in results] == [True, True]
    gw = results[0].item
    assert gw.name == "gw-02"
    assert gw.attributes["ip_address"] == "10.20.0.2"
    assert [s["port"] for s in gw.discovery["sources"]["nmap"]["facts"]["services"]] == [22, 443]
    assert NetworkInterface.objects.get(configuration_item=gw).mac_address == "52:54:00:1a:2b:3c"
    nginx = SoftwareInstallation.objects.get(configuration_item=gw, product__name="nginx")
    assert (nginx.version, nginx.source, nginx.product.vendor) == ("1.22.1", "nmap", "igor_sysoev")
    rows = ObjectChange.objects.count()
    _fmt, again = scans.import_scan(data=NMAP, actor=None)
    assert [r.item.pk for r in again] == [r.item.pk for r in results]
    assert not any(r.changed for r in again)
    assert ObjectChange.objects.count() == rows


@pytest.mark.django_db
def test_fusioninventory_import_creates_item_with_installations():
    _fmt, [result] = scans.import_scan(data=FUSION, actor=None)
    item = result.item
    assert result.created and item.serial_number == "FI-SN-4711"
    assert item.installations.filter(source="fusioninventory").count() == 8
    assert SoftwareProduct.objects.filter(ecosystem="deb", vendor="debian", name="openssl").exists()


@pytest.mark.django_db
def test_agent_and_fusioninventory_share_products_and_rows():
    """The same host seen by both: one item (by serial), installations not duplicated."""
    _fmt, [first] = scans.import_scan(data=FUSION, actor=None)
    from steward.cmdb import discovery

    openssl = first.item.installations.get(product__name="openssl")
    result = discovery.ingest_agent_payload(
        data={
            "version": 1,
            "hostname": "fi-host-01",
            "serial_number": "FI-SN-4711",
            "os": {"id": "debian", "name": "Debian GNU/Linux"},
            "packages": [
                {
                    "ecosystem": "deb",
                    "name": "openssl",
                    "version": openssl.version,
                    "architecture": openssl.architecture,
                }
            ],
        },
        actor=None,
    )
    assert result.item.pk == first.item.pk
    assert result.installations_added == 0
    assert first.item.installations.filter(product__name="openssl").count() == 1


# --- unsafe and bad input ------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("document", [BOMB, EXTERNAL], ids=["entity-expansion", "external-entity"])
def test_entities_are_refused_and_nothing_written(document):
    with pytest.raises(DiscoveryError) as error:
        scans.import_scan(data=document, actor=None)
    assert "file" in error.value.message_dict
    assert "entities" in error.value.message_dict["file"][0]
    assert not ConfigurationItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("document", "key"),
    [
        (b"<nmaprun><host>", "file"),
        (b"<inventory/>", "file"),
        (b'<nmaprun><host><status state="up"/></host></nmaprun>', "host[0].address"),
        (
            b'<nmaprun><host><status state="up"/><address addr="10.0.0.1" addrtype="ipv4"/>'
            b'<address addr="zz" addrtype="mac"/></host></nmaprun>',
            "host[0].address",
        ),
    ],
)
def test_bad_files_name_the_problem(document, key):
    with pytest.raises(DiscoveryError) as error:
        scans.import_scan(data=document, actor=None)
    assert key in error.value.message_dict


@pytest.mark.django_db
def test_one_bad_host_imports_nothing():
    bad = NMAP.replace(b'<hostname name="gw-02.lab.example.org"', b'<hostname name="bad_name!.example.org"')
    with pytest.raises(DiscoveryError) as error:
        scans.import_scan(data=bad, actor=None)
    assert any(k.startswith("host[0] (bad_name!)") for k in error.value.message_dict)
    assert not ConfigurationItem.objects.exists()
    assert not SoftwareProduct.objects.exists()


# --- command, API and UI -------------------------------------------------------------------------
@pytest.mark.django_db
def test_command_imports_files_and_refuses_bad_ones(tmp_path):
    out = io.StringIO()
    call_command(
        "discovery-import",
        str(DATA / "nmap-sample.xml"),
        str(DATA / "fusioninventory-sample.ocs"),
        stdout=out,
    )
    assert "2 host(s)" in out.getvalue() and "1 host(s)" in out.getvalue()
    assert ConfigurationItem.objects.count() == 3
    bomb = tmp_path / "bomb.xml"
    bomb.write_bytes(BOMB)
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("discovery-import", str(bomb))
    with pytest.raises(CommandError, match="no such file"):
        call_command("discovery-import", str(tmp_path / "missing.xml"))


@pytest.mark.django_db
def test_api_upload_with_a_discovery_token():
    user = make_user("scanner")
    grant(user, ConfigurationItem, "view", "add", "change")
    key = Token.issue(user=user, scope="discovery", write_enabled=True)[1]
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    response = client.post(IMPORT_URL, {"file": io.BytesIO(NMAP)})
    assert response.status_code == 200, response.content
    assert response.json()["format"] == "nmap"
    assert len(response.json()["results"]) == 2
    bad = client.post(IMPORT_URL, {"file": io.BytesIO(BOMB)})
    assert bad.status_code == 400 and "file" in bad.json()
    assert client.post(IMPORT_URL, {}).status_code == 400


@pytest.mark.django_db
def test_api_upload_needs_rights():
    user = make_user("viewer")
    grant(user, ConfigurationItem, "view")
    key = Token.issue(user=user, scope="discovery", write_enabled=True)[1]
    response = Client(HTTP_AUTHORIZATION=f"Token {key}").post(IMPORT_URL, {"file": io.BytesIO(NMAP)})
    assert response.status_code == 403
    assert not ConfigurationItem.objects.exists()


@pytest.mark.django_db
def test_ui_upload(client):
    client.force_login(make_user("admin", superuser=True))
    url = reverse("cmdb:configurationitem_import_discovery")
    assert client.get(url).status_code == 200
    upload = io.BytesIO(FUSION)
    upload.name = "inventory.ocs"
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert b"fi-host-01" in response.content
    bomb = io.BytesIO(BOMB)
    bomb.name = "bomb.xml"
    refused = client.post(url, {"file": bomb})
    assert refused.status_code == 422 and b"Nothing was imported" in refused.content


@pytest.mark.django_db
def test_ui_upload_is_forbidden_without_permission(client):
    user = make_user("viewer")
    grant(user, ConfigurationItem, "view")
    client.force_login(user)
    assert client.get(reverse("cmdb:configurationitem_import_discovery")).status_code == 403


# --- real tools ----------------------------------------------------------------------------------
class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@pytest.mark.django_db
@pytest.mark.skipif(
    shutil.which("nmap") is None, reason="Debian package nmap not installed (make test installs it)"
)
def test_real_nmap_scan_of_a_loopback_port(tmp_path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = server.server_port
    out = tmp_path / "scan.xml"
    try:
        subprocess.run(  # noqa: S603
            ["nmap", "-oX", str(out), "-sV", "-n", "-Pn", "-p", str(port), "127.0.0.1"],  # noqa: S607
            check=True,
            capture_output=True,
            timeout=180,
        )
    finally:
        server.shutdown()
        server.server_close()
    _fmt, [result] = scans.import_scan(data=out.read_bytes(), actor=None)
    services = result.item.discovery["sources"]["nmap"]["facts"]["services"]
    assert [(s["port"], s["service"]) for s in services] == [(port, "http")]
    assert result.item.attributes["ip_address"] == "127.0.0.1"
    products = set(result.item.installations.values_list("product__name", flat=True))
    assert products, "the service's CPE becomes a software product"


@pytest.mark.django_db
@pytest.mark.skipif(
    shutil.which("fusioninventory-agent") is None, reason="Debian package fusioninventory-agent not installed"
)
def test_real_fusioninventory_agent_inventory_of_this_machine(tmp_path):
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "fusioninventory-agent",
            "--local",
            str(tmp_path),
            "--no-category=environment,process,user,local_user,local_group",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [inventory] = list(tmp_path.glob("*.ocs"))
    _fmt, [result] = scans.import_scan(data=inventory.read_bytes(), actor=None)
    dpkg = subprocess.run(  # noqa: S603
        ["dpkg-query", "-W", "-f", "${Package}\n"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    names = set(result.item.installations.values_list("product__name", flat=True))
    assert "bash" in names and len(names) >= 0.9 * len(set(dpkg))
    _fmt, [again] = scans.import_scan(data=inventory.read_bytes(), actor=None)
    assert not again.changed
