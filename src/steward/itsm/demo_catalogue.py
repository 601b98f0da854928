"""Demo data of the catalogue, requests, knowledge base and surveys (``steward demo``).

Two years of request history are written in bulk in their final states (with approvals and
tasks); a few current requests go through the real services so approvers and fulfilment
teams find live work. Demo accounts: ``requester``/``requester`` (an employee in Sales) and
``manager``/``manager`` (their manager, who approves).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

ITEMS = [
    # name, category, short description, form, steps, tasks (description, team slug)
    ("Laptop", "Hardware", "A standard or performance laptop for your work.",
     [{"name": "model", "label": "Model", "type": "choice", "choices": ["Standard 14-inch", "Performance 16-inch"],
       "required": True},
      {"name": "reason", "label": "Business reason", "type": "long_text", "required": True, "min_length": 10},
      {"name": "cost_centre", "label": "Cost centre", "type": "text", "required": True, "regex": "CC-[0-9]{4}",
       "help": "Four digits after CC-, e.g. CC-4100"},
      {"name": "needed_by", "label": "Needed by", "type": "date"}],
     [(1, "Manager approval", "manager", "all", None), (2, "IT finance", "team", "any", "pmo")],
     [("Order the laptop", "end-user"), ("Install the standard image", "end-user"), ("Hand over to the user", "end-user")]),
    ("Software licence", "Software", "A licence for approved software.",
     [{"name": "software", "label": "Software", "type": "choice",
       "choices": ["Visio", "Project", "Adobe Acrobat Pro", "JetBrains IDE"], "required": True},
      {"name": "justification", "label": "Justification", "type": "long_text", "required": True}],
     [(1, "Manager approval", "manager", "all", None)],
     [("Assign the licence", "app-support")]),
    ("Access to a business application", "Access", "Read or write access to an internal application.",
     [{"name": "application", "label": "Application", "type": "choice", "choices": ["ERP", "CRM", "HR portal"],
       "required": True},
      {"name": "level", "label": "Access level", "type": "choice", "choices": ["Read", "Write", "Admin"],
       "required": True},
      {"name": "until", "label": "Access until", "type": "date"},
      {"name": "same_as", "label": "Same access as", "type": "person"}],
     [(1, "Manager approval", "manager", "all", None), (1, "Identity team", "team", "any", "identity")],
     [("Grant the access", "identity"), ("Confirm with the requester", "service-desk")]),
    ("Shared mailbox", "Accounts", "A shared mailbox for a team.",
     [{"name": "address", "label": "Address", "type": "text", "required": True, "regex": "[a-z0-9.-]+",
       "help": "The part before @northwind.example"},
      {"name": "members", "label": "Members", "type": "long_text"}],
     [],
     [("Create the mailbox", "server-ops")]),
    ("Mobile phone", "Hardware", "A company smartphone with a data plan.",
     [{"name": "model", "label": "Model", "type": "choice", "choices": ["Standard", "Large screen"], "required": True},
      {"name": "monthly_data_gb", "label": "Monthly data (GB)", "type": "number", "min": 1, "max": 50}],
     [(1, "Manager approval", "manager", "all", None)],
     [("Order the phone", "end-user"), ("Enrol in device management", "end-user")]),
    ("Password reset", "Accounts", "Reset a forgotten password (no approval).",
     [{"name": "account", "label": "Account", "type": "text", "required": True}], [], []),
]  # fmt: skip

ARTICLES = [
    ("VPN", "VPN disconnects every few minutes", "vpn wifi drop",
     "Update the VPN client to the latest version, then turn off *power saving* for the Wi-Fi adapter:\n\n"
     "1. Open **Device Manager** → Network adapters.\n2. Properties → Power Management.\n"
     "3. Untick *Allow the computer to turn off this device*."),
    ("VPN", "VPN says the certificate has expired", "vpn certificate",
     "Connect once to the office network, or run **Company Portal → Sync** so the certificate renews."),
    ("Email", "Outlook keeps asking for my password", "outlook password prompt credential",
     "Remove the saved Office credentials in **Credential Manager**, then restart Outlook and sign in again."),
    ("Email", "Mailbox is full", "mailbox quota full archive",
     "Turn on the online archive in Outlook (File → Tools → Mailbox cleanup) or delete large attachments."),
    ("Email", "Set an out-of-office reply", "out of office automatic reply",
     "In Outlook: **File → Automatic Replies**. Set the dates so it switches itself off."),
    ("Printing", "Printer shows offline", "printer offline spooler",
     "Check the network cable, then restart the *Print Spooler* service. If it stays offline, report an incident."),
    ("Printing", "Add a printer on a Mac", "printer mac add",
     "System Settings → Printers & Scanners → **Add printer**; choose the printer named after your floor."),
    ("Accounts", "Reset a forgotten password", "password reset forgotten locked",
     "Use the self-service password page with your registered phone. After five failures the account locks "
     "for 15 minutes."),
    ("Accounts", "Set up multi-factor authentication", "mfa authenticator phone",
     "Install the authenticator app, then scan the QR code shown at your first sign-in."),
    ("Hardware", "Laptop battery drains fast", "battery laptop power",
     "Lower screen brightness, close browser tabs you do not need and check **Battery health** in settings."),
    ("Hardware", "External monitor not detected", "monitor screen dock display",
     "Unplug and replug the dock, update the dock firmware from Company Portal, try another cable."),
    ("Software", "Install approved software", "install software company portal",
     "Open **Company Portal** and choose the application. Other software needs a catalogue request."),
    ("Software", "Teams camera does not work", "teams camera video",
     "Close other apps using the camera; in Teams → Settings → Devices pick the right camera."),
]  # fmt: skip


def load(*, rng: random.Random, scale: float = 1.0) -> str:
    from steward.org.models import Person, Team

    teams = {t.slug: t for t in Team.objects.prefetch_related("members")}
    people = list(Person.objects.filter(status="active").exclude(manager=None).order_by("pk"))
    if not teams or not people:
        return "itsm catalogue: skipped (load the organisation demo first)"
    items = _catalogue(teams)
    requester, manager = _accounts(people)
    history = _history(rng, scale, items, people, teams)
    live = _live(rng, items, requester, manager)
    articles = _knowledge(rng)
    answers = _surveys(rng, scale)
    return (
        f"itsm catalogue: {len(items)} items, {history} past and {live} current requests, {articles} articles, "
        f"{answers} survey answers"
    )


def _catalogue(teams: dict[str, Any]) -> list[Any]:
    from steward.itsm.models import ApprovalStep, CatalogueCategory, CatalogueItem, FulfilmentTaskTemplate

    categories = {}
    for order, (name, icon) in enumerate(
        (("Hardware", "device-laptop"), ("Software", "apps"), ("Access", "key"), ("Accounts", "user"))
    ):
        categories[name] = CatalogueCategory.objects.create(name=name, icon=icon, order=order)
    items = []
    for order, (name, cat, short, form, steps, tasks) in enumerate(ITEMS):
        item = CatalogueItem(
            name=name, category=categories[cat], short_description=short, form_fields=form, order=order,
            fulfilment_team=teams.get("end-user"), description=f"**{name}** — {short}",
        )  # fmt: skip
        item.full_clean()
        item.save()
        for step_order, step_name, kind, rule, team in steps:
            ApprovalStep.objects.create(
                item=item, order=step_order, name=step_name, approver_type=kind, rule=rule,
                team=teams.get(team) if team else None,
            )  # fmt: skip
        for task_order, (text, team) in enumerate(tasks, start=1):
            FulfilmentTaskTemplate.objects.create(
                item=item, order=task_order, short_description=text, assignment_team=teams.get(team)
            )
        items.append(item)
    return items


def _accounts(people: list[Any]) -> tuple[Any, Any]:
    User = get_user_model()
    requester = next(p for p in people if p.user_id is None and p.manager and p.manager.user_id is None)
    manager = requester.manager
    for person, username in ((requester, "requester"), (manager, "manager")):
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username, person.email, username
        )
        person.user = user
        person.save()
    Group.objects.get_or_create(name="Knowledge managers")
    return requester, manager


def _answers(rng: random.Random, item: Any, people: list[Any]) -> dict[str, Any]:
    from steward.itsm.request_forms import specs_of

    values: dict[str, Any] = {}
    for spec in specs_of(item.form_fields):
        if spec.type == "choice":
            values[spec.name] = rng.choice(spec.choices)
        elif spec.type == "date":
            values[spec.name] = (timezone.localdate() + dt.timedelta(days=rng.randint(7, 60))).isoformat()
        elif spec.type == "number":
            values[spec.name] = rng.randint(int(spec.min or 1), int(spec.max or 10))
        elif spec.type == "person":
            values[spec.name] = rng.choice(people).pk
        elif spec.name == "cost_centre":
            values[spec.name] = f"CC-{rng.randint(1000, 9999)}"
        elif spec.name == "address":
            values[spec.name] = rng.choice(["sales-emea", "support", "finance-ap", "hr-team"])
        elif spec.required:
            values[spec.name] = rng.choice(
                ["New starter next month", "The current one is broken", "Needed for the new project",
                 "Replacing a lost device", "My role changed"]
            )  # fmt: skip
    return values


def _history(
    rng: random.Random, scale: float, items: list[Any], people: list[Any], teams: dict[str, Any]
) -> int:
    """A few hundred past requests over two years, in their final states, written in bulk."""
    from steward.core.models import WorkflowHistory
    from steward.itsm.models import FulfilmentTask, RequestApproval, ServiceRequest

    now = timezone.now()
    count = max(20, int(300 * scale))
    refs = ServiceRequest.allocate_references(count)
    requests, plans = [], []
    for ref in refs:
        item = rng.choices(items, weights=[5, 4, 4, 2, 2, 6])[0]
        requester = rng.choice(people)
        opened = now - dt.timedelta(days=rng.uniform(3, 730), hours=rng.uniform(0, 8))
        outcome = rng.choices(["closed", "rejected", "cancelled"], weights=[88, 8, 4])[0]
        steps = list(item.approval_steps.all()) if outcome != "cancelled" else []
        approved = opened + dt.timedelta(hours=rng.uniform(1, 48))
        done = approved + dt.timedelta(days=rng.uniform(0.2, 6))
        state = outcome if steps or outcome != "rejected" else "closed"
        req = ServiceRequest(
            reference=ref, item=item, requester=requester, short_description=item.name, state=state,
            answers=_answers(rng, item, people), approved_at=approved if state == "closed" else None,
            fulfilled_at=done if state == "closed" else None,
            closed_at=done + dt.timedelta(days=1) if state == "closed" else approved,
        )  # fmt: skip
        requests.append(req)
        plans.append((req, item, steps, opened, approved, done))
    ServiceRequest.objects.bulk_create(requests, batch_size=500)
    approvals, tasks, histories = [], [], []
    task_refs = iter(FulfilmentTask.allocate_references(sum(len(p[1].task_templates.all()) for p in plans)))
    for req, item, steps, opened, approved, done in plans:
        ServiceRequest.objects.filter(pk=req.pk).update(created=opened, last_updated=req.closed_at)
        for i, step in enumerate(steps):
            rejected = req.state == "rejected" and i == len(steps) - 1
            approver = (
                req.requester.manager
                if step.approver_type == "manager"
                else rng.choice(list(step.team.members.all()) or [req.requester.manager])
            )
            approvals.append(RequestApproval(
                request=req, step=step, step_order=step.order, step_name=step.name, rule=step.rule,
                approver=approver or req.requester, status="rejected" if rejected else "approved",
                decided_at=approved, comment="Not in this quarter's budget." if rejected else "",
            ))  # fmt: skip
        histories.append(WorkflowHistory(content_object=req, transition="request_approval", from_state="submitted",
                                         to_state="awaiting_approval", actor_name=str(req.requester)))  # fmt: skip
        if req.state == "closed":
            for template in item.task_templates.all():
                tasks.append(FulfilmentTask(
                    reference=next(task_refs), request=req, template=template, order=template.order,
                    short_description=template.short_description, assignment_team=template.assignment_team,
                    state="done", completed_at=done,
                ))  # fmt: skip
            histories.append(WorkflowHistory(content_object=req, transition="close", from_state="fulfilled",
                                             to_state="closed", actor_name="itsm-automation"))  # fmt: skip
        else:
            histories.append(WorkflowHistory(content_object=req, transition="reject" if req.state == "rejected" else "cancel", from_state="awaiting_approval", to_state=req.state,
                                             actor_name=str(req.requester)))  # fmt: skip
    RequestApproval.objects.bulk_create(approvals, batch_size=1000)
    FulfilmentTask.objects.bulk_create(tasks, batch_size=1000)
    WorkflowHistory.objects.bulk_create(histories, batch_size=1000)
    return count


def _live(rng: random.Random, items: list[Any], requester: Any, manager: Any) -> int:
    """Current requests through the real services: some await the manager, some are being fulfilled."""
    from steward.itsm import services_requests as svc

    people = [requester]
    created = 0
    for n, item in enumerate(items[:5]):
        request = svc.submit_request(
            item=item, requester=requester, actor=requester.user, answers=_answers(rng, item, people)
        )
        created += 1
        if n % 2 == 0 and request.state == "awaiting_approval":
            svc.approve_request(request=request, actor=manager.user, comment="Fine by me.")
    return created


def _knowledge(rng: random.Random) -> int:
    from steward.core import workflow as wf
    from steward.itsm.models import KnowledgeArticle, KnowledgeCategory
    from steward.itsm.services_requests import system_actor

    actor = system_actor()
    Group.objects.get_or_create(name="Knowledge managers")[0].user_set.add(actor)
    actor = type(actor).objects.get(pk=actor.pk)
    categories = {}
    for n, (cat, title, keywords, body) in enumerate(ARTICLES):
        if cat not in categories:
            categories[cat] = KnowledgeCategory.objects.create(name=cat, order=len(categories))
        article = KnowledgeArticle.objects.create(
            title=title, category=categories[cat], keywords=keywords, body=body, summary=body.split("\n")[0][:300],
            helpful_count=rng.randint(0, 40), not_helpful_count=rng.randint(0, 6),
        )  # fmt: skip
        if n % 6 == 5:
            continue  # stays a draft
        wf.transition(obj=article, name="submit", actor=actor)
        if n % 6 != 4:
            wf.transition(obj=article, name="publish", actor=actor)
    return len(ARTICLES)


def _surveys(rng: random.Random, scale: float) -> int:
    """Answers to about one survey in eight of the closed incidents, mostly happy."""
    from steward.itsm.models import Incident, SurveyResponse

    closed = list(
        Incident.objects.filter(state="closed").values_list("pk", "caller_id", "closed_at")[
            : int(20000 * scale)
        ]
    )
    chosen = [row for row in closed if rng.random() < 0.125]
    refs = SurveyResponse.allocate_references(len(chosen)) if chosen else []
    comments = [
        "",
        "",
        "Quick and friendly.",
        "Took a while but solved.",
        "Had to call twice.",
        "Great help!",
    ]
    SurveyResponse.objects.bulk_create(
        [SurveyResponse(reference=ref, incident_id=pk, respondent_id=caller, comment=rng.choice(comments),
                        rating=rng.choices([1, 2, 3, 4, 5], weights=[3, 4, 10, 35, 48])[0])
         for ref, (pk, caller, _closed) in zip(refs, chosen, strict=True)],
        batch_size=1000,
    )  # fmt: skip
    return len(chosen)
