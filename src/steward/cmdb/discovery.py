"""Discovery reconciliation: what an agent or a scan reported, merged into the CMDB.

Every source (the agent's JSON, an nmap scan, a FusionInventory inventory) is first turned into
``DiscoveredHost`` records — validated, with errors naming the payload path — and then
``reconcile`` merges each one into one configuration item in one transaction:

1. **Identity**: the item with the same serial number, else the one owning an interface with one
   of the reported MAC addresses, else the one named like the host name (or FQDN), else (scans
   only) the one with the reported IP address; none → a new item. Two candidates on one level
   are a conflict and change nothing.
2. **Fields**: the serial number and the class attributes discovery knows (host name, OS, CPU,
   memory, IP…). An empty field, or one still holding what discovery last reported, takes the
   new value; a field a person changed is left alone and a ``Drift`` is opened instead.
3. **Interfaces and installations**: set-based — one read per table, bulk inserts, one update
   of ``last_seen``; rows the same source reported before but not now are retired (deleted).
4. ``last_discovered`` and the raw facts are stored without a change-log row, so an identical
   second run writes no history at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from steward.cmdb.choices import Ecosystem, InstallationSource
from steward.cmdb.models import (
    CIClass,
    ConfigurationItem,
    Drift,
    NetworkInterface,
    SoftwareInstallation,
    SoftwareProduct,
)
from steward.cmdb.models.classes import validate_attributes
from steward.cmdb.models.discovery import MAC_RE, normalise_mac
from steward.cmdb.models.software import package_url
from steward.core import bulk, changelog, events
from steward.core.context import change_context, current_actor
from steward.core.search import index as search_index
from steward.core.serialization import snapshot

PAYLOAD_VERSION = 1
MAX_PACKAGES = 50_000
MAX_INTERFACES = 512
MAX_DISKS = 512
#: An installation as a report names it: its product's identity, then version and architecture.
INSTALLATION_KEY = ("product__ecosystem", "product__vendor", "product__name", "version", "architecture")
#: Fields of the item itself (besides class attributes) discovery maintains and may drift on.
DRIFT_FIELDS = ("serial_number",)
PLACEHOLDER_SERIALS = {
    "",
    "0",
    "none",
    "n/a",
    "default string",
    "not specified",
    "system serial number",
    "to be filled by o.e.m.",
    "chassis serial number",
    "0123456789",
}
#: systemd-detect-virt names of hypervisors (a VM) → the virtual-machine class's platform choice.
HYPERVISORS = {
    "kvm": "kvm",
    "qemu": "kvm",
    "vmware": "vmware",
    "microsoft": "hyper-v",
    "xen": "xen",
    "amazon": "aws",
    "oracle": "other",
    "bochs": "other",
    "parallels": "other",
    "bhyve": "other",
    "vm": "other",
}


class DiscoveryError(ValidationError):
    """A payload or file is malformed or violates a class schema; keyed by the payload path."""


class IdentityConflict(DiscoveryError):
    """Several items match the reported identity; nothing was changed."""


# --- the normalised host ------------------------------------------------------------------------
@dataclass
class DiscoveredHost:
    """One machine as a source reported it, ready to reconcile."""

    source: str
    hostname: str = ""
    fqdn: str = ""
    serial_number: str = ""
    virtualization: str = ""
    #: Class attribute name → (value, payload path); only those the item's class defines are used.
    attributes: dict[str, tuple[Any, str]] = field(default_factory=dict)
    #: (name, mac, [addresses])
    interfaces: list[tuple[str, str, list[str]]] = field(default_factory=list)
    #: (ecosystem, vendor, name, version, architecture)
    packages: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    #: Whether this source's earlier installations not reported now are retired.
    retire: bool = True

    @property
    def macs(self) -> list[str]:
        return sorted({mac for _n, mac, _a in self.interfaces if mac})

    @property
    def addresses(self) -> list[str]:
        return [a for _n, _m, addrs in self.interfaces for a in addrs]

    @property
    def label(self) -> str:
        return (
            self.hostname or self.fqdn or (self.addresses[0] if self.addresses else "") or self.serial_number
        )


@dataclass
class ReconcileResult:
    item: ConfigurationItem
    created: bool = False
    changed_fields: list[str] = field(default_factory=list)
    drifts: list[str] = field(default_factory=list)
    interfaces_added: int = 0
    interfaces_changed: int = 0
    interfaces_removed: int = 0
    installations_added: int = 0
    installations_retired: int = 0
    installations_seen: int = 0
    products_created: int = 0

    @property
    def changed(self) -> bool:
        return bool(
            self.created
            or self.changed_fields
            or self.drifts
            or self.interfaces_added
            or self.interfaces_changed
            or self.interfaces_removed
            or self.installations_added
            or self.installations_retired
        )

    def summary(self) -> str:
        verb = "created" if self.created else ("updated" if self.changed else "unchanged")
        parts = [f"{self.item.reference} {self.item.name} {verb}"]
        if self.changed_fields:
            parts.append(f"fields: {', '.join(self.changed_fields)}")
        if self.drifts:
            parts.append(f"drift on: {', '.join(self.drifts)}")
        parts.append(
            f"installations +{self.installations_added} -{self.installations_retired} "
            f"({self.installations_seen} reported)"
        )
        if self.interfaces_added or self.interfaces_changed or self.interfaces_removed:
            parts.append(
                f"interfaces +{self.interfaces_added} ~{self.interfaces_changed} -{self.interfaces_removed}"
            )
        return "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "item": self.item.pk,
            "reference": self.item.reference,
            "name": self.item.name,
            "created": self.created,
            "changed": self.changed,
            "changed_fields": self.changed_fields,
            "drifts": self.drifts,
            "interfaces": {
                "added": self.interfaces_added,
                "changed": self.interfaces_changed,
                "removed": self.interfaces_removed,
            },
            "installations": {
                "added": self.installations_added,
                "retired": self.installations_retired,
                "reported": self.installations_seen,
            },
            "products_created": self.products_created,
            "summary": self.summary(),
        }


# --- validating the agent's payload -------------------------------------------------------------
class _Checker:
    """Collects errors keyed by payload path ("packages[3].version")."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def text(self, data: dict, key: str, path: str, *, max_length: int, required: bool = False) -> str:
        value = data.get(key)
        if value is None or value == "":
            if required:
                self.add(path, "This field is required.")
            return ""
        if not isinstance(value, str):
            self.add(path, "Expected text.")
            return ""
        value = value.strip()
        if len(value) > max_length:
            self.add(path, f"At most {max_length} characters.")
            return ""
        if "\x00" in value:
            self.add(path, "Null characters are not allowed.")
            return ""
        return value

    def integer(self, data: dict, key: str, path: str, *, minimum: int = 0) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(path, "Expected a whole number.")
            return None
        if value < minimum:
            self.add(path, f"Must be at least {minimum}.")
            return None
        return value

    def obj(self, data: dict, key: str, path: str) -> dict:
        value = data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, "Expected an object.")
            return {}
        return value

    def array(self, data: dict, key: str, path: str, *, max_items: int) -> list:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, "Expected a list.")
            return []
        if len(value) > max_items:
            self.add(path, f"At most {max_items} entries.")
            return []
        return value


