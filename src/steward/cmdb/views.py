from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from steward.cmdb import filtersets, forms, services, tables
from steward.cmdb.choices import ImpactDirection
from steward.cmdb.models import Relationship
from steward.core.permissions import perm_name
from steward.core.registry import registry
from steward.core.views import ObjectViews, Panel
from steward.core.views.generic import ModelView, ObjectDetailView

RELATIONSHIPS_SHOWN = 100


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
    )
    detail_template = "cmdb/configurationitem_detail.html"
    tabs = (("graph", "Graph"), ("impact", "Impact"))

    @classmethod
    def urls(cls) -> list[Any]:
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        patterns = [p for p in super().urls() if p.name != "configurationitem_detail"]
        return [
            path(f"{slug}/<int:pk>/", CIDetailView.as_view(**v), name="configurationitem_detail"),
            path(f"{slug}/<int:pk>/graph/", CIGraphView.as_view(**v), name="configurationitem_graph"),
            path(f"{slug}/<int:pk>/impact/", CIImpactView.as_view(**v), name="configurationitem_impact"),
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
