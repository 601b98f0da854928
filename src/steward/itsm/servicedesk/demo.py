"""Demo data of the service desk: assignment rules, canned responses, a mailbox, service maps."""

from __future__ import annotations

import random

from django.apps import apps

from steward.itsm.models import AssignmentRule, CannedResponse, MailboxSettings, Service

RULES = [
    # name, order, category, priorities, team slug, method
    ("Critical incidents to the service desk leads", 5, "", ["1"], "service-desk", "least_loaded"),
    ("Network faults", 10, "network", [], "network", "round_robin"),
    ("Database capacity and locks", 20, "capacity", [], "dba", "least_loaded"),
    ("Access requests", 30, "access", [], "security-ops", "round_robin"),
    ("Hardware", 40, "hardware", [], "service-desk", "round_robin"),
]
CANNED = [
    ("Acknowledge", "comment", "Hello {{ caller.first_name }},\n\nWe have received {{ incident.reference }} "
     "(“{{ incident.short_description }}”) and {{ team.name }} is on it.\n\n{{ agent.first_name }}"),
    ("Need more information", "comment", "Hello {{ caller.first_name }}, could you send a screenshot of the error "
     "and the time it happened? We keep {{ incident.reference }} on hold until then."),
    ("Resolved – please confirm", "comment", "Hello {{ caller.first_name }}, we believe {{ incident.reference }} is "
     "fixed. Reply to this email within five days if it is not."),
    ("Vendor called", "work_note", "Called the vendor about {{ incident.reference }}; case number: "),
]  # fmt: skip


def load(*, rng: random.Random, scale: float = 1.0) -> str:
    from steward.org.models import Team

    teams = {t.slug: t for t in Team.objects.all()}
    rules = 0
    for name, order, category, priorities, slug, method in RULES:
        if slug in teams:
            rule = AssignmentRule(name=name, order=order, category=category, priorities=priorities,
                                  team=teams[slug], method=method)  # fmt: skip
            rule.full_clean()
            rule.save()
            rules += 1
    for name, kind, body in CANNED:
        response = CannedResponse(name=name, kind=kind, body=body)
        response.full_clean()
        response.save()
    MailboxSettings.objects.create(
        name="Service desk", enabled=False, host="imap.northwind.example", port=993, username="servicedesk",
        folder="INBOX", address="servicedesk@northwind.example", default_team=teams.get("service-desk"),
    )  # fmt: skip
    linked = 0
    if apps.is_installed("steward.cmdb"):
        items = list(
            apps.get_model("cmdb", "ConfigurationItem").objects.order_by("pk").values_list("pk", flat=True)
        )
        for service in Service.objects.order_by("pk") if items else []:
            service.configuration_items.set(rng.sample(items, min(len(items), rng.randint(2, 5))))
            linked += 1
    return f"itsm desk: {rules} assignment rules, {len(CANNED)} canned responses, {linked} service maps"


def load_intake_rules(*, rng: random.Random, scale: float = 1.0) -> str:
    """Mail intake rules: newsletters ignored, a supplier's mail to Network, access mail as requests."""
    from django.core.exceptions import ValidationError

    from steward.itsm.models import CatalogueItem, MailIntakeRule
    from steward.org.models import Team

    network = Team.objects.filter(slug="network").first()
    rules = [
        MailIntakeRule(
            name="Newsletters", order=10, subject_regex=r"^\[?(newsletter|digest)\b", action="ignore"
        ),
        MailIntakeRule(
            name="Carrier outages",
            order=20,
            sender_domain="carrier.example",
            keywords="outage, down",
            category="network",
            team=network,
        ),  # fmt: skip
    ]
    for item in CatalogueItem.objects.filter(active=True).order_by("order", "name"):
        rule = MailIntakeRule(name=f"Mail to access@ → {item.name}"[:100], order=30,
                              recipient="access@northwind.example", action="request", catalogue_item=item)  # fmt: skip
        try:
            rule.full_clean()
        except ValidationError:
            continue  # this item needs answers a mail cannot give
        rules.append(rule)
        break
    for rule in rules:
        rule.full_clean()
        rule.save()
    return f"itsm desk: {len(rules)} mail intake rules"