def parse_agent_payload(data: Any) -> DiscoveredHost:
    """Validate the agent's JSON (see docs/cmdb-discovery.md); raise ``DiscoveryError`` naming paths."""
    if not isinstance(data, dict):
        raise DiscoveryError({"non_field_errors": ["Expected a JSON object."]})
    c = _Checker()
    version = data.get("version")
    if version != PAYLOAD_VERSION:
        c.add("version", f"Unsupported payload version {version!r}; this server reads {PAYLOAD_VERSION}.")
    host = DiscoveredHost(source=InstallationSource.AGENT)
    host.hostname = c.text(data, "hostname", "hostname", max_length=253, required=True)
    host.fqdn = c.text(data, "fqdn", "fqdn", max_length=253)
    serial = c.text(data, "serial_number", "serial_number", max_length=100)
    host.serial_number = "" if serial.lower() in PLACEHOLDER_SERIALS else serial
    host.virtualization = c.text(data, "virtualization", "virtualization", max_length=50).lower()
    os_info = c.obj(data, "os", "os")
    os_id = c.text(os_info, "id", "os.id", max_length=50).lower()
    os_name = c.text(os_info, "name", "os.name", max_length=100)
    os_version = c.text(os_info, "version", "os.version", max_length=50)
    pretty = c.text(os_info, "pretty_name", "os.pretty_name", max_length=200)
    kernel = c.obj(data, "kernel", "kernel")
    kernel_facts = {
        k: c.text(kernel, k, f"kernel.{k}", max_length=200) for k in ("name", "release", "version")
    }
    architecture = c.text(data, "architecture", "architecture", max_length=30)
    cpu = c.obj(data, "cpu", "cpu")
    cpu_model = c.text(cpu, "model", "cpu.model", max_length=200)
    cpu_count = cpu.get("count")
    if cpu_count is not None and (isinstance(cpu_count, bool) or not isinstance(cpu_count, int)):
        c.add("cpu.count", "Expected a whole number.")
        cpu_count = None
    memory = c.integer(data, "memory_bytes", "memory_bytes")
    uptime = c.integer(data, "uptime_seconds", "uptime_seconds")
    disks = []
    for i, disk in enumerate(c.array(data, "disks", "disks", max_items=MAX_DISKS)):
        path = f"disks[{i}]"
        if not isinstance(disk, dict):
            c.add(path, "Expected an object.")
            continue
        disks.append(
            {
                "name": c.text(disk, "name", f"{path}.name", max_length=64, required=True),
                "size_bytes": c.integer(disk, "size_bytes", f"{path}.size_bytes"),
                "model": c.text(disk, "model", f"{path}.model", max_length=200),
            }
        )
    seen_names: set[str] = set()
    for i, nic in enumerate(c.array(data, "interfaces", "interfaces", max_items=MAX_INTERFACES)):
        path = f"interfaces[{i}]"
        if not isinstance(nic, dict):
            c.add(path, "Expected an object.")
            continue
        name = c.text(nic, "name", f"{path}.name", max_length=64, required=True)
        mac = normalise_mac(c.text(nic, "mac", f"{path}.mac", max_length=32))
        if mac and not MAC_RE.match(mac):
            c.add(f"{path}.mac", "Expected a MAC address such as 52:54:00:12:34:56.")
        addresses = nic.get("addresses") or []
        if not isinstance(addresses, list) or not all(isinstance(a, str) for a in addresses):
            c.add(f"{path}.addresses", "Expected a list of IP addresses.")
            addresses = []
        for j, address in enumerate(addresses):
            try:
                ipaddress.ip_address(address.split("%")[0])
            except ValueError:
                c.add(f"{path}.addresses[{j}]", "Expected an IPv4 or IPv6 address.")
        if name in seen_names:
            c.add(f"{path}.name", f"The interface {name} is listed twice.")
        seen_names.add(name)
        host.interfaces.append(
            (name, mac if mac != "00:00:00:00:00:00" else "", [a.split("%")[0] for a in addresses])
        )
    host.packages = _packages(c, data, os_id)
    if c.errors:
        raise DiscoveryError(c.errors)
    host.attributes = {
        "hostname": (qualified_name(host.hostname, host.fqdn), "hostname"),
        "os": (os_name, "os.name"),
        "os_version": (os_version, "os.version"),
        "cpu_model": (cpu_model, "cpu.model"),
        "cpu_count": (cpu_count, "cpu.count"),
        "vcpus": (cpu_count, "cpu.count"),
        "memory_gb": (round(memory / 2**30, 1) if memory else None, "memory_bytes"),
        "ip_address": (primary_address(host.addresses), "interfaces"),
        "platform": (HYPERVISORS.get(host.virtualization), "virtualization"),
    }
    host.facts = {
        "os": {"id": os_id, "name": os_name, "version": os_version, "pretty_name": pretty},
        "kernel": kernel_facts,
        "architecture": architecture,
        "cpu": {"model": cpu_model, "count": cpu_count},
        "memory_bytes": memory,
        "disks": disks,
        "uptime_seconds": uptime,
        "vendor": c.text(data, "vendor", "vendor", max_length=100),
        "model": c.text(data, "model", "model", max_length=100),
        "virtualization": host.virtualization,
        "fqdn": host.fqdn,
        "collected_at": c.text(data, "collected_at", "collected_at", max_length=40),
    }
    return host


