"""Deterministic demo estate for `steward demo`: about 5,000 items and 20,000 relationships at scale 1.

Shaped like a real company: two data centres with racks, physical servers (hypervisors, database
hosts, general purpose), switches, routers, firewalls and storage; virtual machines on the
hypervisors; Kubernetes clusters; network segments; applications and databases on the VMs;
business applications on top; laptops and desktops for staff. Built with bulk_create and one
change-log batch, so it loads in seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from steward.cmdb.models import (
    CIClass,
    ConfigurationItem,
    DeviceModel,
    Manufacturer,
    Relationship,
    RelationshipType,
)
from steward.core import changelog
from steward.core.serialization import snapshot

CATALOGUE = {
    "Dell": [
        ("PowerEdge R650", "server", 1),
        ("PowerEdge R750", "server", 2),
        ("Latitude 7440", "end-user-device", 0),
    ],
    "HPE": [("ProLiant DL380 Gen11", "server", 2), ("Alletra 6000", "storage", 4)],
    "Cisco": [("Nexus 93180YC-FX3", "network-device", 1), ("ASR 1001-X", "network-device", 1)],
    "Palo Alto Networks": [("PA-3440", "network-device", 2)],
    "NetApp": [("AFF A400", "storage", 4)],
    "Lenovo": [("ThinkPad T14", "end-user-device", 0), ("ThinkCentre M90q", "end-user-device", 0)],
}
APP_WORDS = [
    "billing", "crm", "erp", "payroll", "intranet", "wiki", "ticketing", "warehouse", "shop", "search",
    "reporting", "identity", "mail", "chat", "docs", "analytics", "pricing", "orders", "catalogue", "hr",
    "expenses", "planning", "loyalty", "logistics", "forecast", "gateway", "portal", "notify", "audit", "sso",
]  # fmt: skip
BUSINESS = [
    "Online shop", "Customer relationship management", "Finance and accounting", "Payroll", "Warehouse management",
    "Order management", "Customer portal", "Employee intranet", "Email and calendar", "Business intelligence",
    "Supplier portal", "Pricing engine", "Loyalty programme", "Transport planning", "Document management",
    "HR information system", "Service desk", "Identity and access", "Expense management", "Product catalogue",
]  # fmt: skip
OSES = [
    ("Ubuntu", "24.04"),
    ("Ubuntu", "22.04"),
    ("Debian", "12"),
    ("RHEL", "9.4"),
    ("Windows Server", "2022"),
]
ENGINES = [
    ("postgresql", "16"),
    ("postgresql", "15"),
    ("mysql", "8.0"),
    ("sql-server", "2022"),
    ("oracle", "19c"),
]


def load(*, rng: random.Random, scale: float) -> str:
    # The class catalogue comes with migration 0002, but a database flushed since (tests, a
    # restore of an older backup) may lack it: loading it again is idempotent.
    from steward.cmdb.services import load_classes

    load_classes()
    builder = _Estate(rng, scale)
    builder.build()
    return f"cmdb: {builder.item_count} configuration items, {builder.relationship_count} relationships"


def n(base: int, scale: float) -> int:
    return max(1, round(base * scale))


class _Estate:
    def __init__(self, rng: random.Random, scale: float) -> None:
        from steward.org.models import Location, Person, Team

        self.rng, self.scale = rng, scale
        self.classes = {c.slug: c for c in CIClass.objects.all()}
        self.types = {t.slug: t for t in RelationshipType.objects.all()}
        self.people = list(Person.objects.filter(status="active").values_list("pk", flat=True))
        self.teams = dict(Team.objects.values_list("slug", "pk"))
        self.sites = dict(Location.objects.filter(type="site").values_list("code", "pk"))
        self.pending: list[ConfigurationItem] = []
        self.by_pk: dict[int, ConfigurationItem] = {}
        self.edges: dict[tuple[int, int, str], None] = {}
        self.item_count = self.relationship_count = 0
        self.today = dt.date(2026, 11, 1)

    # --- helpers --------------------------------------------------------------------------
    def item(self, name: str, cls: str, team: str = "", **values: Any) -> ConfigurationItem:
        ci = ConfigurationItem(
            name=name,
            ci_class=self.classes[cls],
            support_team_id=self.teams.get(team),
            owner_id=self.rng.choice(self.people) if self.people else None,
            **values,
        )
        self.pending.append(ci)
        return ci

    def flush(self) -> None:
        """Save pending items (references, pks) so relationships can point at them."""
        if not self.pending:
            return
        refs = ConfigurationItem.allocate_references(len(self.pending))
        for ci, ref in zip(self.pending, refs, strict=True):
            ci.reference = ref
        ConfigurationItem.objects.bulk_create(self.pending, batch_size=1000)
        changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in self.pending)
        self.item_count += len(self.pending)
        self.by_pk.update((o.pk, o) for o in self.pending)
        self.pending = []

    def relate(self, source: ConfigurationItem, target: ConfigurationItem, type_slug: str) -> None:
        if source.pk != target.pk:
            self.edges[(source.pk, target.pk, type_slug)] = None

    def hardware(self, maker_models: list[DeviceModel]) -> dict[str, Any]:
        model = self.rng.choice(maker_models)
        bought = self.today - dt.timedelta(days=self.rng.randint(60, 6 * 365))
        return {
            "manufacturer_id": model.manufacturer_id,
            "device_model_id": model.pk,
            "serial_number": f"SN{self.rng.randrange(16**10):010X}",
            "purchase_date": bought,
            "purchase_cost": Decimal(self.rng.randint(1500, 40000)),
            "currency": "EUR",
            "warranty_end": bought + dt.timedelta(days=3 * 365),
            "end_of_life": bought + dt.timedelta(days=6 * 365),
            "end_of_support": bought + dt.timedelta(days=7 * 365),
        }

    def ip(self, segment: int) -> str:
        return f"10.{segment // 250}.{segment % 250}.{self.rng.randint(2, 254)}"

    # --- the estate -----------------------------------------------------------------------
    def build(self) -> None:  # noqa: C901, PLR0912, PLR0915 - one straight recipe
        rng, s = self.rng, self.scale
        models: dict[str, list[DeviceModel]] = {}
        for maker_name, products in CATALOGUE.items():
            maker = Manufacturer.objects.create(
                name=maker_name, slug=maker_name.lower().replace(" ", "-"), website=""
            )
            for name, cls, height in products:
                model = DeviceModel.objects.create(
                    manufacturer=maker,
                    name=name,
                    slug=f"{maker.slug}-{name.lower().replace(' ', '-')}",
                    ci_class=self.classes[cls],
                    u_height=height,
                    interface_count=4 if cls == "server" else 48 if cls == "network-device" else 1,
                    power_port_count=2 if height else 0,
                )
                models.setdefault(cls, []).append(model)

        # Data centres, racks, segments.
        dcs = [
            self.item("Dublin DC1", "data-centre", "server-ops", location_id=self.sites.get("dub-dc"),
                      criticality="critical", attributes={"tier": "III", "power_kw": 1200, "operator": "Equinix"}),
            self.item("Frankfurt DC2", "data-centre", "server-ops", criticality="critical",
                      attributes={"tier": "IV", "power_kw": 800, "operator": "Interxion"}),
        ]  # fmt: skip
        racks = [
            self.item(f"{dc.name[:3].upper()}-R{i + 1:03d}", "rack", "server-ops", location_id=dc.location_id,
                      attributes={"u_height": 42, "power_kw": 12})
            for dc in dcs
            for i in range(n(40, s))
        ]  # fmt: skip
        segments = [
            self.item(f"vlan{100 + i}", "network-segment", "network",
                      attributes={"cidr": f"10.{i // 250}.{i % 250}.0/24", "vlan_id": 100 + i,
                                  "zone": rng.choice(["internal", "internal", "dmz", "management", "storage"])})
            for i in range(n(60, s))
        ]  # fmt: skip
        self.flush()
        for i, rack in enumerate(racks):
            self.relate(rack, dcs[i % 2], "hosted-on")

        # Network, storage, physical servers.
        def place(ci: ConfigurationItem) -> ConfigurationItem:
            rack = rng.choice(racks)
            ci.location_id = rack.location_id
            ci._rack = rack  # type: ignore[attr-defined]
            return ci

        network = []
        for i in range(n(150, s)):
            role = "switch" if i % 5 < 3 else "router" if i % 5 == 3 else "firewall"
            model_list = [m for m in models["network-device"] if (role == "firewall") == ("PA-" in m.name)]
            network.append(place(self.item(
                f"{role[:2]}-{i + 1:03d}", "network-device", "network", criticality="high",
                attributes={"role": role, "management_ip": self.ip(i), "port_count": 48},
                **self.hardware(model_list),
            )))  # fmt: skip
        storage = [
            place(self.item(f"stor-{i + 1:02d}", "storage", "server-ops", criticality="high",
                            attributes={"storage_type": rng.choice(["san", "nas"]), "capacity_tb": rng.choice([200, 400, 800])},
                            **self.hardware(models["storage"])))
            for i in range(n(30, s))
        ]  # fmt: skip
        backup = [
            place(self.item(f"backup-{i + 1:02d}", "storage", "server-ops",
                            attributes={"storage_type": "backup-appliance", "capacity_tb": 500},
                            **self.hardware(models["storage"])))
            for i in range(n(10, s))
        ]  # fmt: skip
        servers, hypervisors, db_hosts = [], [], []
        for i in range(n(1200, s)):
            kind = "esx" if i % 3 == 0 else "db" if i % 6 == 1 else "srv"
            os_name, os_version = ("VMware ESXi", "8.0") if kind == "esx" else rng.choice(OSES)
            ci = place(self.item(
                f"{kind}-{i + 1:04d}", "server", "server-ops" if kind != "db" else "dba",
                criticality=rng.choice(["medium", "high", "high", "critical"]),
                environment=rng.choices(["production", "test", "development"], [7, 2, 1])[0],
                status=rng.choices(["in_use", "maintenance", "in_stock", "retired"], [90, 3, 4, 3])[0],
                attributes={"hostname": f"{kind}-{i + 1:04d}.dc.northwind.example", "os": os_name,
                            "os_version": os_version, "cpu_count": rng.choice([16, 32, 64, 128]),
                            "memory_gb": rng.choice([128, 256, 512, 1024]), "ip_address": self.ip(i % 250),
                            "hypervisor": kind == "esx"},
                **self.hardware(models["server"]),
            ))  # fmt: skip
            servers.append(ci)
            (hypervisors if kind == "esx" else db_hosts if kind == "db" else []).append(ci)
        self.flush()
        for ci in (*network, *storage, *backup, *servers):
            self.relate(ci, ci._rack, "hosted-on")  # type: ignore[attr-defined]
        switches = [d for d in network if d.attributes["role"] == "switch"]
        edge = [d for d in network if d.attributes["role"] != "switch"]
        for sw in switches:
            for target in rng.sample(edge, min(2, len(edge))):
                self.relate(sw, target, "connects-to")
        for ci in servers:
            for sw in rng.sample(switches, min(3, len(switches))):
                self.relate(ci, sw, "connects-to")
            self.relate(ci, rng.choice(segments), "member-of")
        for ci in hypervisors:
            for array in rng.sample(storage, min(2, len(storage))):
                self.relate(ci, array, "connects-to")

        # Virtual machines and Kubernetes clusters.
        vms = []
        for i in range(n(2200, s)):
            os_name, os_version = rng.choice(OSES)
            vms.append(self.item(
                f"vm-{i + 1:05d}", "virtual-machine", rng.choice(["server-ops", "cloud"]),
                environment=rng.choices(["production", "test", "development"], [6, 3, 2])[0],
                status=rng.choices(["in_use", "planned", "retired"], [92, 3, 5])[0],
                attributes={"hostname": f"vm-{i + 1:05d}.northwind.example", "os": os_name, "os_version": os_version,
                            "vcpus": rng.choice([2, 4, 8, 16]), "memory_gb": rng.choice([4, 8, 16, 32, 64]),
                            "ip_address": self.ip(i % 250), "platform": "vmware"},
            ))  # fmt: skip
        clusters = [
            self.item(f"k8s-{name}", "container-cluster", "cloud", criticality="high",
                      attributes={"platform": "kubernetes", "version": rng.choice(["1.30", "1.31", "1.32"]),
                                  "node_count": 20, "api_endpoint": f"https://k8s-{name}.northwind.example:6443"})
            for name in [f"{env}-{i}" for env in ("prod", "test") for i in range(1, n(15, s) + 1)]
        ]  # fmt: skip
        self.flush()
        for i, vm in enumerate(vms):
            self.relate(vm, rng.choice(hypervisors), "runs-on")
            for seg in rng.sample(segments, min(2, len(segments))):
                self.relate(vm, seg, "member-of")
            if i % 4 == 0:
                self.relate(vm, clusters[i // 4 % len(clusters)], "member-of")

        # Databases, applications, business applications.
        databases = []
        for i in range(n(300, s)):
            engine, version = rng.choice(ENGINES)
            databases.append(self.item(
                f"db-{rng.choice(APP_WORDS)}-{i + 1:03d}", "database", "dba",
                criticality=rng.choice(["medium", "high", "critical"]),
                attributes={"engine": engine, "engine_version": version, "port": 5432 if engine == "postgresql" else 3306,
                            "size_gb": rng.randint(5, 4000)},
            ))  # fmt: skip
        apps = [
            self.item(f"{rng.choice(APP_WORDS)}-{rng.choice(['api', 'web', 'worker', 'batch'])}-{i + 1:03d}",
                      "software", "app-support",
                      attributes={"version": f"{rng.randint(1, 9)}.{rng.randint(0, 20)}", "port": rng.choice([80, 443, 8080, 8443])})
            for i in range(n(500, s))
        ]  # fmt: skip
        business = [
            self.item(BUSINESS[i % len(BUSINESS)] + ("" if i < len(BUSINESS) else f" {i // len(BUSINESS) + 1}"),
                      "business-application", "app-support", criticality=rng.choice(["high", "critical"]),
                      attributes={"service_tier": rng.choice(["gold", "silver", "bronze"]),
                                  "data_classification": rng.choice(["internal", "confidential"]),
                                  "users": rng.randint(20, 5000)})
            for i in range(n(120, s))
        ]  # fmt: skip
        laptops = [
            self.item(f"NB-{i + 1:05d}", "end-user-device", "end-user",
                      attributes={"device_type": rng.choice(["laptop", "laptop", "desktop"]), "os": "Windows 11", "encrypted": True},
                      **self.hardware(models["end-user-device"]))
            for i in range(n(400, s))
        ]  # fmt: skip
        self.flush()
        for db in databases:
            hosts = rng.sample(db_hosts, min(2, len(db_hosts))) if rng.random() < 0.4 else rng.sample(vms, 2)
            for host in hosts:
                self.relate(db, host, "runs-on")
            self.relate(rng.choice(backup), db, "backs-up")
        for app in apps:
            if rng.random() < 0.3:
                self.relate(app, rng.choice(clusters), "runs-on")
            else:
                for vm in rng.sample(vms, rng.randint(2, 5)):
                    self.relate(app, vm, "runs-on")
            for db in rng.sample(databases, rng.randint(1, 2)):
                self.relate(app, db, "uses")
            for other in rng.sample(apps, rng.randint(0, 3)):
                self.relate(app, other, "depends-on")
        for biz in business:
            for app in rng.sample(apps, rng.randint(3, 6)):
                self.relate(biz, app, "depends-on")
            if rng.random() < 0.5:
                self.relate(biz, rng.choice(business), "uses")
        for laptop in laptops:
            self.relate(laptop, rng.choice(segments), "member-of")
        # Top up with the everyday tangle of service-to-service calls, to about four per item.
        target = round(4 * self.item_count)
        tries = 0
        while len(self.edges) < target and tries < 10 * target:
            tries += 1
            self.relate(rng.choice(apps), rng.choice(apps if rng.random() < 0.5 else databases), "uses")

        rels = [
            Relationship(source=self.by_pk[a], target=self.by_pk[b], type=self.types[t])
            for a, b, t in self.edges
        ]
        Relationship.objects.bulk_create(rels, batch_size=2000)
        changelog.record_many(changelog.Change(o, "create", None, snapshot(o)) for o in rels)
        self.relationship_count = len(rels)


def load_capacity(*, rng: random.Random, scale: float) -> str:
    """Thresholds and 30 days of 6-hourly CPU, memory, disk and network samples for some machines.

    A few disks fill steadily and some memory creeps up, so the capacity report and the item
    charts have something to show; the rest wander around a level.
    """
    from django.utils import timezone

    from steward.cmdb.models import CapacityThreshold, CIClass, MetricSample

    for name, metric, value, unit, cls in (
        ("CPU (all items)", "cpu", 90.0, "%", None),
        ("Memory (all items)", "memory", 90.0, "%", None),
        ("Server disks", "disk", 85.0, "%", "server"),
        ("Virtual machine disks", "disk", 90.0, "%", "virtual-machine"),
        ("Network links", "network", 900.0, "Mbit/s", None),
    ):
        CapacityThreshold.objects.get_or_create(
            name=name,
            defaults={"metric": metric, "value": value, "unit": unit,
                      "ci_class": CIClass.objects.filter(slug=cls).first() if cls else None},
        )  # fmt: skip
    machines = list(
        ConfigurationItem.objects.filter(ci_class__slug__in=("server", "virtual-machine"), status="in_use")
        .order_by("pk")
        .values_list("pk", flat=True)[: n(80, scale)]
    )
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    units = {"cpu": "%", "memory": "%", "disk": "%", "network": "Mbit/s"}
    samples = []
    for pk in machines:
        level = {"cpu": rng.uniform(10, 60), "memory": rng.uniform(30, 75), "disk": rng.uniform(30, 70),
                 "network": rng.uniform(50, 400)}  # fmt: skip
        slope = {"cpu": rng.uniform(-0.2, 0.3), "memory": rng.uniform(-0.1, 0.4),
                 "disk": rng.uniform(0.4, 1.2) if rng.random() < 0.25 else rng.uniform(-0.05, 0.15),
                 "network": rng.uniform(-2, 4)}  # fmt: skip
        for step in range(121):
            age = step / 4  # days ago
            when = now - dt.timedelta(hours=6 * step)
            for metric, base in level.items():
                value = base - slope[metric] * age + rng.gauss(0, base * 0.03)
                value = max(0.0, min(value, 100.0)) if units[metric] == "%" else max(0.0, value)
                samples.append(MetricSample(configuration_item_id=pk, metric=metric, value=round(value, 2),
                                            unit=units[metric], timestamp=when))  # fmt: skip
    MetricSample.objects.bulk_create(samples, batch_size=5000)
    return f"cmdb: {len(samples)} metric samples for {len(machines)} machines"
