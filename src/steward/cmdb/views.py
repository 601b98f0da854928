from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _

from steward.cmdb import filtersets, forms, services, tables
from steward.cmdb.choices import ImpactDirection, Metric, Milestone
from steward.cmdb.models import Drift, NetworkInterface, Relationship, SoftwareInstallation
from steward.core.permissions import perm_name
from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView

RELATIONSHIPS_SHOWN = 100
SOFTWARE_SHOWN = 500


class CIClassViews(ObjectViews):
    filterset = filtersets.CIClassFilterSet
    form = forms.CIClassForm
    table = tables.CIClassTable
    select_related = ("parent",)
    panels = (
        Panel("Class", ("name", "slug", "parent", "abstract", "builtin", "icon"), markdown=("description",)),
        Panel("Attributes", ("attribute_schema",)),
    )


class RelationshipTypeViews(ObjectViews):
    filterset = filtersets.RelationshipTypeFilterSet
    form = forms.RelationshipTypeForm
    table = tables.RelationshipTypeTable
    panels = (
        Panel("Relationship type", ("name", "reverse_name", "slug", "builtin"), markdown=("description",)),
    )


class ManufacturerViews(ObjectViews):
    filterset = filtersets.ManufacturerFilterSet
    form = forms.ManufacturerForm
    table = tables.ManufacturerTable
    panels = (Panel("Manufacturer", ("name", "slug", "website"), markdown=("description",)),)


class DeviceModelViews(ObjectViews):
    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        view = DeviceTypeImportView.as_view(views=cls)
        return [
            path(f"{slug}/import-device-types/", view, name="devicemodel_import_device_types"),
            *super().urls(),
        ]

    filterset = filtersets.DeviceModelFilterSet
    form = forms.DeviceModelForm
    table = tables.DeviceModelTable
    select_related = ("manufacturer", "ci_class")
    panels = (
        Panel("Model", ("manufacturer", "name", "slug", "part_number", "ci_class", "end_of_sale")),
        Panel("Physical", ("u_height", "is_full_depth", "airflow")),
        Panel("Ports", ("interface_count", "power_port_count", "console_port_count", "power_outlet_count")),
    )


class ConfigurationItemViews(ObjectViews):
    filterset = filtersets.ConfigurationItemFilterSet
    form = forms.ConfigurationItemForm
    table = tables.ConfigurationItemTable
    select_related = (
        "ci_class",
        "owner",
        "support_team",
        "location",
        "manufacturer",
        "device_model__manufacturer",
    )
    panels = (
        Panel(
            "Configuration item",
            ("name", "ci_class", "status", "environment", "criticality"),
            markdown=("description",),
        ),
        Panel("Responsibility", ("owner", "support_team", "location")),
        Panel("Asset", ("manufacturer", "device_model", "serial_number", "asset_tag")),
        Panel(
            "Money and lifecycle",
            ("purchase_date", "purchase_cost", "currency", "warranty_end", "end_of_life", "end_of_support"),
        ),
        Panel("Discovery", ("last_discovered",)),
    )
    detail_template = "cmdb/configurationitem_detail.html"
    tabs = (
        ("graph", "Graph"),
        ("impact", "Impact"),
        ("software", "Software and discovery"),
        ("capacity", "Capacity"),
    )

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "configurationitem_detail"]
        return [
            path(
                f"{slug}/import-discovery/",
                DiscoveryImportView.as_view(**v),
                name="configurationitem_import_discovery",
            ),
            path(f"{slug}/<int:pk>/", CIDetailView.as_view(**v), name="configurationitem_detail"),
            path(f"{slug}/<int:pk>/graph/", CIGraphView.as_view(**v), name="configurationitem_graph"),
            path(f"{slug}/<int:pk>/impact/", CIImpactView.as_view(**v), name="configurationitem_impact"),
            path(
                f"{slug}/<int:pk>/software/", CISoftwareView.as_view(**v), name="configurationitem_software"
            ),
            path(
                f"{slug}/<int:pk>/capacity/", CICapacityView.as_view(**v), name="configurationitem_capacity"
            ),
            path(
                f"{slug}/capacity-report/",
                CapacityReportView.as_view(**v),
                name="configurationitem_capacity_report",
            ),
            path(f"{slug}/bulk-import/", BulkImportView.as_view(**v), name="configurationitem_bulk_import"),
            path(
                f"{slug}/lifecycle/",
                LifecycleReportView.as_view(**v),
                name="configurationitem_lifecycle_report",
            ),
            *patterns,
        ]