#: Ecosystems whose package names are case-insensitive (as ``SoftwareProduct.clean`` treats them).
_LOWERCASE_NAMES = frozenset({Ecosystem.DEBIAN.value, Ecosystem.RPM.value, Ecosystem.PYPI.value})
#: Ecosystems whose packages come from the operating system's distribution: it is their vendor.
_OS_VENDOR = frozenset({Ecosystem.DEBIAN.value, Ecosystem.RPM.value})
_ECOSYSTEMS = frozenset(Ecosystem.values)
_PACKAGE_LIMITS = (("name", 200), ("version", 100), ("architecture", 30), ("vendor", 100))


def _packages(c: _Checker, data: dict, os_id: str) -> list[tuple[str, str, str, str, str]]:
    """The reported packages as (ecosystem, vendor, name, version, architecture), first mention kept.

    An agent sends thousands of well-formed packages: each is taken by ``_plain_package``, which
    only accepts what ``_checked_package`` (the field-by-field check naming the payload path)
    would accept unchanged, and hands anything else to it.
    """
    packages: dict[tuple[str, str, str, str, str], None] = {}
    for i, pkg in enumerate(c.array(data, "packages", "packages", max_items=MAX_PACKAGES)):
        fields = _plain_package(pkg)
        if fields is None:
            fields = _checked_package(c, pkg, f"packages[{i}]")
            if fields is None:
                continue
        ecosystem, name, version, arch, vendor = fields
        vendor = vendor.lower()
        if not vendor and ecosystem in _OS_VENDOR:
            vendor = os_id
        if ecosystem in _LOWERCASE_NAMES:
            name = name.lower()
        packages[(ecosystem, vendor, name, version, arch)] = None
    return list(packages)


