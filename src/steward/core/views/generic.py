"""Generic UI views. A model declares one ``ObjectViews`` subclass; its URLs follow from it.

Every view checks the model-level permission for its action (403 without it) and reads rows
through ``restrict(user, action)``, so a constrained permission hides rows everywhere (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import IntegrityError, models, router, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from steward.core import importexport, notifications
from steward.core import workflow as wf
from steward.core.changelog import history_for
from steward.core.forms import BulkEditForm, ImportForm, set_tags
from steward.core.models import Attachment, Comment, CustomField, UserPreferences
from steward.core.permissions import perm_name
from steward.core.registry import registry
from steward.core.uploads import UploadRejected, check_upload


@dataclass(frozen=True)
class Panel:
    """A titled box of fields on a detail page."""

    title: str
    fields: tuple[str, ...]
    markdown: tuple[str, ...] = ()


class ObjectViews:
    """The UI of one model: set the parts, get list/detail/edit/delete/import/bulk views."""

    model: ClassVar[type[models.Model]]
    filterset: ClassVar[Any]
    form: ClassVar[Any]
    table: ClassVar[Any]
    panels: ClassVar[tuple[Panel, ...]] = ()
    select_related: ClassVar[tuple[str, ...]] = ()
    prefetch_related: ClassVar[tuple[str, ...]] = ("tagged_items__tag",)
    detail_template: ClassVar[str] = "core/object_detail.html"
    #: A list page template extending ``core/object_list.html`` (e.g. to add bulk actions).
    list_template: ClassVar[str] = "core/object_list.html"
    #: Extra detail-page tabs a model adds: (URL name suffix, label), e.g. ("impact", "Impact").
    tabs: ClassVar[tuple[tuple[str, str], ...]] = ()
    per_page: ClassVar[int] = 50

    @classmethod
    def base_queryset(cls) -> models.QuerySet:
        qs = cls.model._default_manager.all()
        if cls.select_related:
            qs = qs.select_related(*cls.select_related)
        return qs

    @classmethod
    def url_name(cls, action: str) -> str:
        meta = cls.model._meta
        return f"{meta.app_label}:{meta.model_name}_{action}"

    @classmethod
    def urls(cls) -> list[Any]:
        name = cls.model._meta.model_name
        slug = registry.entry(cls.model).url_slug
        v = {"views": cls}
        return [
            path(f"{slug}/", ObjectListView.as_view(**v), name=f"{name}_list"),
            path(f"{slug}/add/", ObjectEditView.as_view(**v), name=f"{name}_add"),
            path(f"{slug}/import/", ObjectImportView.as_view(**v), name=f"{name}_import"),
            path(f"{slug}/bulk-edit/", BulkEditView.as_view(**v), name=f"{name}_bulk_edit"),
            path(f"{slug}/bulk-delete/", BulkDeleteView.as_view(**v), name=f"{name}_bulk_delete"),
            path(f"{slug}/<int:pk>/", ObjectDetailView.as_view(**v), name=f"{name}_detail"),
            path(f"{slug}/<int:pk>/edit/", ObjectEditView.as_view(**v), name=f"{name}_edit"),
            path(f"{slug}/<int:pk>/delete/", ObjectDeleteView.as_view(**v), name=f"{name}_delete"),
            path(f"{slug}/<int:pk>/history/", ObjectHistoryView.as_view(**v), name=f"{name}_history"),
            path(f"{slug}/<int:pk>/comment/", CommentView.as_view(**v), name=f"{name}_comment"),
            path(f"{slug}/<int:pk>/attachments/", AttachmentUploadView.as_view(**v), name=f"{name}_attach"),
            path(
                f"{slug}/<int:pk>/attachments/<int:attachment>/",
                AttachmentView.as_view(**v),
                name=f"{name}_attachment",
            ),
            path(f"{slug}/<int:pk>/follow/", FollowView.as_view(**v), name=f"{name}_follow"),
            *(
                [
                    path(
                        f"{slug}/<int:pk>/transition/<str:transition>/",
                        TransitionView.as_view(**v),
                        name=f"{name}_transition",
                    )
                ]
                if wf.has_workflow(cls.model)
                else []
            ),
        ]


# --- base -----------------------------------------------------------------------------------
class ModelView(View):
    views: type[ObjectViews] = ObjectViews
    action = "view"

    @property
    def model(self) -> type[models.Model]:
        return self.views.model

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm(perm_name(self.model, self.required_action(request))):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def required_action(self, request: HttpRequest) -> str:
        return self.action

    def queryset(self, action: str | None = None) -> models.QuerySet:
        return self.views.base_queryset().restrict(self.request.user, action or self.action)

    def get_object(self, pk: int, action: str | None = None) -> models.Model:
        return get_object_or_404(self.queryset(action), pk=pk)

    def context(self, **extra: Any) -> dict[str, Any]:
        meta = self.model._meta
        user = self.request.user
        perms = {a: user.has_perm(perm_name(self.model, a)) for a in ("view", "add", "change", "delete")}
        return {"views": self.views, "model": self.model, "meta": meta, "perms": perms, **extra}

    def restrict_choices(self, form: Any) -> Any:
        """Choices among the model's own rows list only those the user may see (and current values)."""
        for name, field in form.fields.items():
            qs = getattr(field, "queryset", None)
            if qs is None or qs.model is not self.model:
                continue
            # Only a saved record's own values are kept: an add form's initial comes from the URL.
            instance = getattr(form, "instance", None)
            current = form.initial.get(name) if instance is not None and instance.pk else None
            current = current if isinstance(current, list | tuple) else [current]
            keep = [getattr(v, "pk", v) for v in current if v not in (None, "")]
            visible = qs.restrict(self.request.user, "view").values("pk")
            field.queryset = qs.filter(models.Q(pk__in=visible) | models.Q(pk__in=keep))
        return form

    def return_url(self, default: str) -> str:
        candidate = self.request.POST.get("return_url") or self.request.GET.get("return_url")
        if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={self.request.get_host()}):
            return candidate
        return default