def _relationships(item: Any, user: Any) -> dict[str, Any]:
    """The item's outgoing and incoming relationships the user may see (the first 100 of each)."""
    if not user.has_perm(perm_name(Relationship, "view")):
        return {"relationships_hidden": True}
    qs = Relationship.objects.restrict(user, "view").select_related(
        "type", "source__ci_class", "target__ci_class"
    )
    outgoing = qs.filter(source=item).order_by("type__name", "target__name", "pk")
    incoming = qs.filter(target=item).order_by("type__name", "source__name", "pk")
    return {
        "outgoing": list(outgoing[:RELATIONSHIPS_SHOWN]),
        "incoming": list(incoming[:RELATIONSHIPS_SHOWN]),
        "outgoing_count": outgoing.count(),
        "incoming_count": incoming.count(),
        "can_add_relationship": user.has_perm(perm_name(Relationship, "add")),
    }


class CIDetailView(ObjectDetailView):
    """The generic detail page plus the item's relationship tables."""

    def context(self, **extra: Any) -> dict[str, Any]:
        context = super().context(**extra)
        if "object" in extra:
            item = extra["object"]
            context.update(_relationships(item, self.request.user))
            context["attribute_rows"] = attribute_rows(item)
        return context


def attribute_rows(item: Any) -> list[tuple[str, Any]]:
    """(label, value) for each attribute of the item's class, in schema order, then any others."""
    schema = item.ci_class.effective_schema()
    values = item.attributes if isinstance(item.attributes, dict) else {}
    rows = [
        (spec.get("label") or name.replace("_", " ").capitalize(), values.get(name))
        for name, spec in schema.items()
    ]
    rows += [(name, value) for name, value in values.items() if name not in schema]
    return rows


class CIGraphView(ModelView):
    """The item's neighbourhood (two hops both ways) as an interactive graph."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object(pk)
        graph = services.neighbourhood(item=item, user=request.user)
        return render(
            request, "cmdb/configurationitem_graph.html", self.context(object=item, graph=graph, tab="graph")
        )


class CIImpactView(ModelView):
    """Impact analysis of one item: what it depends on, what depends on it."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object(pk)
        direction = request.GET.get("direction", "upstream")
        raw_depth = request.GET.get("depth", "6")
        error, hits = "", []
        try:
            depth = int(raw_depth)
            hits = services.visible_hits(
                services.impact(item=item, direction=direction, depth=depth), request.user
            )
        except ValueError:
            error, depth = f"Depth: give a whole number from 1 to {services.MAX_DEPTH}.", 6
        except ValidationError as exc:
            error = " ".join(f"{k.capitalize()}: {' '.join(v)}" for k, v in exc.message_dict.items())
        names = services.path_labels(hits)
        rows = [{"hit": h, "path": [names.get(i, "…") for i in h.path]} for h in hits]
        business = [h for h in hits if h.item.ci_class.slug == "business-application"]
        context = self.context(
            object=item,
            tab="impact",
            rows=rows,
            business=business,
            error=error,
            direction=direction,
            depth=depth if not error else raw_depth,
            directions=ImpactDirection.choices,
            max_depth=services.MAX_DEPTH,
        )
        return render(request, "cmdb/configurationitem_impact.html", context)