def _plain_package(pkg: Any) -> tuple[str, str, str, str, str] | None:
    """(ecosystem, name, version, architecture, vendor) stripped, if every field is plainly valid.

    None when anything needs a closer look (a missing or blank name, a wrong type, a value too
    long or holding a null character): the caller then runs the full check.
    """
    if type(pkg) is not dict:
        return None
    ecosystem = pkg.get("ecosystem")
    if type(ecosystem) is not str or ecosystem not in _ECOSYSTEMS:
        return None
    values = []
    for key, max_length in _PACKAGE_LIMITS:
        value = pkg.get(key)
        if value is None:
            value = ""
        elif type(value) is not str:
            return None
        value = value.strip()
        if len(value) > max_length or "\x00" in value:
            return None
        values.append(value)
    if not values[0]:
        return None
    return ecosystem, values[0], values[1], values[2], values[3]


def _checked_package(c: _Checker, pkg: Any, path: str) -> tuple[str, str, str, str, str] | None:
    """The same fields checked one by one, each error naming its path; None when unusable."""
    if not isinstance(pkg, dict):
        c.add(path, "Expected an object.")
        return None
    ecosystem = pkg.get("ecosystem")
    if not isinstance(ecosystem, str) or ecosystem not in _ECOSYSTEMS:
        c.add(f"{path}.ecosystem", f"Choose one of: {', '.join(sorted(_ECOSYSTEMS))}.")
        return None
    name = c.text(pkg, "name", f"{path}.name", max_length=200, required=True)
    version = c.text(pkg, "version", f"{path}.version", max_length=100)
    arch = c.text(pkg, "architecture", f"{path}.architecture", max_length=30)
    vendor = c.text(pkg, "vendor", f"{path}.vendor", max_length=100)
    if not name:
        return None
    return ecosystem, name, version, arch, vendor


def qualified_name(hostname: str, fqdn: str) -> str:
    """The FQDN when the host knows a real one (``localhost`` and bare names are not), else the name."""
    if (
        fqdn
        and "." in fqdn
        and not fqdn.startswith("localhost")
        and fqdn.split(".")[0] == hostname.split(".")[0]
    ):
        return fqdn
    return hostname


