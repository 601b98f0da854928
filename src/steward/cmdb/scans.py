"""Scan files as discovered hosts: ``nmap -oX`` XML and FusionInventory / GLPI-agent inventories.

Both are parsed with defusedxml: a document declaring entities (the "billion laughs" bomb) or
referring to external ones is refused before anything is read from it. Each parser returns
``DiscoveredHost`` records; ``import_scan`` reconciles them all in one transaction, so a file
with one bad host imports nothing.
"""

from __future__ import annotations

import contextlib
import ipaddress
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError
from django.core.exceptions import ValidationError
from django.db import transaction

from steward.cmdb.choices import Ecosystem, InstallationSource
from steward.cmdb.discovery import (
    PLACEHOLDER_SERIALS,
    DiscoveredHost,
    DiscoveryError,
    ReconcileResult,
    max_bytes,
    primary_address,
    product_key,
    qualified_name,
    reconcile,
)
from steward.cmdb.models.discovery import MAC_RE, normalise_mac
from steward.core.context import change_context, current_actor

Element = Any  # an ElementTree element (no stdlib XML import here: parsing goes through defusedxml)

#: FusionInventory's VMSYSTEM words → systemd-detect-virt's, which discovery maps to a class.
VMSYSTEMS = {
    "physical": "",
    "qemu": "qemu",
    "kvm": "kvm",
    "vmware": "vmware",
    "xen": "xen",
    "hyper-v": "microsoft",
    "virtualbox": "oracle",
    "parallels": "parallels",
    "bhyve": "bhyve",
}


def _parse(data: bytes | str) -> Element:
    if len(data) > max_bytes():
        raise DiscoveryError({"file": ["The file is larger than STEWARD_DISCOVERY_MAX_MB."]})
    try:
        # Entity declarations and external references are refused; a bare <!DOCTYPE> is fine.
        return SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise DiscoveryError(
            {"file": [f"Refused unsafe XML ({type(exc).__name__}): entities are not allowed."]}
        ) from None
    except ParseError as exc:
        raise DiscoveryError({"file": [f"Not well-formed XML: {exc}."]}) from None


def parse_scan(data: bytes | str) -> tuple[str, list[DiscoveredHost]]:
    """Recognise the format from the root element; return (format, hosts)."""
    root = _parse(data)
    if root.tag == "nmaprun":
        return "nmap", parse_nmap(root)
    if root.tag == "REQUEST" and root.find("CONTENT") is not None:
        return "fusioninventory", [parse_fusioninventory(root)]
    raise DiscoveryError(
        {
            "file": [
                f"Unknown format (root element <{root.tag}>): expected nmap -oX XML or a FusionInventory inventory."
            ]
        }
    )


def _text(el: Element | None, tag: str, limit: int = 200) -> str:
    if el is None:
        return ""
    found = el.find(tag)
    return (found.text or "").strip()[:limit] if found is not None else ""


