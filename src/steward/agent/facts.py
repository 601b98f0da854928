"""Facts of the machine the agent runs on, read from /proc, /sys, /etc and package managers.

Every reader takes ``root`` (``/`` normally) so tests can point it at a fake file tree, and
returns something harmless (empty, ``None``) when a source is missing or unreadable: an agent
on a minimal container must still report what it can.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import os
import platform
import shutil
import socket
import subprocess  # fixed argument lists, never a shell  # nosec B404
from pathlib import Path
from typing import Any

PAYLOAD_VERSION = 1
AGENT_VERSION = "1.0"
#: Serial numbers firmware vendors leave in place of a real one; they identify nothing.
PLACEHOLDER_SERIALS = {
    "",
    "0",
    "none",
    "n/a",
    "na",
    "default string",
    "not specified",
    "not applicable",
    "system serial number",
    "to be filled by o.e.m.",
    "0123456789",
    "chassis serial number",
}
#: Block devices that are not disks of the machine.
SKIPPED_BLOCK_PREFIXES = ("loop", "ram", "zram", "dm-", "md", "sr", "fd", "nbd")
COMMAND_TIMEOUT = 120


def _read(root: Path, path: str) -> str | None:
    try:
        return (root / path.lstrip("/")).read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return None


def _run(args: list[str]) -> str | None:
    """Output of a command found on PATH, or None when it is missing or fails."""
    exe = shutil.which(args[0])
    if exe is None:
        return None
    try:
        done = subprocess.run(  # noqa: S603 - fixed argument lists, no shell  # nosec B603
            [exe, *args[1:]], capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def os_release(root: Path) -> dict[str, str]:
    """``/etc/os-release`` (or ``/usr/lib/os-release``) as id, name, version and pretty name."""
    text = _read(root, "/etc/os-release") or _read(root, "/usr/lib/os-release") or ""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() and not key.startswith("#"):
            values[key.strip()] = value.strip().strip("\"'")
    return {
        "id": values.get("ID", ""),
        "name": values.get("NAME", platform.system()),
        "version": values.get("VERSION_ID", ""),
        "pretty_name": values.get("PRETTY_NAME", ""),
    }


def cpu(root: Path) -> dict[str, Any]:
    model = ""
    for line in (_read(root, "/proc/cpuinfo") or "").splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "cpu model", "Processor") and value.strip():
            model = value.strip()
            break
    return {"model": model or platform.processor(), "count": os.cpu_count() or 1}


def memory_bytes(root: Path) -> int | None:
    for line in (_read(root, "/proc/meminfo") or "").splitlines():
        if line.startswith("MemTotal:"):
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                return int(parts[1]) * 1024
    return None


def uptime_seconds(root: Path) -> int | None:
    text = _read(root, "/proc/uptime")
    try:
        return int(float(text.split()[0])) if text else None
    except (ValueError, IndexError):
        return None


def disks(root: Path) -> list[dict[str, Any]]:
    """Whole block devices (not partitions, loops or RAM disks) with size, model and kind."""
    base = root / "sys/block"
    found = []
    for dev in sorted(base.iterdir()) if base.is_dir() else []:
        if dev.name.startswith(SKIPPED_BLOCK_PREFIXES):
            continue
        sectors = _read(root, f"/sys/block/{dev.name}/size")
        if not sectors or not sectors.isdigit() or int(sectors) == 0:
            continue
        rotational = _read(root, f"/sys/block/{dev.name}/queue/rotational")
        found.append(
            {
                "name": dev.name,
                "size_bytes": int(sectors) * 512,
                "model": _read(root, f"/sys/block/{dev.name}/device/model") or "",
                "serial": _read(root, f"/sys/block/{dev.name}/device/serial") or "",
                "rotational": rotational == "1",
            }
        )
    return found


def interfaces(root: Path) -> list[dict[str, Any]]:
    """Network interfaces with their MAC and IP addresses (loopback left out)."""
    addresses = _ip_addresses()
    base = root / "sys/class/net"
    found = []
    for dev in sorted(base.iterdir()) if base.is_dir() else []:
        mac = (_read(root, f"/sys/class/net/{dev.name}/address") or "").lower()
        if dev.name == "lo" or _read(root, f"/sys/class/net/{dev.name}/type") == "772":
            continue
        found.append(
            {
                "name": dev.name,
                "mac": mac if mac and mac != "00:00:00:00:00:00" else "",
                "addresses": addresses.get(dev.name, []),
            }
        )
    return found


def _ip_addresses() -> dict[str, list[str]]:
    """Interface name → addresses, from ``ip -j addr`` (iproute2); empty when it is missing."""
    out = _run(["ip", "-j", "addr", "show"])
    try:
        links = json.loads(out) if out else []
    except ValueError:
        return {}
    result: dict[str, list[str]] = {}
    for link in links if isinstance(links, list) else []:
        addrs = [
            a["local"]
            for a in link.get("addr_info", [])
            if isinstance(a, dict) and a.get("local") and a.get("scope") != "host"
        ]
        result[str(link.get("ifname", ""))] = addrs
    return result


def dmi(root: Path) -> dict[str, str]:
    """Vendor, product and serial number from /sys/class/dmi/id (the serial needs root)."""
    serial = _read(root, "/sys/class/dmi/id/product_serial") or ""
    if serial.lower() in PLACEHOLDER_SERIALS:
        serial = ""
    return {
        "vendor": _read(root, "/sys/class/dmi/id/sys_vendor") or "",
        "model": _read(root, "/sys/class/dmi/id/product_name") or "",
        "serial_number": serial,
    }


def virtualization(root: Path) -> str:
    """The hypervisor or container technology, or "" on bare metal (systemd-detect-virt's words)."""
    out = _run(["systemd-detect-virt"])
    if out is not None:
        value = out.strip()
        return "" if value == "none" else value
    flags = _read(root, "/proc/cpuinfo") or ""
    return "vm" if " hypervisor" in flags else ""


def dpkg_packages() -> list[dict[str, str]]:
    out = _run(["dpkg-query", "-W", "-f", "${Package}\t${Version}\t${Architecture}\t${db:Status-Abbrev}\n"])
    packages = []
    for line in (out or "").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[3].startswith("ii"):
            packages.append(
                {"ecosystem": "deb", "name": parts[0], "version": parts[1], "architecture": parts[2]}
            )
    return packages


def rpm_packages() -> list[dict[str, str]]:
    out = _run(["rpm", "-qa", "--queryformat", "%{NAME}\t%{EPOCH}\t%{VERSION}-%{RELEASE}\t%{ARCH}\n"])
    packages = []
    for line in (out or "").splitlines():
        parts = line.split("\t")
        if len(parts) == 4 and parts[0] != "gpg-pubkey":
            epoch = "" if parts[1] in ("(none)", "") else parts[1] + ":"
            packages.append(
                {"ecosystem": "rpm", "name": parts[0], "version": epoch + parts[2], "architecture": parts[3]}
            )
    return packages


def python_packages() -> list[dict[str, str]]:
    """Distributions of the Python environment the agent runs in."""
    seen: dict[str, dict[str, str]] = {}
    for dist in importlib.metadata.distributions():
        name = (dist.metadata["Name"] or "").strip()
        if name and name.lower() not in seen:
            seen[name.lower()] = {
                "ecosystem": "pypi",
                "name": name,
                "version": dist.version or "",
                "architecture": "",
            }
    return sorted(seen.values(), key=lambda p: p["name"].lower())


def collect(*, root: str | Path = "/", packages: bool = True, python: bool = True) -> dict[str, Any]:
    """Every fact of this machine as the JSON-ready payload the server's discovery endpoint takes."""
    root = Path(root)
    uname = platform.uname()
    facts = dmi(root)
    payload: dict[str, Any] = {
        "version": PAYLOAD_VERSION,
        "agent": {"name": "steward-agent", "version": AGENT_VERSION},
        "collected_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "hostname": socket.gethostname().split(".")[0],
        "fqdn": socket.getfqdn(),
        "os": os_release(root),
        "kernel": {"name": uname.system, "release": uname.release, "version": uname.version},
        "architecture": uname.machine,
        "cpu": cpu(root),
        "memory_bytes": memory_bytes(root),
        "disks": disks(root),
        "interfaces": interfaces(root),
        "uptime_seconds": uptime_seconds(root),
        "serial_number": facts["serial_number"],
        "vendor": facts["vendor"],
        "model": facts["model"],
        "virtualization": virtualization(root),
        "packages": [],
    }
    if packages:
        payload["packages"] = dpkg_packages() + rpm_packages()
    if python:
        payload["packages"] += python_packages()
    return payload
