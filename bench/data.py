"""Deterministic generated data: the same seed and size always give the same rows."""

from __future__ import annotations

import csv
import io
import random
from typing import Any

FIRST = ("Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Frances", "Edsger",
         "Radia", "Tim", "Katherine", "John", "Hedy", "Donald", "Sophie", "Niklaus", "Joan", "Guido")  # fmt: skip
LAST = ("Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Allen",
        "Dijkstra", "Perlman", "Berners-Lee", "Johnson", "McCarthy", "Lamarr", "Knuth", "Wilson", "Wirth",
        "Clarke", "van Rossum", "Kay", "Floyd", "Backus", "Codd", "Hoare")  # fmt: skip
TITLES = ("Engineer", "Analyst", "Manager", "Administrator", "Architect", "Technician", "")
STATUSES = ("active", "active", "active", "active", "on_leave", "left")

ORGANISATIONS = 2
DEPARTMENTS = 20
LOCATIONS = 10
PERSON_COLUMNS = ("first_name", "last_name", "email", "title", "status", "department", "location", "phone",
                  "employee_id")  # fmt: skip


def make_reference_data() -> None:
    """Organisations, departments and locations the people point at (codes ``dep-N``, ``loc-N``)."""
    from steward.org.models import Department, Location, Organisation

    orgs = Organisation.objects.bulk_create(
        [Organisation(name=f"Organisation {i}", slug=f"org-{i}") for i in range(ORGANISATIONS)]
    )
    Department.objects.bulk_create(
        [
            Department(organisation=orgs[i % ORGANISATIONS], name=f"Department {i}", code=f"dep-{i}")
            for i in range(DEPARTMENTS)
        ]
    )
    Location.objects.bulk_create([Location(name=f"Site {i}", code=f"loc-{i}") for i in range(LOCATIONS)])


def person_rows(size: int, seed: int, start: int = 0) -> list[dict[str, Any]]:
    """``size`` people as import rows (references by natural key), emails unique by index."""
    rng = random.Random(seed)
    rows = []
    for i in range(start, start + size):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        rows.append(
            {
                "first_name": first,
                "last_name": last,
                "email": f"{first.lower()}.{last.lower().replace(' ', '')}.{i}@example.org",
                "title": rng.choice(TITLES),
                "status": rng.choice(STATUSES),
                "department": f"dep-{rng.randrange(DEPARTMENTS)}",
                "location": f"loc-{rng.randrange(LOCATIONS)}" if rng.random() < 0.9 else "",
                "phone": f"+44 20 {rng.randrange(10**7):07d}",
                "employee_id": f"E{i:07d}",
            }
        )
    return rows


def to_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PERSON_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def bulk_people(rows: list[dict[str, Any]], batch: int = 2000) -> None:
    """Insert rows straight through ``bulk_create`` (the raw floor and the list benchmark's seed)."""
    from steward.org.models import Department, Location, Person

    departments = dict(Department.objects.values_list("code", "pk"))
    locations = dict(Location.objects.values_list("code", "pk"))
    objs = [
        Person(
            first_name=r["first_name"],
            last_name=r["last_name"],
            email=r["email"],
            title=r["title"],
            status=r["status"],
            department_id=departments.get(r["department"]),
            location_id=locations.get(r["location"]),
            phone=r["phone"],
            employee_id=r["employee_id"],
        )
        for r in rows
    ]
    Person.objects.bulk_create(objs, batch_size=batch)