class CISoftwareView(ModelView):
    """The item's installed software, network interfaces, drift and last discovered facts."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = self.get_object(pk)
        user = request.user
        context: dict[str, Any] = {"object": item, "tab": "software", "shown": SOFTWARE_SHOWN}
        if user.has_perm(perm_name(SoftwareInstallation, "view")):
            installs = (
                SoftwareInstallation.objects.restrict(user, "view")
                .filter(configuration_item=item)
                .select_related("product")
                .order_by("product__name", "version", "pk")
            )
            context["installations"] = list(installs[:SOFTWARE_SHOWN])
            context["installation_count"] = installs.count()
        if user.has_perm(perm_name(NetworkInterface, "view")):
            context["interfaces"] = list(
                NetworkInterface.objects.restrict(user, "view")
                .filter(configuration_item=item)
                .order_by("name")
            )
        if user.has_perm(perm_name(Drift, "view")):
            context["drifts"] = list(
                Drift.objects.restrict(user, "view")
                .filter(configuration_item=item, state="open")
                .order_by("field")
            )
        context["sources"] = sorted(((item.discovery or {}).get("sources") or {}).items())
        return render(request, "cmdb/configurationitem_software.html", self.context(**context))


class CapacityThresholdViews(ObjectViews):
    filterset = filtersets.CapacityThresholdFilterSet
    form = forms.CapacityThresholdForm
    table = tables.CapacityThresholdTable
    select_related = ("ci_class", "configuration_item")
    panels = (
        Panel(
            "Threshold",
            ("metric", "ci_class", "configuration_item", "value", "unit"),
            markdown=("description",),
        ),
    )


class RelationshipViews(ObjectViews):
    filterset = filtersets.RelationshipFilterSet
    form = forms.RelationshipForm
    table = tables.RelationshipTable
    select_related = ("source", "target", "type")
    panels = (Panel("Relationship", ("source", "type", "target", "description")),)


class SoftwareProductViews(ObjectViews):
    filterset = filtersets.SoftwareProductFilterSet
    form = forms.SoftwareProductForm
    table = tables.SoftwareProductTable
    select_related = ("manufacturer",)
    panels = (
        Panel(
            "Software product",
            ("name", "ecosystem", "vendor", "purl", "manufacturer"),
            markdown=("description",),
        ),
    )

    @classmethod
    def base_queryset(cls) -> Any:
        return super().base_queryset().annotate(installation_count=Count("installations"))


class SoftwareInstallationViews(ObjectViews):
    filterset = filtersets.SoftwareInstallationFilterSet
    form = forms.SoftwareInstallationForm
    table = tables.SoftwareInstallationTable
    select_related = ("configuration_item", "product")
    panels = (
        Panel("Installation", ("configuration_item", "product", "version", "architecture")),
        Panel("Discovery", ("source", "first_seen", "last_seen")),
    )


class DeviceTypeImportView(ModelView):
    """Upload device-type library YAML files: manufacturers and models upserted, all or nothing."""

    action = "add"
    template = "cmdb/devicetype_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self.context(tab="import"))

    def post(self, request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        from steward.cmdb import devicetypes

        uploads = request.FILES.getlist("files")
        error = ""
        if not uploads or any(u.size > devicetypes.MAX_BYTES for u in uploads):
            error = "Files: choose one or more YAML files of at most 1 MB each."
        else:
            try:
                documents = [(u.name, u.read().decode("utf-8")) for u in uploads]
                result = services.import_device_types(documents=documents, actor=request.user)
            except UnicodeDecodeError:
                error = "Files: they must be UTF-8 text."
            except devicetypes.DeviceTypeError as exc:
                error = str(exc)
        if error:
            context = self.context(tab="import", error=f"{error} Nothing was imported.")
            return render(request, self.template, context, status=422)
        messages.success(request, str(result))
        return HttpResponseRedirect(reverse("cmdb:devicemodel_list"))


class NetworkInterfaceViews(ObjectViews):
    filterset = filtersets.NetworkInterfaceFilterSet
    form = forms.NetworkInterfaceForm
    table = tables.NetworkInterfaceTable
    select_related = ("configuration_item",)
    panels = (Panel("Interface", ("configuration_item", "name", "mac_address", "ip_addresses", "source")),)


class DriftViews(ObjectViews):
    filterset = filtersets.DriftFilterSet
    form = forms.DriftForm
    table = tables.DriftTable
    select_related = ("configuration_item",)
    panels = (
        Panel("Drift", ("configuration_item", "field", "manual_value", "discovered_value")),
        Panel("Detection", ("source", "created", "last_detected")),
    )


class DiscoveryImportView(ModelView):
    """Upload an nmap -oX scan or a FusionInventory inventory; every host reconciled, all or nothing."""

    action = "add"
    template = "cmdb/discovery_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self.context(tab="import"))

    def post(self, request: HttpRequest) -> HttpResponse:
        from steward.cmdb import discovery, scans

        upload = request.FILES.get("file")
        error, results, fmt = "", [], ""
        if not request.user.has_perm(perm_name(self.model, "change")):
            error = "You need the change permission on configuration items to import discovery data."
        elif upload is None or upload.size > discovery.max_bytes():
            error = "File: choose an nmap -oX or FusionInventory XML file within STEWARD_DISCOVERY_MAX_MB."
        else:
            try:
                fmt, results = scans.import_scan(data=upload.read(), actor=request.user, filename=upload.name)
            except ValidationError as exc:
                error = " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
        if error:
            context = self.context(tab="import", error=f"{error} Nothing was imported.")
            return render(request, self.template, context, status=422)
        return render(request, self.template, self.context(tab="import", results=results, format=fmt))


class CICapacityView(ModelView):
    """The item's metrics over the forecast window, their trend and threshold, as charts."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from django.conf import settings

        item = self.get_object(pk)
        window = settings.CMDB_FORECAST_WINDOW_DAYS
        risks = {
            r.metric: r
            for r in services.capacity_forecast(
                items=type(item).objects.filter(pk=item.pk), window_days=window, horizon_days=None
            )
        }
        charts = []
        for metric, label in Metric.choices:
            points = services.metric_series(item=item, metric=metric, window_days=window)
            if not points:
                continue
            risk = risks.get(metric)
            data = [round(v, 3) for _t, v in points]
            datasets = [{"label": str(label), "data": data, "pointRadius": 0, "borderWidth": 2}]
            if risk is not None:
                datasets.append({"label": str(_("Threshold")), "data": [risk.threshold] * len(points),
                                 "pointRadius": 0, "borderDash": [6, 4], "borderWidth": 1})  # fmt: skip
            charts.append(
                {
                    "metric": metric,
                    "label": label,
                    "risk": risk,
                    "latest": data[-1],
                    "id": f"capacity-{metric}",
                    "data": {"type": "line", "labels": [t.strftime("%m-%d %H:00") for t, _v in points],
                             "datasets": datasets},
                }
            )  # fmt: skip
        context = self.context(object=item, tab="capacity", charts=charts, window=window)
        return render(request, "cmdb/configurationitem_capacity.html", context)