def product_key(ecosystem: str, vendor: str, name: str) -> tuple[str, str, str]:
    """How ``SoftwareProduct.clean`` normalises a product's identity."""
    name = name.strip()
    if ecosystem in _LOWERCASE_NAMES:
        name = name.lower()
    return ecosystem, vendor.strip().lower(), name


def primary_address(addresses: list[str]) -> str | None:
    """The first global IPv4 address, else the first global IPv6 one."""
    parsed = []
    for a in addresses:
        try:
            parsed.append(ipaddress.ip_address(a))
        except ValueError:
            continue
    for version in (4, 6):
        for ip in parsed:
            if ip.version == version and not (ip.is_loopback or ip.is_link_local):
                return str(ip)
    return None


# --- reconciliation -----------------------------------------------------------------------------
def reconcile(*, host: DiscoveredHost, actor: Any, now: dt.datetime | None = None) -> ReconcileResult:
    """Merge one discovered host into the CMDB (see the module docstring); all or nothing."""
    now = now or timezone.now()
    source_name = "import" if host.source != InstallationSource.AGENT else "api"
    context = (
        change_context(actor=actor, source=source_name)
        if current_actor() is None
        else contextlib.nullcontext()
    )
    with context, transaction.atomic():
        item = identify(host)
        result = ReconcileResult(item=item) if item is not None else None
        if item is None:
            item = _create_item(host, now)
            result = ReconcileResult(item=item, created=True)
        else:
            _update_fields(item, host, result, now)
        _reconcile_interfaces(item, host, result)
        _reconcile_installations(item, host, result, now)
        discovery = dict(item.discovery or {})
        sources = dict(discovery.get("sources") or {})
        sources[host.source] = {"at": now.isoformat(), "facts": host.facts}
        discovery["sources"] = sources
        discovery["fields"] = {**(discovery.get("fields") or {}), **_reported_fields(item, host)}
        # Heartbeat data, not history: written without a change-log row.
        ConfigurationItem.objects.filter(pk=item.pk).update(last_discovered=now, discovery=discovery)
        item.last_discovered, item.discovery = now, discovery
        changelog.remember_state(item)
        if result.changed:
            _emit(result, host)
    return result


def _emit(result: ReconcileResult, host: DiscoveredHost) -> None:
    item = result.item
    data = result.as_dict()
    data["source"] = host.source
    events.emit(
        events.Event(
            name="cmdb.discovery.reconciled",
            model="cmdb.configurationitem",
            object_id=item.pk,
            object_repr=str(item)[:200],
            object_url=item.get_absolute_url(),
            data=data,
            actor=None,
        )
    )


def identify(host: DiscoveredHost) -> ConfigurationItem | None:
    """The item this host is: by serial number, then MAC address, then host name, then IP."""
    # With its class and the class's parent: the attribute schema is inherited (server < hardware).
    qs = ConfigurationItem.objects.select_related("ci_class__parent")
    for level, q in _identity_levels(host):
        found = list(qs.filter(q).order_by("pk")[:3])
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            refs = ", ".join(i.reference for i in found)
            raise IdentityConflict(
                {
                    "identity": [
                        f"Several items match this host by {level.replace('_', ' ')}: {refs}. Nothing was changed."
                    ]
                }
            )
    return None


def _identity_levels(host: DiscoveredHost) -> Iterator[tuple[str, Q]]:
    """Each identity level's filter, built only when the levels before it found nothing."""
    if host.serial_number:
        yield "serial_number", Q(serial_number=host.serial_number)
    if host.macs:
        ids = NetworkInterface.objects.filter(mac_address__in=host.macs).values("configuration_item_id")
        yield "mac", Q(pk__in=ids)
    names = {n for n in (host.hostname, host.fqdn) if n}
    if names:
        q = Q()
        for n in names:
            q |= Q(name__iexact=n) | Q(attributes__hostname__iexact=n)
        yield "hostname", q
    if host.source == InstallationSource.NMAP and host.addresses:
        q = Q()
        for a in host.addresses:
            q |= Q(attributes__ip_address=a)
        yield "ip_address", q


