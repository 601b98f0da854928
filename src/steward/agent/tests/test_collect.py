"""The agent's readers on a fake /proc, /sys and /etc tree, and its command line (no Django here)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from steward.agent import facts as c
from steward.agent import main as agent


def write(root: Path, path: str, text: str) -> None:
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


@pytest.fixture
def fake_root(tmp_path: Path) -> Path:
    write(
        tmp_path,
        "/etc/os-release",
        'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian 12"\n',
    )
    write(tmp_path, "/proc/cpuinfo", "processor\t: 0\nmodel name\t: AMD EPYC 7443\nflags\t: fpu hypervisor\n")
    write(tmp_path, "/proc/meminfo", "MemTotal:       16384000 kB\nMemFree: 1 kB\n")
    write(tmp_path, "/proc/uptime", "12345.67 999.00\n")
    write(tmp_path, "/sys/block/sda/size", "1000000\n")
    write(tmp_path, "/sys/block/sda/device/model", "Samsung SSD\n")
    write(tmp_path, "/sys/block/sda/queue/rotational", "0\n")
    write(tmp_path, "/sys/block/loop0/size", "100\n")
    write(tmp_path, "/sys/class/net/eth0/address", "52:54:00:AA:BB:CC\n")
    write(tmp_path, "/sys/class/net/eth0/type", "1\n")
    write(tmp_path, "/sys/class/net/lo/address", "00:00:00:00:00:00\n")
    write(tmp_path, "/sys/class/dmi/id/product_serial", "To be filled by O.E.M.\n")
    write(tmp_path, "/sys/class/dmi/id/sys_vendor", "QEMU\n")
    return tmp_path


def test_readers_on_a_fake_tree(fake_root: Path):
    assert c.os_release(fake_root) == {
        "id": "debian",
        "name": "Debian GNU/Linux",
        "version": "12",
        "pretty_name": "Debian 12",
    }
    assert c.cpu(fake_root)["model"] == "AMD EPYC 7443"
    assert c.memory_bytes(fake_root) == 16384000 * 1024
    assert c.uptime_seconds(fake_root) == 12345
    assert c.disks(fake_root) == [
        {"name": "sda", "size_bytes": 512000000, "model": "Samsung SSD", "serial": "", "rotational": False}
    ]
    nics = c.interfaces(fake_root)
    assert [(n["name"], n["mac"]) for n in nics] == [("eth0", "52:54:00:aa:bb:cc")]
    assert c.dmi(fake_root) == {"vendor": "QEMU", "model": "", "serial_number": ""}


def test_missing_sources_give_empty_facts(tmp_path: Path):
    assert c.memory_bytes(tmp_path) is None
    assert c.uptime_seconds(tmp_path) is None
    assert c.disks(tmp_path) == []
    assert c.interfaces(tmp_path) == []
    assert c.dmi(tmp_path)["serial_number"] == ""


def test_collect_on_this_machine_lists_its_python_packages():
    payload = c.collect(packages=False)
    assert payload["version"] == c.PAYLOAD_VERSION
    assert payload["hostname"]
    names = {p["name"].lower() for p in payload["packages"] if p["ecosystem"] == "pypi"}
    assert "pytest" in names
    json.dumps(payload)  # JSON-ready


def test_dry_run_prints_the_payload(capsys):
    assert agent.main(["--print", "--no-packages", "--no-python"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["packages"] == []


def test_server_and_token_are_required_to_post():
    with pytest.raises(SystemExit):
        agent.main(["--once"])


class _Recorder(BaseHTTPRequestHandler):
    received: list = []
    status = 201

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append((self.path, self.headers["Authorization"], json.loads(body)))
        answer = json.dumps(
            {"summary": "CI0000001 vm created"} if self.status < 400 else {"hostname": ["bad"]}
        )
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize(("status", "code"), [(201, 0), (400, 2)])
def test_once_posts_json_with_the_token(status, code, capsys):
    _Recorder.received, _Recorder.status = [], status
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        assert agent.main(["--server", url, "--token", "stw_x", "--once", "--no-packages"]) == code
    finally:
        server.shutdown()
        server.server_close()
    path, auth, body = _Recorder.received[0]
    assert (path, auth) == (agent.ENDPOINT, "Token stw_x")
    assert body["hostname"]
    out = capsys.readouterr()
    assert ("created" in out.out) if code == 0 else ("400" in out.err)


def test_unreachable_server_exits_non_zero(capsys):
    assert (
        agent.main(
            ["--server", "http://127.0.0.1:9", "--token", "t", "--once", "--no-packages", "--timeout", "2"]
        )
        == 1
    )
    assert "cannot reach" in capsys.readouterr().err
