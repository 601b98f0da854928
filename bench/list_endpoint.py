"""List endpoint latency: GET /api/org/people/ through the whole stack, against raw SQL.

Each scenario (user x paging x page) is one API request made with the Django test client
(URL routing, middleware, token authentication, permission check, restricted queryset,
filters, paging, serializer, JSON rendering) and, interleaved in the same rounds, the raw SQL
that returns the same page from the same table: the floor no ORM or framework can beat.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from bench import data
from bench.harness import Context, interleave, ratio, summary_ms, write_result

NAME = "list"
LIMIT = 50
COLUMNS = ("id", "first_name", "last_name", "email", "title", "status", "manager_id", "department_id",
           "location_id", "phone", "employee_id", "user_id", "custom_field_data", "created", "last_updated")  # fmt: skip
URL = "/api/org/people/"


def cursor_token(position: int) -> str:
    """The ``?cursor=`` value DRF's cursor paging would hand out for a page starting after ``position``."""
    return base64.b64encode(urlencode({"p": str(position)}).encode()).decode()


def setup_users() -> dict[str, dict[str, Any]]:
    """A superuser, and a user allowed to view only people in one organisation's departments."""
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models.auth import ObjectPermission, Token
    from steward.org.models import Person

    User = get_user_model()
    admin = User.objects.create_superuser("bench-admin", "admin@example.org", "bench-password-1")
    limited = User.objects.create_user("bench-limited", "limited@example.org", "bench-password-2")
    grant = ObjectPermission.objects.create(
        name="bench: view people of org-0",
        actions=["view"],
        constraints={"department__organisation__slug": "org-0"},
    )
    grant.object_types.set([ContentType.objects.get_for_model(Person)])
    grant.users.add(limited)
    users = {}
    for label, user, where, params in (
        ("superuser", admin, "", []),
        (
            "limited",
            limited,
            "INNER JOIN org_department d ON d.id = p.department_id "
            "INNER JOIN org_organisation o ON o.id = d.organisation_id WHERE o.slug = %s",
            ["org-0"],
        ),
    ):
        _token, key = Token.issue(user=user, description="bench")
        users[label] = {"user": user, "key": key, "where": where, "params": params}
    return users


def scenarios(users: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    from django.db import connection

    from steward.org.models import Person

    result = []
    for label, u in users.items():
        visible = Person.objects.restrict(u["user"], "view")
        count = visible.count()
        deep_offset = max(0, int(count * 0.9) - LIMIT)
        pks_desc = list(visible.order_by("-pk").values_list("pk", flat=True)[deep_offset : deep_offset + 1])
        deep_position = pks_desc[0] if pks_desc else 0
        cols = ", ".join(f"p.{c}" for c in COLUMNS)
        table = connection.ops.quote_name(Person._meta.db_table)
        base = f"SELECT {cols} FROM {table} p {u['where']}"  # noqa: S608 - constants only
        for page, offset in (("page1", 0), ("deep", deep_offset)):
            query = {"limit": LIMIT, "offset": offset} if offset else {"limit": LIMIT}
            result.append(
                {
                    "name": f"{label}/offset/{page}",
                    "user": label,
                    "url": f"{URL}?{urlencode(query)}",
                    "sql": [
                        (f"SELECT COUNT(*) FROM {table} p {u['where']}", u["params"]),  # noqa: S608
                        (
                            f"{base} ORDER BY p.last_name, p.first_name, p.id LIMIT %s OFFSET %s",
                            [*u["params"], LIMIT, offset],
                        ),
                    ],
                    "offset": offset,
                }
            )
        and_or_where = " AND " if u["where"] else " WHERE "
        for page, position in (("page1", None), ("deep", deep_position)):
            if position is None:
                url = f"{URL}?{urlencode({'limit': LIMIT, 'cursor': ''})}"
                sql = [(f"{base} ORDER BY p.id DESC LIMIT %s", [*u["params"], LIMIT + 1])]
            else:
                url = f"{URL}?{urlencode({'limit': LIMIT, 'cursor': cursor_token(position)})}"
                sql = [
                    (
                        f"{base}{and_or_where}p.id < %s ORDER BY p.id DESC LIMIT %s",
                        [*u["params"], position, LIMIT + 1],
                    )
                ]
            result.append(
                {
                    "name": f"{label}/cursor/{page}",
                    "user": label,
                    "url": url,
                    "sql": sql,
                    "position": position,
                }
            )
    return result


def run(ctx: Context) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client

    data.make_reference_data()
    data.bulk_people(data.person_rows(ctx.size, ctx.seed))
    users = setup_users()
    clients = {
        label: Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {u['key']}")
        for label, u in users.items()
    }
    figures: dict[str, Any] = {}
    print(f"\n== list endpoint: {URL} at {ctx.size:,} people, {ctx.rounds} interleaved rounds ({ctx.engine})")
    print(
        f"{'scenario':28} {'api p50':>9} {'api p95':>9} {'sql p50':>9} {'sql p95':>9} {'ratio':>7} {'queries':>7}"
    )
    for sc in scenarios(users):
        client = clients[sc["user"]]

        def api(client: Client = client, url: str = sc["url"]) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code} {response.content[:300]!r}")

        def raw(statements: list = sc["sql"]) -> None:
            with connection.cursor() as cur:
                for sql, params in statements:
                    cur.execute(sql, params)
                    cur.fetchall()

        queries: list[str] = []

        def count(
            execute: Any, sql: str, params: Any, many: bool, context: Any, queries: list[str] = queries
        ) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(sc["url"])
        body = response.json()
        if response.status_code != 200 or len(body["results"]) == 0:
            raise RuntimeError(f"{sc['url']}: unexpected response {response.status_code} {body!r:.300}")
        for _ in range(2):  # warm caches and the statement plans on both sides
            api()
            raw()
        contenders: dict[str, Callable[[], Any]] = {"api": api, "sql": raw}
        samples = interleave(ctx.rounds, contenders)
        a, s = summary_ms(samples["api"]), summary_ms(samples["sql"])
        figures[sc["name"]] = {
            "url": sc["url"],
            "api": a,
            "sql": s,
            "ratio_p50": ratio(a["p50_ms"], s["p50_ms"]),
            "api_p95_over_p50": ratio(a["p95_ms"], a["p50_ms"]),
            "queries": len(queries),
            "rows": len(body["results"]),
        }
        print(
            f"{sc['name']:28} {a['p50_ms']:9.2f} {a['p95_ms']:9.2f} {s['p50_ms']:9.2f} {s['p95_ms']:9.2f}"
            f" {figures[sc['name']]['ratio_p50']:6.1f}x {len(queries):7d}"
        )
    for label in users:
        for paging in ("offset", "cursor"):
            deep, first = figures[f"{label}/{paging}/deep"], figures[f"{label}/{paging}/page1"]
            figures[f"{label}/{paging}/deep_over_page1"] = ratio(
                deep["api"]["p50_ms"], first["api"]["p50_ms"]
            )
    path = write_result(NAME, ctx, {"limit": LIMIT, "figures": figures})
    print(f"-> {path}")
    return figures