# --- nmap ---------------------------------------------------------------------------------------
def parse_nmap(root: Element) -> list[DiscoveredHost]:
    """Hosts that are up, with their addresses, MAC, names, open ports and services' CPEs."""
    hosts = []
    for i, node in enumerate(root.findall("host")):
        where = f"host[{i}]"
        status = node.find("status")
        if status is not None and status.get("state") != "up":
            continue
        host = DiscoveredHost(source=InstallationSource.NMAP, retire=False)
        addresses, mac, mac_vendor = [], "", ""
        for a in node.findall("address"):
            kind, value = a.get("addrtype", ""), (a.get("addr") or "").strip()
            if kind in ("ipv4", "ipv6"):
                try:
                    addresses.append(str(ipaddress.ip_address(value)))
                except ValueError:
                    raise DiscoveryError({f"{where}.address": [f"{value!r} is not an IP address."]}) from None
            elif kind == "mac":
                mac, mac_vendor = normalise_mac(value), a.get("vendor", "")
                if not MAC_RE.match(mac):
                    raise DiscoveryError({f"{where}.address": [f"{value!r} is not a MAC address."]})
        if not addresses:
            raise DiscoveryError({f"{where}.address": ["A host needs an IPv4 or IPv6 address."]})
        names = [h.get("name", "").strip() for h in node.findall("hostnames/hostname") if h.get("name")]
        if names:
            host.fqdn = names[0][:253]
            host.hostname = names[0].split(".")[0][:253]
        host.interfaces = [(f"scan-{addresses[0]}"[:64], mac, addresses)]
        services = []
        for port in node.findall("ports/port"):
            state = port.find("state")
            if state is None or state.get("state") != "open":
                continue
            svc = port.find("service")
            cpes = [(c.text or "").strip() for c in (svc.findall("cpe") if svc is not None else [])]
            entry = {
                "port": int(port.get("portid", "0") or 0),
                "protocol": port.get("protocol", ""),
                "service": svc.get("name", "") if svc is not None else "",
                "product": svc.get("product", "") if svc is not None else "",
                "version": svc.get("version", "") if svc is not None else "",
                "cpe": [c for c in cpes if c],
            }
            services.append(entry)
            for cpe in entry["cpe"]:
                package = cpe_package(cpe, entry["version"])
                if package:
                    host.packages.append(package)
        os_match = node.find("os/osmatch")
        host.attributes = {
            "hostname": (host.hostname or None, f"{where}.hostnames"),
            "ip_address": (primary_address(addresses) or addresses[0], f"{where}.address"),
            "management_ip": (primary_address(addresses) or addresses[0], f"{where}.address"),
        }
        host.facts = {
            "addresses": addresses,
            "mac_vendor": mac_vendor,
            "services": services,
            "os_guess": os_match.get("name", "") if os_match is not None else "",
            "scanned_at": root.get("startstr", ""),
        }
        host.packages = list(dict.fromkeys(host.packages))
        hosts.append(host)
    return hosts


def cpe_package(cpe: str, fallback_version: str = "") -> tuple[str, str, str, str, str] | None:
    """``cpe:/a:vendor:product:version`` (2.2) or ``cpe:2.3:a:…`` → a generic software package."""
    if cpe.startswith("cpe:2.3:"):
        parts = cpe.split(":")[2:]
    elif cpe.startswith("cpe:/"):
        parts = cpe[5:].split(":")
    else:
        return None
    if len(parts) < 3 or parts[0] != "a" or not parts[2] or parts[2] in ("*", "-"):
        return None
    version = parts[3] if len(parts) > 3 and parts[3] not in ("*", "-", "") else fallback_version
    vendor = parts[1].replace("\\", "")[:100]
    name = parts[2].replace("\\", "").replace("_", " ")[:200]
    return (*product_key(Ecosystem.GENERIC, vendor, name), version[:100], "")