def _class_for(host: DiscoveredHost) -> CIClass:
    slug = "virtual-machine" if host.virtualization in HYPERVISORS else "server"
    return CIClass.objects.get(slug=slug)


def _discovered_attributes(host: DiscoveredHost, schema: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """The attributes this host reports that the class defines, validated; errors name the path."""
    values = {k: v for k, v in host.attributes.items() if k in schema and v[0] not in (None, "")}
    errors: dict[str, list[str]] = {}
    for name, (value, path) in values.items():
        for key, message in validate_attributes({name: schema[name]}, {name: value}).items():
            errors.setdefault(path, []).append(f"{key}: {message}")
    if errors:
        raise DiscoveryError(errors)
    return values


def _create_item(host: DiscoveredHost, now: dt.datetime) -> ConfigurationItem:
    cls = _class_for(host)
    attrs = _discovered_attributes(host, cls.effective_schema())
    item = ConfigurationItem(
        name=(host.label or "unnamed host")[:200],
        ci_class=cls,
        serial_number=host.serial_number,
        attributes={k: v for k, (v, _p) in attrs.items()},
        description="",
    )
    try:
        item.full_clean()
    except ValidationError as exc:
        raise DiscoveryError(exc.message_dict) from None
    item.save()
    return item


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)


def _update_fields(
    item: ConfigurationItem, host: DiscoveredHost, result: ReconcileResult, now: dt.datetime
) -> None:
    """Fill empty fields and follow discovery's own earlier values; open drift on manual ones."""
    attrs = _discovered_attributes(host, item.ci_class.effective_schema())
    last = (item.discovery or {}).get("fields") or {}
    wanted: dict[str, Any] = {f"attributes.{k}": v for k, (v, _p) in attrs.items()}
    if host.serial_number:
        wanted["serial_number"] = host.serial_number
    attributes = dict(item.attributes or {})
    updated: list[str] = []
    conflicts: dict[str, tuple[Any, Any]] = {}
    for key, value in wanted.items():
        current = attributes.get(key[11:]) if key.startswith("attributes.") else getattr(item, key)
        if current == value:
            continue
        if current in (None, "") or (key in last and last[key] == current):
            if key.startswith("attributes."):
                attributes[key[11:]] = value
            else:
                setattr(item, key, value)
            updated.append(key)
        else:
            conflicts[key] = (current, value)
    if updated:
        item.attributes = attributes
        item.save(update_fields=["attributes", "serial_number", "last_updated"])
        result.changed_fields = updated
    if conflicts:
        _raise_drifts(item, host, conflicts, result, now)


def _raise_drifts(
    item: ConfigurationItem,
    host: DiscoveredHost,
    conflicts: dict[str, tuple[Any, Any]],
    result: ReconcileResult,
    now: dt.datetime,
) -> None:
    existing: dict[str, list[Drift]] = {}
    for d in Drift.objects.filter(configuration_item=item, field__in=list(conflicts)):
        existing.setdefault(d.field, []).append(d)
    for key, (manual, discovered) in conflicts.items():
        rows = existing.get(key, [])
        open_row = next((d for d in rows if d.state == "open"), None)
        if open_row is not None:
            if open_row.discovered_data == discovered and open_row.manual_value == _as_text(manual):
                continue
            open_row.discovered_value = _as_text(discovered)[:500]
            open_row.discovered_data = discovered
            open_row.manual_value = _as_text(manual)[:500]
            open_row.last_detected = now
            open_row.save()
            result.drifts.append(key)
            continue
        if any(d.state == "accepted" and d.discovered_data == discovered for d in rows):
            continue  # someone already decided the manual value stands against this very report
        Drift(
            configuration_item=item,
            field=key,
            manual_value=_as_text(manual)[:500],
            discovered_value=_as_text(discovered)[:500],
            discovered_data=discovered,
            source=host.source,
            last_detected=now,
        ).save()
        result.drifts.append(key)