def bounded_int(value: str | None, *, default: int, low: int, high: int) -> int:
    """A number from the query string clamped to ``low..high``; junk means ``default``."""
    try:
        number = int(value) if value else default
    except ValueError:
        number = default
    return max(low, min(number, high))


def user_columns(request: HttpRequest, label: str) -> list[str] | None:
    prefs = UserPreferences.objects.filter(user=request.user).first()
    if prefs is None:
        return None
    return prefs.data.get("columns", {}).get(label)


# --- list -----------------------------------------------------------------------------------
class ObjectListView(ModelView):
    def get(self, request: HttpRequest) -> HttpResponse:
        qs = self.queryset().prefetch_related(*self.views.prefetch_related)
        filterset = self.views.filterset(request.GET or None, queryset=qs, request=request)
        if filterset.is_bound and not filterset.is_valid():
            qs = qs.none()
        else:
            qs = filterset.qs
        export = request.GET.get("export")
        if export in ("csv", "xlsx", "json"):
            columns = importexport.export_columns(importexport.import_form_class(self.views.form))
            return importexport.export_response(
                qs.order_by("pk").iterator(chunk_size=2000) if export == "csv" else qs.order_by("pk"),
                columns,
                export,
                str(self.model._meta.verbose_name_plural).replace(" ", "_"),
            )
        table = self.views.table(qs, user_columns=user_columns(request, self.model._meta.label_lower))
        # Paging is parsed here, not by django-tables2, so a page size cannot exceed the cap.
        RequestConfig(request, paginate=False).configure(table)
        try:
            per_page = max(1, min(int(request.GET.get("per_page") or self.views.per_page), 500))
        except ValueError:
            per_page = self.views.per_page
        try:
            table.paginate(page=int(request.GET.get("page") or 1), per_page=per_page)
        except ValueError:
            table.paginate(page=1, per_page=per_page)
        except EmptyPage:
            table.paginate(page=max(1, table.paginator.num_pages), per_page=per_page)
        context = self.context(table=table, filterset=filterset, filter_form=filterset.form)
        template = self.views.list_template
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == "object-table":
            template = "core/object_list.html#table"
        return render(request, template, context)


# --- detail ---------------------------------------------------------------------------------
def related_objects(obj: models.Model, user: Any) -> list[dict[str, Any]]:
    """Registered models pointing at ``obj``: counts the user may see, with a link to the list."""
    result = []
    for rel in obj._meta.related_objects:
        related = rel.related_model
        if rel.many_to_many or related._meta.label_lower not in registry.models:
            continue
        entry = registry.entry(related)
        if entry.views is None or not user.has_perm(perm_name(related, "view")):
            continue
        count = related._default_manager.restrict(user, "view").filter(**{rel.field.name: obj.pk}).count()
        url = reverse(entry.views.url_name("list")) + f"?{rel.field.name}={obj.pk}"
        result.append(
            {"label": related._meta.verbose_name_plural, "count": count, "url": url, "field": rel.field.name}
        )
    return result