# --- FusionInventory / GLPI agent ---------------------------------------------------------------
def parse_fusioninventory(root: Element) -> DiscoveredHost:
    """One inventory (``fusioninventory-agent --local DIR`` writes one ``.ocs`` file per run)."""
    content = root.find("CONTENT")
    hardware, bios, system = content.find("HARDWARE"), content.find("BIOS"), content.find("OPERATINGSYSTEM")
    host = DiscoveredHost(source=InstallationSource.FUSIONINVENTORY)
    host.hostname = _text(hardware, "NAME", 253).split(".")[0]
    host.fqdn = _text(system, "FQDN", 253)
    if not host.hostname:
        raise DiscoveryError({"CONTENT.HARDWARE.NAME": ["The inventory names no host."]})
    serial = _text(bios, "SSN", 100)
    host.serial_number = "" if serial.lower() in PLACEHOLDER_SERIALS else serial
    vm = _text(hardware, "VMSYSTEM", 50).lower()
    host.virtualization = VMSYSTEMS.get(vm, vm)
    os_name = _text(system, "NAME", 100) or _text(hardware, "OSNAME", 100)
    os_id = (os_name.split() or [""])[0].lower()
    cpus = content.findall("CPUS")
    threads = 0
    for cpu in cpus:
        value = _text(cpu, "THREAD") or _text(cpu, "CORE") or "1"
        if not value.isdigit():
            raise DiscoveryError({"CONTENT.CPUS.THREAD": [f"{value!r} is not a whole number."]})
        threads += int(value)
    memory = _text(hardware, "MEMORY")
    if memory and not memory.isdigit():
        raise DiscoveryError({"CONTENT.HARDWARE.MEMORY": [f"{memory!r} is not a whole number of MB."]})
    nics: dict[str, tuple[str, list[str]]] = {}
    for net in content.findall("NETWORKS"):
        name = _text(net, "DESCRIPTION", 64)
        if not name or _text(net, "TYPE") == "loopback" or name == "lo":
            continue
        mac = normalise_mac(_text(net, "MACADDR"))
        if mac and not MAC_RE.match(mac):
            raise DiscoveryError({f"CONTENT.NETWORKS[{name}].MACADDR": [f"{mac!r} is not a MAC address."]})
        known_mac, addrs = nics.get(name, ("", []))
        for tag in ("IPADDRESS", "IPADDRESS6"):
            value = _text(net, tag)
            if value:
                try:
                    addrs.append(str(ipaddress.ip_address(value)))
                except ValueError:
                    raise DiscoveryError(
                        {f"CONTENT.NETWORKS[{name}].{tag}": [f"{value!r} is not an IP address."]}
                    ) from None
        nics[name] = (known_mac or (mac if mac != "00:00:00:00:00:00" else ""), addrs)
    host.interfaces = [(name, mac, addrs) for name, (mac, addrs) in nics.items()]
    packages: dict[tuple[str, str, str, str, str], None] = {}
    for sw in content.findall("SOFTWARES"):
        name = _text(sw, "NAME")
        if not name:
            continue
        origin = _text(sw, "FROM").lower()
        ecosystem = {"deb": Ecosystem.DEBIAN, "rpm": Ecosystem.RPM}.get(origin, Ecosystem.GENERIC)
        vendor = os_id if ecosystem != Ecosystem.GENERIC else _text(sw, "PUBLISHER", 100)
        key = (*product_key(ecosystem, vendor, name), _text(sw, "VERSION", 100), _text(sw, "ARCH", 30))
        packages[key] = None
    host.packages = list(packages)
    cpu_model = _text(cpus[0], "NAME") if cpus else ""
    host.attributes = {
        "hostname": (qualified_name(host.hostname, host.fqdn), "CONTENT.HARDWARE.NAME"),
        "os": (os_name, "CONTENT.OPERATINGSYSTEM.NAME"),
        "os_version": (_text(system, "VERSION", 50), "CONTENT.OPERATINGSYSTEM.VERSION"),
        "cpu_model": (cpu_model, "CONTENT.CPUS.NAME"),
        "cpu_count": (threads or None, "CONTENT.CPUS.THREAD"),
        "vcpus": (threads or None, "CONTENT.CPUS.THREAD"),
        "memory_gb": (round(int(memory) / 1024, 1) if memory else None, "CONTENT.HARDWARE.MEMORY"),
        "ip_address": (primary_address(host.addresses), "CONTENT.NETWORKS"),
    }
    host.facts = {
        "os": {"id": os_id, "name": os_name, "version": _text(system, "VERSION", 50)},
        "kernel": {"release": _text(system, "KERNEL_VERSION")},
        "architecture": _text(system, "ARCH", 30),
        "boot_time": _text(system, "BOOT_TIME"),
        "vendor": _text(bios, "SMANUFACTURER", 100) or _text(bios, "MMANUFACTURER", 100),
        "model": _text(bios, "SMODEL", 100),
        "virtualization": vm,
        "storages": [
            {"name": _text(s, "NAME", 64), "size_mb": _text(s, "DISKSIZE"), "model": _text(s, "MODEL")}
            for s in content.findall("STORAGES")
        ],
        "device_id": _text(root, "DEVICEID"),
    }
    return host


# --- import -------------------------------------------------------------------------------------
def import_scan(*, data: bytes | str, actor: Any, filename: str = "") -> tuple[str, list[ReconcileResult]]:
    """Reconcile every host of a scan file; one bad host refuses the whole file (nothing written)."""
    fmt, hosts = parse_scan(data)
    results = []
    source = "import"
    context = (
        change_context(actor=actor, source=source) if current_actor() is None else contextlib.nullcontext()
    )
    with context, transaction.atomic():
        for i, host in enumerate(hosts):
            try:
                results.append(reconcile(host=host, actor=actor))
            except ValidationError as exc:
                label = f"host[{i}] ({host.label})" if fmt == "nmap" else host.label
                prefixed = {f"{label}: {k}": v for k, v in exc.message_dict.items()}
                raise (
                    type(exc)(prefixed) if isinstance(exc, DiscoveryError) else DiscoveryError(prefixed)
                ) from None
    return fmt, results