def _reported_fields(item: ConfigurationItem, host: DiscoveredHost) -> dict[str, Any]:
    schema = item.ci_class.effective_schema()
    fields = {
        f"attributes.{k}": v for k, (v, _p) in host.attributes.items() if k in schema and v not in (None, "")
    }
    if host.serial_number:
        fields["serial_number"] = host.serial_number
    return fields


def _reconcile_interfaces(item: ConfigurationItem, host: DiscoveredHost, result: ReconcileResult) -> None:
    existing = {nic.name: nic for nic in NetworkInterface.objects.filter(configuration_item=item)}
    reported = {name: (mac, ", ".join(addrs)) for name, mac, addrs in host.interfaces}
    new, changed = [], []
    for name, (mac, addresses) in reported.items():
        nic = existing.get(name)
        if nic is None:
            new.append(
                NetworkInterface(
                    configuration_item=item,
                    name=name,
                    mac_address=mac,
                    ip_addresses=addresses[:1000],
                    source=host.source,
                )
            )
        elif (nic.mac_address, nic.ip_addresses) != (mac, addresses[:1000]):
            pre = snapshot(nic)
            nic.mac_address, nic.ip_addresses = mac, addresses[:1000]
            changed.append((nic, pre))
    gone = [nic for name, nic in existing.items() if name not in reported and nic.source == host.source]
    if not host.retire:
        gone = []
    if new:
        NetworkInterface.objects.bulk_create(new)
    if changed:
        NetworkInterface.objects.bulk_update(
            [n for n, _p in changed], ["mac_address", "ip_addresses", "last_updated"]
        )
    changes = [changelog.Change(n, "create", None, snapshot(n)) for n in new]
    changes += [changelog.Change(n, "update", pre, snapshot(n)) for n, pre in changed]
    changes += [changelog.Change(n, "delete", snapshot(n), None) for n in gone]
    if gone:
        NetworkInterface.objects.filter(pk__in=[n.pk for n in gone])._raw_delete(NetworkInterface.objects.db)
    changelog.record_many(changes)
    result.interfaces_added, result.interfaces_changed, result.interfaces_removed = (
        len(new),
        len(changed),
        len(gone),
    )


def _products(keys: set[tuple[str, str, str]], result: ReconcileResult) -> dict[tuple[str, str, str], int]:
    """Product id per (ecosystem, vendor, name), read as plain tuples; missing ones bulk-created."""
    found: dict[tuple[str, str, str], int] = {}
    by_group: dict[tuple[str, str], list[str]] = {}
    for eco, vendor, name in keys:
        by_group.setdefault((eco, vendor), []).append(name)
    for (eco, vendor), names in by_group.items():
        for start in range(0, len(names), 900):
            chunk = names[start : start + 900]
            rows = SoftwareProduct.objects.filter(ecosystem=eco, vendor=vendor, name__in=chunk).values_list(
                "pk", "name"
            )
            for pk, name in rows:
                found[(eco, vendor, name)] = pk
    missing = sorted(keys - set(found))
    if missing:
        make = bulk.blank_factory(SoftwareProduct)
        objs = []
        for eco, vendor, name in missing:
            obj = make()
            obj.ecosystem, obj.vendor, obj.name = eco, vendor, name
            obj.purl = package_url(eco, name, vendor) if eco != Ecosystem.GENERIC else ""
            objs.append(obj)
        bulk.insert(SoftwareProduct, objs)
        changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in objs)
        search_index.index_many(objs)
        for o in objs:
            found[(o.ecosystem, o.vendor, o.name)] = o.pk
        result.products_created = len(objs)
    return found