class ObjectDetailView(ModelView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        panels = self.views.panels or (
            Panel(
                str(self.model._meta.verbose_name).capitalize(),
                tuple(n for n in self.views.form.base_fields if n not in ("tags", "_last_updated")),
            ),
        )
        ct = ContentType.objects.get_for_model(obj)
        context = self.context(
            object=obj,
            panels=panels,
            custom_fields=CustomField.objects.for_model(self.model),
            related=related_objects(obj, request.user),
            comments=Comment.objects.filter(content_type=ct, object_id=obj.pk).select_related("author"),
            attachments=Attachment.objects.filter(content_type=ct, object_id=obj.pk),
            can_change_object=request.user.has_perm(perm_name(self.model, "change"), obj),
            following=notifications.is_following(request.user, obj),
            tab="detail",
            **workflow_context(obj, request.user),
        )
        return render(request, self.views.detail_template, context)


def workflow_context(obj: models.Model, user: Any) -> dict[str, Any]:
    """State badge, the transitions this user may take now, and recent workflow history."""
    if not wf.has_workflow(type(obj)):
        return {}
    workflow = wf.get_workflow(type(obj))
    transitions = []
    for t in wf.available_transitions(obj, user):
        transitions.append(
            {
                "name": t.name,
                "label": t.label,
                "colour": t.colour or workflow.state(t.target).colour,
                "needs_form": bool(t.settable_fields),
                "approvals": t.approvals,
                "given": wf.pending_approvals(obj, t.name).count() if t.approvals else 0,
            }
        )
    return {
        "workflow_state": workflow.state(obj.state),
        "workflow_transitions": transitions,
        "workflow_history": list(wf.history(obj)[:10]),
    }


class ObjectHistoryView(ModelView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        page = Paginator(history_for(obj), 50).get_page(request.GET.get("page"))
        return render(request, "core/object_history.html", self.context(object=obj, page=page, tab="history"))


# --- create / edit / clone ------------------------------------------------------------------
class ObjectEditView(ModelView):
    def required_action(self, request: HttpRequest) -> str:
        return "change" if self.kwargs.get("pk") else "add"

    def get_instance(self, pk: int | None) -> models.Model:
        return self.get_object(pk, "change") if pk else self.model()

    def clone_initial(self) -> dict[str, Any]:
        source_pk = self.request.GET.get("clone")
        if not source_pk:
            return {}
        if not source_pk.isdigit():
            raise Http404
        source = get_object_or_404(self.queryset("view"), pk=source_pk)
        initial = {}
        for name in self.views.form.base_fields:
            try:
                field = self.model._meta.get_field(name)
            except Exception:  # noqa: S112 - tags and custom fields are not model fields  # nosec B112
                continue
            if field.unique or field.many_to_many:
                continue
            initial[name] = field.value_from_object(source)
        return initial

    def get(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_instance(pk)
        initial = {} if pk else {**self.clone_initial(), **request.GET.dict()}
        initial.pop("clone", None)
        form = self.restrict_choices(self.views.form(instance=instance, initial=initial))
        return render(request, "core/object_edit.html", self.context(object=instance, form=form))

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        instance = self.get_instance(pk)
        form = self.restrict_choices(
            self.views.form(data=request.POST, files=request.FILES, instance=instance)
        )
        if form.is_valid():
            try:
                with transaction.atomic():
                    obj = form.save()
                    if not request.user.has_perm(perm_name(self.model, "change" if pk else "add"), obj):
                        # The row would sit outside what this user may create or change.
                        raise PermissionDenied
            except IntegrityError as exc:
                form.add_error(None, _("The database refused the change: %s") % exc)
            else:
                verb = _("Updated") if pk else _("Created")
                messages.success(request, f"{verb} {self.model._meta.verbose_name} {obj}")
                if "_addanother" in request.POST:
                    return HttpResponseRedirect(reverse(self.views.url_name("add")))
                return HttpResponseRedirect(self.return_url(obj.get_absolute_url()))
        return render(request, "core/object_edit.html", self.context(object=instance, form=form), status=422)


# --- delete ---------------------------------------------------------------------------------
def deletion_summary(obj: models.Model) -> tuple[list[tuple[str, int]], list[str]]:
    """What else a delete takes with it, by model, and what blocks it."""
    collector = Collector(using=router.db_for_write(type(obj)))
    try:
        collector.collect([obj])
    except (ProtectedError, RestrictedError) as exc:
        blocked = [
            str(o)
            for o in list(
                exc.protected_objects if hasattr(exc, "protected_objects") else exc.restricted_objects
            )[:20]
        ]
        return [], blocked
    counts = []
    for model, instances in collector.data.items():
        if model is type(obj):
            instances = [i for i in instances if i.pk != obj.pk]
        if instances and not model._meta.auto_created:
            counts.append((str(model._meta.verbose_name_plural), len(instances)))
    for qs in collector.fast_deletes:
        n = qs.count()
        if n and not qs.model._meta.auto_created and qs.model._meta.app_label != "core":
            counts.append((str(qs.model._meta.verbose_name_plural), n))
    return counts, []


class ObjectDeleteView(ModelView):
    action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        cascade, blocked = deletion_summary(obj)
        return render(
            request, "core/object_delete.html", self.context(object=obj, cascade=cascade, blocked=blocked)
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        try:
            with transaction.atomic():
                obj.delete()
        except (ProtectedError, RestrictedError):
            messages.error(request, _("%s cannot be deleted: other records depend on it.") % obj)
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(
            request, _("Deleted %(type)s %(obj)s") % {"type": self.model._meta.verbose_name, "obj": obj}
        )
        return HttpResponseRedirect(self.return_url(reverse(self.views.url_name("list"))))


# --- import ---------------------------------------------------------------------------------
class ObjectImportView(ModelView):
    action = "add"

    def required_action(self, request: HttpRequest) -> str:
        return "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        columns = importexport.export_columns(importexport.import_form_class(self.views.form))
        return render(request, "core/object_import.html", self.context(form=ImportForm(), columns=columns))

    def post(self, request: HttpRequest) -> HttpResponse:
        confirm = request.POST.get("confirm") in ("True", "true", "1", "on")
        # The form shown again after this post is always a dry run, even if this one confirmed.
        data = request.POST.copy()
        data.pop("confirm", None)
        form = ImportForm(data, request.FILES)
        columns = importexport.export_columns(importexport.import_form_class(self.views.form))
        context = self.context(form=form, columns=columns)
        if not form.is_valid():
            return render(request, "core/object_import.html", context, status=422)
        try:
            rows = importexport.parse_rows(form.cleaned_data["data"], form.cleaned_data["format"])
        except importexport.ImportFormatError as exc:
            form.add_error("data", str(exc))
            return render(request, "core/object_import.html", context, status=422)
        needs_change = any(r.get("id") for r in rows) or bool(getattr(self.model, "natural_key_fields", ()))
        if needs_change and not request.user.has_perm(perm_name(self.model, "change")):
            # Upserts may update existing rows; that needs the change permission too.
            needs_change = False
        try:
            result = importexport.import_rows(
                model=self.model,
                form_class=self.views.form,
                rows=rows,
                dry_run=not confirm,
                allowed=self.queryset("change") if needs_change else self.model._default_manager.none(),
                permitted=lambda obj, is_new: request.user.has_perm(
                    perm_name(self.model, "add" if is_new else "change"), obj
                ),
            )
        except (IntegrityError, ValidationError) as exc:
            form.add_error("data", _("Nothing was imported: %s") % exc)
            return render(request, "core/object_import.html", context, status=422)
        context.update(result=result, data=form.cleaned_data["data"], fmt=form.cleaned_data["format"])
        if result.errors:
            return render(request, "core/object_import.html", context, status=422)
        if confirm:
            messages.success(
                request,
                _("Imported: %(c)d created, %(u)d updated, %(n)d unchanged.")
                % {"c": result.created, "u": result.updated, "n": result.unchanged},
            )
            return HttpResponseRedirect(reverse(self.views.url_name("list")))
        return render(request, "core/object_import.html", context)


# --- bulk edit / delete ---------------------------------------------------------------------
def selected_pks(request: HttpRequest) -> list[int] | None:
    """The primary keys ticked in a list (``pk`` values), or None if any is not a whole number."""
    values = request.POST.getlist("pk")
    if not all(v.isascii() and v.isdigit() and len(v) <= 18 for v in values):
        return None
    return [int(v) for v in values]


def refuse_selection(request: HttpRequest, return_url: str) -> HttpResponse:
    messages.error(request, _("The selection is not valid: pick rows from the list."))
    return HttpResponseRedirect(return_url)


class BulkEditView(ModelView):
    action = "change"

    def post(self, request: HttpRequest) -> HttpResponse:
        queryset = self.queryset("change")
        pks = selected_pks(request)
        if pks is None:
            return refuse_selection(request, self.return_url(reverse(self.views.url_name("list"))))
        objects = list(queryset.filter(pk__in=pks))
        form = BulkEditForm(
            self.model,
            self.views.form,
            request.POST if "_apply" in request.POST else None,
            initial={"pk": pks},
        )
        self.restrict_choices(form)
        form.fields["pk"].queryset = queryset
        context = self.context(
            form=form, objects=objects, return_url=self.return_url(reverse(self.views.url_name("list")))
        )
        if "_apply" not in request.POST:
            if not objects:
                messages.warning(request, _("Select at least one row."))
                return HttpResponseRedirect(context["return_url"])
            return render(request, "core/bulk_edit.html", context)
        if not form.is_valid():
            return render(request, "core/bulk_edit.html", context, status=422)
        changes = form.changes()
        add_tags = form.cleaned_data.get("add_tags") or []
        errors = []
        with transaction.atomic():
            for obj in form.cleaned_data["pk"]:
                for name, value in changes.items():
                    field = self.model._meta.get_field(name)
                    if field.many_to_many:
                        continue
                    setattr(obj, name, value)
                try:
                    obj.full_clean()
                except ValidationError as exc:
                    errors.append(
                        f"{obj}: " + "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.message_dict.items())
                    )
                    continue
                obj.save()
                for name, value in changes.items():
                    if self.model._meta.get_field(name).many_to_many:
                        getattr(obj, name).set(value)
                if not request.user.has_perm(perm_name(self.model, "change"), obj):
                    errors.append(_("%s: the change would move it outside what you may change.") % obj)
                    continue
                if add_tags:
                    set_tags(obj, set(obj.tags) | set(add_tags))
            if errors:
                transaction.set_rollback(True)
        if errors:
            for e in errors:
                form.add_error(None, e)
            return render(request, "core/bulk_edit.html", context, status=422)
        messages.success(request, _("Updated %d records.") % len(form.cleaned_data["pk"]))
        return HttpResponseRedirect(context["return_url"])


class BulkDeleteView(ModelView):
    action = "delete"

    def post(self, request: HttpRequest) -> HttpResponse:
        queryset = self.queryset("delete")
        return_url = self.return_url(reverse(self.views.url_name("list")))
        pks = selected_pks(request)
        if pks is None:
            return refuse_selection(request, return_url)
        objects = list(queryset.filter(pk__in=pks))
        if not objects:
            messages.warning(request, _("Select at least one row."))
            return HttpResponseRedirect(return_url)
        if "_confirm" not in request.POST:
            return render(
                request, "core/bulk_delete.html", self.context(objects=objects, return_url=return_url)
            )
        try:
            with transaction.atomic():
                for obj in objects:
                    obj.delete()
        except (ProtectedError, RestrictedError) as exc:
            messages.error(request, _("Nothing was deleted: %s") % exc.args[0])
            return HttpResponseRedirect(return_url)
        messages.success(request, _("Deleted %d records.") % len(objects))
        return HttpResponseRedirect(return_url)


# --- workflow and following -----------------------------------------------------------------
class TransitionForm(django_forms.Form):
    comment = django_forms.CharField(
        label=_("Comment"), required=False, widget=django_forms.Textarea(attrs={"rows": 3})
    )


def transition_form(model: type[models.Model], t: wf.Transition, obj: models.Model, data: Any = None) -> Any:
    """A form asking for the fields ``t`` needs (required ones marked required) and a comment."""
    fields: dict[str, Any] = {}
    for name in t.settable_fields:
        field = model._meta.get_field(name).formfield()
        field.required = name in t.required_fields
        fields[name] = field
    form_class = type("DynamicTransitionForm", (TransitionForm,), fields)
    initial = {n: getattr(obj, model._meta.get_field(n).attname) for n in t.settable_fields}
    form = form_class(data, initial=initial)
    for field in form.fields.values():
        widget = field.widget
        css = (
            "form-check-input"
            if isinstance(widget, django_forms.CheckboxInput)
            else ("form-select" if isinstance(widget, django_forms.Select) else "form-control")
        )
        widget.attrs.setdefault("class", css)
    return form


class TransitionView(ModelView):
    """Ask for a transition's fields (GET) and run it through the engine (POST)."""

    action = "view"

    def get_transition(self, obj: models.Model, name: str) -> wf.Transition:
        t = wf.get_workflow(self.model).transitions.get(name)
        if t is None:
            raise Http404
        return t

    def get(self, request: HttpRequest, pk: int, transition: str) -> HttpResponse:
        obj = self.get_object(pk)
        t = self.get_transition(obj, transition)
        form = transition_form(self.model, t, obj)
        return render(
            request, "core/object_transition.html", self.context(object=obj, form=form, transition=t)
        )

    def post(self, request: HttpRequest, pk: int, transition: str) -> HttpResponse:
        obj = self.get_object(pk)
        t = self.get_transition(obj, transition)
        form = transition_form(self.model, t, obj, request.POST)
        context = self.context(object=obj, form=form, transition=t)
        if not form.is_valid():
            return render(request, "core/object_transition.html", context, status=422)
        data = {}
        for name in t.settable_fields:
            value = form.cleaned_data.get(name)
            data[name] = value.pk if isinstance(value, models.Model) else value
        try:
            result = wf.transition(
                obj=obj, name=t.name, actor=request.user, data=data, comment=form.cleaned_data["comment"]
            )
        except wf.TransitionNotAllowed as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(obj.get_absolute_url())
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
            return render(request, "core/object_transition.html", context, status=422)
        if result.completed:
            messages.success(
                request,
                _("%(t)s: now %(s)s.")
                % {"t": t.label, "s": wf.get_workflow(self.model).state(obj.state).label},
            )
        else:
            messages.info(
                request,
                _("Your approval of %(t)s is recorded (%(n)d of %(m)d).")
                % {"t": t.label, "n": result.approvals, "m": result.needed},
            )
        return HttpResponseRedirect(obj.get_absolute_url())


class FollowView(ModelView):
    """Follow or stop following a record; followers are notified when it changes."""

    action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        if request.POST.get("follow") == "0":
            notifications.unfollow(request.user, obj)
            messages.success(request, _("You no longer follow %s.") % obj)
        else:
            notifications.follow(request.user, obj)
            messages.success(request, _("You follow %s: you will be notified of its changes.") % obj)
        return HttpResponseRedirect(obj.get_absolute_url())


# --- comments and attachments ---------------------------------------------------------------
class CommentView(ModelView):
    action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk)
        body = request.POST.get("body", "").strip()
        if not body:
            messages.error(request, _("A comment cannot be empty."))
        else:
            Comment.objects.create(content_object=obj, author=request.user, body=body)
        return HttpResponseRedirect(obj.get_absolute_url() + "#comments")


class AttachmentUploadView(ModelView):
    action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.get_object(pk, "change")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a file to upload."))
        else:
            try:
                name, mime = check_upload(upload)
            except UploadRejected as exc:
                messages.error(request, str(exc))
            else:
                Attachment.objects.create(
                    content_object=obj,
                    file=upload,
                    name=name,
                    size=upload.size,
                    mime_type=mime,
                    uploaded_by=request.user,
                )
                messages.success(request, _("Attached %s.") % name)
        return HttpResponseRedirect(obj.get_absolute_url() + "#attachments")


class AttachmentView(ModelView):
    def required_action(self, request: HttpRequest) -> str:
        return "change" if request.method == "POST" else "view"

    def attachment(self, pk: int, attachment: int, action: str) -> Attachment:
        obj = self.get_object(pk, action)
        ct = ContentType.objects.get_for_model(obj)
        found = Attachment.objects.filter(pk=attachment, content_type=ct, object_id=obj.pk).first()
        if found is None:
            raise Http404
        return found

    def get(self, request: HttpRequest, pk: int, attachment: int) -> FileResponse:
        att = self.attachment(pk, attachment, "view")
        response = FileResponse(
            att.file.open("rb"), as_attachment=True, filename=att.name, content_type=att.mime_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response

    def post(self, request: HttpRequest, pk: int, attachment: int) -> HttpResponse:
        att = self.attachment(pk, attachment, "change")
        target = att.content_object.get_absolute_url()
        att.file.delete(save=False)
        att.delete()
        messages.success(request, _("Removed %s.") % att.name)
        return HttpResponseRedirect(target + "#attachments")