class CapacityReportView(ModelView):
    """Items predicted to cross a capacity threshold within the horizon (default 90 days)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings

        error = ""
        try:
            days = int(request.GET.get("days", settings.CMDB_CAPACITY_HORIZON_DAYS))
            if not 1 <= days <= 3650:
                raise ValueError
        except ValueError:
            error, days = (
                str(_("Days: give a whole number from 1 to 3650.")),
                settings.CMDB_CAPACITY_HORIZON_DAYS,
            )
        items = self.model.objects.restrict(request.user, "view").values("pk")
        risks = services.capacity_forecast(
            items=items, window_days=settings.CMDB_FORECAST_WINDOW_DAYS, horizon_days=days
        )
        context = self.context(risks=risks, days=days, error=error, window=settings.CMDB_FORECAST_WINDOW_DAYS)
        return render(request, "cmdb/capacity_report.html", context)


def report_months(raw: str | None, default: int = 12) -> tuple[int, str]:
    """The ``months`` parameter of the lifecycle report (1-60), with an error message if bad."""
    try:
        months = int(raw) if raw not in (None, "") else default
        if not 1 <= months <= 60:
            raise ValueError
    except ValueError:
        return default, str(_("Months: give a whole number from 1 to 60."))
    return months, ""


class LifecycleReportView(ModelView):
    """Warranty ends, ends of life and ends of support by month; what is past or near; CSV."""

    def get(self, request: HttpRequest) -> HttpResponse:
        import datetime as dt

        from django.conf import settings
        from django.utils import timezone

        months, error = report_months(request.GET.get("months"))
        today = timezone.localdate()
        window = settings.CMDB_LIFECYCLE_WINDOW_DAYS
        items = self.model.objects.restrict(request.user, "view")
        if request.GET.get("export") == "csv":
            horizon = (
                (today.replace(day=1) + dt.timedelta(days=32 * months)).replace(day=1) - today
            ).days - 1
            rows = services.lifecycle_due(items=items, today=today, window_days=horizon)
            return lifecycle_csv(rows, window)
        by_month = services.lifecycle_by_month(items=items, today=today, months=months)
        due = services.lifecycle_due(items=items, today=today, window_days=window, limit=500)
        chart = {
            "type": "bar",
            "labels": [m["month"] for m in by_month if not m["past"]],
            "datasets": [
                {"label": str(label), "data": [m[value] for m in by_month if not m["past"]], "stack": "m"}
                for value, label in Milestone.choices
            ],
        }
        context = self.context(by_month=by_month, due=due, months=months, window=window, error=error,
                               chart=chart, milestones=Milestone.choices, today=today)  # fmt: skip
        return render(request, "cmdb/lifecycle_report.html", context)


def lifecycle_csv(rows: list[Any], window: int) -> HttpResponse:
    """One line per item milestone: reference, name, class, status, milestone, date, month, days."""
    import csv

    from django.http import StreamingHttpResponse

    from steward.core.importexport import neutralise

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())
    labels = dict(Milestone.choices)

    def lines() -> Any:
        yield writer.writerow(
            ["reference", "name", "class", "status", "milestone", "date", "month", "days", "state"]
        )
        for r in rows:
            state = "past" if r.days < 0 else "window" if r.days <= window else "later"
            yield writer.writerow([neutralise(v) for v in (
                r.item.reference, r.item.name, r.item.ci_class.name, r.item.status, str(labels[r.milestone]),
                r.date.isoformat(), r.date.strftime("%Y-%m"), r.days, state,
            )])  # fmt: skip

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="lifecycle.csv"'
    return response


class BulkImportView(ModelView):
    """Upload an items CSV and/or a relationships CSV: streamed, upserted, all or nothing."""

    action = "change"
    template = "cmdb/bulk_import.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template, self.context())

    def post(self, request: HttpRequest) -> HttpResponse:
        from django.contrib import messages
        from django.http import HttpResponseRedirect
        from django.urls import reverse

        from steward.cmdb.api.views import run_bulk_import

        result = run_bulk_import(request.FILES.get("items"), request.FILES.get("relationships"), request.user)
        if isinstance(result, dict):
            problems = [f"{where}: {' '.join(messages_)}" for where, messages_ in result.items()]
            return render(request, self.template, self.context(problems=problems), status=422)
        messages.success(request, str(result))
        return HttpResponseRedirect(reverse("cmdb:configurationitem_list"))
