"""The self-service portal (``/portal/``): end users browse the catalogue, request things, report
incidents, follow their own tickets and comment on them; approvers decide on requests.

No model permission is needed: every page reads only the signed-in person's own records (or the
requests they are asked to approve), so an end user never sees anyone else's tickets.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from steward.core import workflow as wf
from steward.itsm import services, services_knowledge, services_requests, services_surveys
from steward.itsm.choices import Impact, NoteKind, Urgency
from steward.itsm.models import CatalogueCategory, CatalogueItem, Incident, KnowledgeArticle, ServiceRequest
from steward.itsm.request_forms import RequestForm, display_answers

app_name = "portal"


def _person_or_message(request: HttpRequest) -> Any:
    person = services_requests.person_of(request.user)
    if person is None:
        messages.warning(
            request, _("Your account is not linked to a person; ask the service desk to link it.")
        )
    return person


def _errors(exc: ValidationError) -> str:
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return " ".join(exc.messages)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    items = CatalogueItem.objects.filter(active=True).select_related("category")
    if query:
        items = items.filter(
            Q(name__icontains=query) | Q(short_description__icontains=query) | Q(description__icontains=query)
        )
    categories = list(CatalogueCategory.objects.all())
    grouped = {c.pk: [] for c in categories}
    loose = []
    for item in items:
        grouped.get(item.category_id, loose).append(item)
    shelves = [(c, grouped[c.pk]) for c in categories if grouped[c.pk]]
    if loose:
        shelves.append((None, loose))
    context = {
        "shelves": shelves,
        "query": query,
        "articles": services_knowledge.search_published(text=query, limit=10) if query else [],
        "open_requests": services_requests.my_requests(user=request.user)
        .exclude(state__in=("closed", "rejected", "cancelled"))
        .count(),
        "open_incidents": _my_incidents(request.user).exclude(state="closed").count(),
        "approvals": services_requests.my_approvals(user=request.user).count(),
    }
    return render(request, "itsm/portal/home.html", context)


@login_required
def item_request(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(CatalogueItem, pk=pk, active=True)
    form = RequestForm(item.form_fields, request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        person = _person_or_message(request)
        if person is not None and form.is_valid():
            try:
                created = services_requests.submit_request(
                    item=item, requester=person, actor=request.user, answers=form.answers(),
                    files=form.files_to_attach(),
                )  # fmt: skip
            except ValidationError as exc:
                for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, _("Request %s submitted.") % created.reference)
                return HttpResponseRedirect(reverse("portal:request_detail", args=[created.reference]))
        status = 422
    return render(request, "itsm/portal/item.html", {"item": item, "form": form}, status=status)


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    rows = services_requests.my_requests(user=request.user).order_by("-created")[:200]
    return render(request, "itsm/portal/request_list.html", {"rows": rows})


def _my_request(request: HttpRequest, reference: str) -> ServiceRequest:
    found = ServiceRequest.objects.select_related("item", "requester").filter(reference=reference).first()
    if found is None or not services_requests.may_follow_request(request=found, user=request.user):
        raise Http404
    return found


class CommentForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"})
    )


@login_required
def request_detail(request: HttpRequest, reference: str) -> HttpResponse:
    obj = _my_request(request, reference)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if form.is_valid():
            services_requests.add_request_comment(
                request=obj, actor=request.user, body=form.cleaned_data["body"]
            )
            return HttpResponseRedirect(request.path + "#comments")
    else:
        form = CommentForm()
    x = {
        "answers": display_answers(obj.item.form_fields, obj.answers),
        "approvals": list(obj.approvals.select_related("approver", "delegated_from")),
        "tasks": list(obj.tasks.select_related("assignment_team")),
    }
    context = {
        "object": obj,
        "x": x,
        "portal": True,
        "comments": services_requests.request_comments(request=obj),
        "form": form,
        "can_decide": services_requests.pending_rows_for(request=obj, user=request.user).exists()
        and obj.state == "awaiting_approval",
        "can_cancel": obj.requester_id == getattr(services_requests.person_of(request.user), "pk", None)
        and obj.state in ("submitted", "awaiting_approval", "approved", "fulfilling"),
    }
    return render(
        request, "itsm/portal/request_detail.html", context, status=200 if request.method == "GET" else 422
    )


@login_required
@require_POST
def request_decide(request: HttpRequest, reference: str) -> HttpResponse:
    """Approve, reject or (the requester) cancel; a stranger gets 403 and nothing is recorded."""
    obj = ServiceRequest.objects.filter(reference=reference).first()
    if obj is None:
        raise Http404
    decision = request.POST.get("decision")
    comment = request.POST.get("comment", "")
    try:
        if decision == "approve":
            result = services_requests.approve_request(request=obj, actor=request.user, comment=comment)
            messages.success(request, _("Approved.") if result.completed else _("Your approval is recorded."))
        elif decision == "reject":
            services_requests.reject_request(request=obj, actor=request.user, comment=comment)
            messages.success(request, _("Rejected."))
        elif decision == "cancel":
            wf.transition(obj=obj, name="cancel", actor=request.user, comment=comment)
            messages.success(request, _("Cancelled."))
        else:
            return HttpResponse(_("Decision: choose approve, reject or cancel."), status=400)
    except wf.TransitionForbidden as exc:
        raise PermissionDenied(str(exc)) from exc
    except wf.TransitionNotAllowed as exc:
        return HttpResponse(
            _("%(msg)s Allowed now: %(allowed)s.")
            % {"msg": exc, "allowed": ", ".join(exc.allowed) or _("none")},
            status=409,
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    target = "portal:approvals" if decision in ("approve", "reject") else "portal:request_detail"
    return HttpResponseRedirect(
        reverse(target) if target == "portal:approvals" else reverse(target, args=[reference])
    )


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    rows = list(services_requests.my_approvals(user=request.user)[:200])
    return render(request, "itsm/portal/approvals.html", {"rows": rows})


# --- incidents --------------------------------------------------------------------------------
def _my_incidents(user: Any) -> Any:
    person = services_requests.person_of(user)
    if person is None:
        return Incident.objects.none()
    return Incident.objects.filter(caller=person)


class IncidentReportForm(forms.Form):
    short_description = forms.CharField(
        label=gettext_lazy("What is wrong?"), max_length=200,
        widget=forms.TextInput(attrs={
            "class": "form-control", "autocomplete": "off", "hx-get": reverse_lazy("portal:kb_suggest"),
            "hx-trigger": "keyup changed delay:400ms", "hx-target": "#kb-suggestions",
        }),
    )  # fmt: skip
    description = forms.CharField(
        label=gettext_lazy("Details"), required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )  # fmt: skip
    urgency = forms.ChoiceField(
        label=gettext_lazy("How urgent is it?"), choices=Urgency.choices, initial=Urgency.MEDIUM,
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip


@login_required
def incident_new(request: HttpRequest) -> HttpResponse:
    form = IncidentReportForm(request.POST or None)
    if request.method == "POST":
        person = _person_or_message(request)
        if person is not None and form.is_valid():
            try:
                incident = services.create_incident(
                    actor=request.user, caller=person, impact=Impact.MEDIUM, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Incident %s reported.") % incident.reference)
                return HttpResponseRedirect(reverse("portal:incident_detail", args=[incident.reference]))
        return render(request, "itsm/portal/incident_new.html", {"form": form}, status=422)
    return render(request, "itsm/portal/incident_new.html", {"form": form})


@login_required
def incident_list(request: HttpRequest) -> HttpResponse:
    rows = _my_incidents(request.user).order_by("-created")[:200]
    return render(request, "itsm/portal/incident_list.html", {"rows": rows})


@login_required
def incident_detail(request: HttpRequest, reference: str) -> HttpResponse:
    incident = _my_incidents(request.user).filter(reference=reference).first()
    if incident is None:
        raise Http404
    form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_note(
            incident=incident, actor=request.user, kind=NoteKind.COMMENT, body=form.cleaned_data["body"]
        )
        return HttpResponseRedirect(request.path + "#comments")
    # Only comments: work notes are internal to the desk.
    notes = incident.notes.filter(kind=NoteKind.COMMENT).select_related("author")
    context = {"object": incident, "notes": notes, "form": form}
    return render(
        request, "itsm/portal/incident_detail.html", context, status=422 if request.method == "POST" else 200
    )


# --- knowledge base ---------------------------------------------------------------------------
@login_required
def kb_suggest(request: HttpRequest) -> HttpResponse:
    """HTMX panel: published articles similar to the text typed so far (``q`` or the input's name)."""
    text = (request.GET.get("q") or request.GET.get("short_description") or "")[:300]
    found = services_knowledge.suggest_articles(text=text, limit=5)
    return render(request, "itsm/portal/kb_suggestions.html", {"found": found, "text": text})


@login_required
def kb_search(request: HttpRequest) -> HttpResponse:
    query = (request.GET.get("q") or "").strip()[:100]
    articles = services_knowledge.search_published(text=query, limit=50)
    return render(request, "itsm/portal/kb_search.html", {"articles": articles, "query": query})


@login_required
def kb_article(request: HttpRequest, reference: str) -> HttpResponse:
    article = get_object_or_404(KnowledgeArticle.objects.select_related("category"), reference=reference,
                                state="published")  # fmt: skip
    if request.method == "POST":
        try:
            services_knowledge.give_feedback(
                article=article, actor=request.user, value=request.POST.get("value", ""),
                comment=request.POST.get("comment", ""),
            )  # fmt: skip
        except ValidationError as exc:
            messages.error(request, _errors(exc))
            return HttpResponseRedirect(request.path)
        messages.success(request, _("Thank you for your feedback."))
        return HttpResponseRedirect(request.path)
    mine = article.feedback.filter(user=request.user).first()
    return render(request, "itsm/portal/kb_article.html", {"article": article, "mine": mine})


# --- satisfaction survey (no login: the signed link is the credential) -------------------------
def survey(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = services_surveys.open_survey(token)
    except services_surveys.SurveyRefused as exc:
        return render(request, "itsm/portal/survey.html", {"refused": str(exc)}, status=410)
    errors: list[str] = []
    if request.method == "POST":
        try:
            services_surveys.answer_survey(
                token=token, rating=request.POST.get("rating"), comment=request.POST.get("comment", "")
            )
        except services_surveys.SurveyRefused as exc:
            return render(request, "itsm/portal/survey.html", {"refused": str(exc)}, status=410)
        except ValidationError as exc:
            errors = [m for msgs in exc.message_dict.values() for m in msgs]
        else:
            return render(request, "itsm/portal/survey.html", {"thanks": True})
    context = {"ticket": found.ticket, "errors": errors, "ratings": range(1, 6)}
    return render(request, "itsm/portal/survey.html", context, status=422 if errors else 200)


urlpatterns = [
    path("survey/<str:token>/", survey, name="survey"),
    path("kb/", kb_search, name="kb"),
    path("kb/suggest/", kb_suggest, name="kb_suggest"),
    path("kb/<str:reference>/", kb_article, name="kb_article"),
    path("", home, name="home"),
    path("items/<int:pk>/", item_request, name="item"),
    path("requests/", request_list, name="requests"),
    path("requests/<str:reference>/", request_detail, name="request_detail"),
    path("requests/<str:reference>/decide/", request_decide, name="request_decide"),
    path("approvals/", approvals, name="approvals"),
    path("incidents/", incident_list, name="incidents"),
    path("incidents/new/", incident_new, name="incident_new"),
    path("incidents/<str:reference>/", incident_detail, name="incident_detail"),
]
