"""Shared builders of catalogue test data (people with accounts, an item with a chain)."""

from __future__ import annotations

from typing import Any

from steward.itsm.models import ApprovalStep, CatalogueItem, FulfilmentTaskTemplate
from steward.org.models import Person, Team
from steward.utilities.testing import make_user

FORM = [
    {"name": "reason", "label": "Business reason", "type": "long_text", "required": True, "min_length": 5},
    {"name": "cost_centre", "label": "Cost centre", "type": "text", "required": True, "regex": "CC-[0-9]{4}"},
    {
        "name": "model",
        "label": "Model",
        "type": "choice",
        "choices": ["13-inch", "15-inch"],
        "required": True,
    },
    {"name": "needed_by", "label": "Needed by", "type": "date", "min": "2020-01-01"},
    {"name": "monitors", "label": "Monitors", "type": "number", "min": 0, "max": 3},
    {"name": "backup", "label": "Stand-in", "type": "person"},
    {"name": "quote", "label": "Quote", "type": "attachment"},
]

GOOD = {"reason": "My laptop died", "cost_centre": "CC-1234", "model": "13-inch", "monitors": 2}


def person(name: str, *, manager: Any = None, user: bool = True) -> Person:
    account = make_user(name.lower()) if user else None
    return Person.objects.create(
        first_name=name, last_name="Test", email=f"{name.lower()}@example.org", user=account, manager=manager
    )


def people() -> dict[str, Person]:
    boss = person("Boss")
    manager = person("Manager", manager=boss)
    found = {
        "boss": boss,
        "manager": manager,
        "requester": person("Rita", manager=manager),
        "finance1": person("Fin1"),
        "finance2": person("Fin2"),
        "tech": person("Tech"),
        "stranger": person("Stranger"),
        "deputy": person("Deputy"),
    }
    team = Team.objects.create(name="Workplace", slug="workplace")
    team.members.add(found["tech"])
    found["team"] = team  # type: ignore[assignment]
    return found


def laptop_item(p: dict[str, Any], *, finance_rule: str = "all") -> CatalogueItem:
    item = CatalogueItem(name="Laptop", form_fields=FORM, fulfilment_team=p["team"])
    item.full_clean()
    item.save()
    ApprovalStep.objects.create(item=item, order=1, name="Manager", approver_type="manager")
    finance = ApprovalStep.objects.create(
        item=item, order=2, name="Finance", approver_type="people", rule=finance_rule
    )
    finance.people.set([p["finance1"], p["finance2"]])
    FulfilmentTaskTemplate.objects.create(item=item, order=1, short_description="Order the laptop")
    FulfilmentTaskTemplate.objects.create(item=item, order=1, short_description="Create the account")
    FulfilmentTaskTemplate.objects.create(item=item, order=2, short_description="Hand over")
    return item