def _reconcile_installations(
    item: ConfigurationItem, host: DiscoveredHost, result: ReconcileResult, now: dt.datetime
) -> None:
    """Add what is new, retire what this source no longer reports, and mark the rest seen.

    The item's installations are read once, keyed like the report by their product's identity
    (ecosystem, vendor, name) with version and architecture, so an unchanged report is compared
    as plain tuples; products are only looked up (or created) for installations that are new.
    """
    reported = set(host.packages)
    result.installations_seen = len(reported)
    rows = (
        SoftwareInstallation.objects.filter(configuration_item=item)
        .order_by()  # the model's ordering would join the item and sort: the comparison needs neither
        .values_list(*INSTALLATION_KEY, "pk", "source")
    )
    existing = {row[:5]: row[5:] for row in rows}
    fresh = reported - existing.keys()
    products = _products({key[:3] for key in fresh}, result) if fresh else {}
    new = _new_installations(item, host, products, fresh, now)
    gone = existing.keys() - reported if host.retire else ()
    retired = [existing[key][0] for key in gone if existing[key][1] == host.source]
    if retired:
        gone_rows = SoftwareInstallation.objects.filter(pk__in=retired).select_related("product")
        changelog.record_many(changelog.Change(r, "delete", snapshot(r), None) for r in gone_rows)
        _clear_set_null_references(SoftwareInstallation, retired)
        SoftwareInstallation.objects.filter(pk__in=retired)._raw_delete(SoftwareInstallation.objects.db)
    # Seen again: one UPDATE for this source's rows, one for rows another source created.
    SoftwareInstallation.objects.filter(configuration_item=item, source=host.source).update(last_seen=now)
    others = [pk for key, (pk, source) in existing.items() if source != host.source and key in reported]
    if others:
        SoftwareInstallation.objects.filter(pk__in=others).update(last_seen=now)
    if new:
        bulk.insert(SoftwareInstallation, new)
        changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in new)
    result.installations_added, result.installations_retired = len(new), len(retired)


def _new_installations(
    item: ConfigurationItem,
    host: DiscoveredHost,
    products: dict[tuple[str, str, str], int],
    fresh: set[tuple[str, str, str, str, str]],
    now: dt.datetime,
) -> list[SoftwareInstallation]:
    """Unsaved installations for the ``fresh`` keys, in (product, version, architecture) order.

    A new host brings a thousand or more, so they are built without ``Model.__init__``. Each is
    named in the change log by its product: an in-memory product is attached to each instead of
    letting every ``__str__`` fetch one.
    """
    if not fresh:
        return []
    make_product = bulk.blank_factory(SoftwareProduct)
    lean: dict[int, SoftwareProduct] = {}
    for (eco, vendor, name), pid in products.items():
        product = lean[pid] = make_product()
        product.pk, product.ecosystem, product.vendor, product.name = pid, eco, vendor, name
    make = bulk.blank_factory(SoftwareInstallation)
    new = []
    for pid, version, arch in sorted((products[key[:3]], key[3], key[4]) for key in fresh):
        obj = make()
        obj.configuration_item_id = item.pk
        obj.product = lean[pid]
        obj.version, obj.architecture, obj.source = version, arch, host.source
        obj.first_seen = obj.last_seen = now
        new.append(obj)
    return new


def _clear_set_null_references(model: type[models.Model], pks: list[int]) -> None:
    """Null the links other apps hold to rows about to be deleted in raw SQL.

    A raw delete skips Django's ``on_delete=SET_NULL`` (e.g. a vulnerability finding's
    installation), which would leave the link dangling and the transaction refused by the
    foreign-key check at commit. Only SET_NULL links are handled; none other point here.
    """
    for rel in model._meta.related_objects:
        if rel.many_to_many or rel.on_delete is not models.SET_NULL:
            continue
        name = rel.field.name
        for start in range(0, len(pks), 500):
            rel.related_model._base_manager.filter(**{f"{name}__in": pks[start : start + 500]}).update(
                **{name: None}
            )


def max_bytes() -> int:
    return int(getattr(settings, "DISCOVERY_MAX_BYTES", 20 * 1024 * 1024))


def ingest_agent_payload(*, data: Any, actor: Any) -> ReconcileResult:
    """Validate and reconcile one agent payload (the API endpoint and tests call this)."""
    return reconcile(host=parse_agent_payload(data), actor=actor)


def stale_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Items last discovered before this moment are stale (STEWARD_DISCOVERY_STALE_DAYS)."""
    days = int(getattr(settings, "DISCOVERY_STALE_DAYS", 7))
    return (now or timezone.now()) - dt.timedelta(days=days)
