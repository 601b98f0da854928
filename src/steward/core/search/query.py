"""Answering a search: the database's own full-text engine, ranked, grouped, permission-filtered.

One SQL statement answers a query for every type at once. Each word must match (AND), the
last word also as a prefix (so results appear while typing), scoring weighs name columns
above description columns, and a window function keeps the top N of each type. At most
``MAX_CANDIDATES`` matches (the newest the user may see) are scored, so no query's cost
grows without bound.

Permissions are part of that statement, never applied afterwards: a type the user may not
view is left out entirely; a type they may view without constraints is a plain type test; a
type they may view only in part gets a correlated ``EXISTS`` over
``Model.objects.restrict(user, "view")``, the same restriction every list view uses. So a
result can neither leak nor go missing because the top N happened to be out of scope.

Engines: SQLite FTS5 (bm25 with column weights), PostgreSQL tsvector (ts_rank with A/B/C
weights, GIN index), and LIKE over the same normalised text anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse

from steward.core.models.search import SearchEntry
from steward.core.permissions import perm_name
from steward.core.registry import registry
from steward.core.search.index import searchable_models
from steward.core.search.spec import MAX_QUERY_WORDS, words

FTS_TABLE = "core_searchentry_fts"
SQLITE_WEIGHTS = "10.0, 4.0, 1.0"  # bm25 weight of text_a, text_b, text_c
POSTGRES_WEIGHTS = "{0.05, 0.2, 0.4, 1.0}"  # ts_rank weights of D, C, B, A
DEFAULT_PER_TYPE = 10
MAX_CANDIDATES = 2000
"""Matches ranked per query at most (the newest); beyond it totals read as "at least"."""

_engine_cache: dict[str, str] = {}


@dataclass
class Hit:
    object_id: int
    title: str
    summary: str
    score: float
    url: str = ""


@dataclass
class Group:
    model: type[models.Model]
    total: int
    total_is_exact: bool = True
    hits: list[Hit] = field(default_factory=list)

    @property
    def type(self) -> str:
        return self.model._meta.label_lower

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    @property
    def icon(self) -> str:
        return registry.entry(self.model).icon


def engine(using: str = "default") -> str:
    """``fts5``, ``postgresql`` or ``like``: what this database offers (checked once)."""
    if using not in _engine_cache:
        connection = connections[using]
        found = "like"
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE])
                if cursor.fetchone():
                    found = "fts5"
        elif connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT 1 FROM information_schema.columns WHERE table_name = 'core_searchentry' "
                    "AND column_name = 'search_vector' AND table_schema = current_schema()"
                )
                if cursor.fetchone():
                    found = "postgresql"
        _engine_cache[using] = found
    return _engine_cache[using]


def fts5_expression(terms: list[str]) -> str:
    """Each word quoted (no FTS5 syntax can be injected), implicitly ANDed, the last as a prefix."""
    return " ".join(f'"{t}"' for t in terms) + "*"


def tsquery_expression(terms: list[str]) -> str:
    """``'a' & 'b':*`` — terms are letters and digits only, so quoting is enough."""
    return " & ".join(f"'{t}'" for t in terms) + ":*"


@dataclass
class Scope:
    """What a user may see: whole types, and types narrowed to the rows ``restrict`` lets through."""

    open_types: list[int] = field(default_factory=list)
    scoped: list[tuple[int, models.QuerySet]] = field(default_factory=list)

    def as_q(self) -> Q:
        q = Q(content_type_id__in=self.open_types) if self.open_types else Q(pk__in=[])
        for content_type_id, restricted in self.scoped:
            q |= Q(content_type_id=content_type_id, object_id__in=restricted.values("pk"))
        return q

    def as_sql(self) -> tuple[str, list[Any]]:
        """The same filter as SQL on ``core_searchentry``, built from ``restrict``'s querysets.

        A narrowed type becomes a correlated ``EXISTS`` on the record's primary key, so the
        cost follows the matches, not the size of the user's scope (an ``IN (subquery)``
        would list every visible row on every search).
        """
        parts, params = [], []
        if self.open_types:
            parts.append(f"core_searchentry.content_type_id IN ({', '.join(['%s'] * len(self.open_types))})")
            params.extend(self.open_types)
        for content_type_id, restricted in self.scoped:
            correlated = (
                restricted.order_by().filter(pk=RawSQL("core_searchentry.object_id", ())).values("pk")
            )
            sub_sql, sub_params = correlated.query.sql_with_params()
            parts.append(f"(core_searchentry.content_type_id = %s AND EXISTS ({sub_sql}))")
            params.extend([content_type_id, *sub_params])
        return "(" + " OR ".join(parts) + ")", params


def visible_scope(user: Any, types: list[str] | None = None) -> Scope | None:
    """The index rows ``user`` may see; None if no searchable type at all."""
    scope = Scope()
    for model, _spec in searchable_models():
        if types and model._meta.label_lower not in types:
            continue
        if not user.has_perm(perm_name(model, "view")):
            continue
        content_type_id = ContentType.objects.get_for_model(model).pk
        if user.is_superuser:
            scope.open_types.append(content_type_id)
            continue
        restricted = model._default_manager.restrict(user, "view")
        if not restricted.query.where:
            scope.open_types.append(content_type_id)
        else:
            scope.scoped.append((content_type_id, restricted))
    return scope if scope.open_types or scope.scoped else None


def _raw_rows(terms: list[str], scope: Scope, per_type: int, using: str) -> tuple[list[tuple], bool]:
    """Rows of (type id, object id, title, summary, score, total) and whether totals are capped.

    The innermost select walks the matches the user may see newest first and stops after
    ``MAX_CANDIDATES``: ranking every match of a very common word grows with the data (over a
    second at a million records), ranking a bounded set does not. Below the cap nothing is
    lost: every match is ranked and counted.
    """
    kind = engine(using)
    if kind == "like":
        return _like_rows(terms, scope.as_q(), per_type), False
    where, params = scope.as_sql()
    if kind == "fts5":
        # FTS5 answers a prefix term by merging the whole doclist of every word it expands
        # to, which costs as much as the commonest of them. With other words present they
        # drive the match (walked lazily, newest first) and the prefix is checked on each
        # candidate's normalised text instead: same rows, a fraction of the work.
        like = ""
        if len(terms) > 1:
            expression = " ".join(f'"{t}"' for t in terms[:-1])
            like = (
                " AND (' ' || core_searchentry.text_a || ' ' || core_searchentry.text_b || ' ' "
                "|| core_searchentry.text_c) LIKE %s"
            )
            params.append(f"% {terms[-1]}%")
        else:
            expression = fts5_expression(terms)
        candidates = (
            "SELECT core_searchentry.content_type_id, core_searchentry.object_id, "  # noqa: S608 - names are constants, values parameters  # nosec B608
            f"core_searchentry.title, core_searchentry.summary, -bm25({FTS_TABLE}, {SQLITE_WEIGHTS}) AS score "
            f"FROM {FTS_TABLE} JOIN core_searchentry ON core_searchentry.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where}{like} ORDER BY {FTS_TABLE}.rowid DESC LIMIT %s"
        )
        ranked = f"SELECT * FROM ({candidates}) candidates"  # noqa: S608  # nosec B608
        all_params = [expression, *params, MAX_CANDIDATES]
    else:
        expression = tsquery_expression(terms)
        candidates = (
            "SELECT core_searchentry.content_type_id, core_searchentry.object_id, "  # noqa: S608 - names are constants, values parameters  # nosec B608
            "core_searchentry.title, core_searchentry.summary, core_searchentry.search_vector "
            "FROM core_searchentry WHERE core_searchentry.search_vector @@ to_tsquery('simple', %s) "
            f"AND {where} ORDER BY core_searchentry.id DESC LIMIT %s"
        )
        ranked = (
            "SELECT content_type_id, object_id, title, summary, "  # noqa: S608  # nosec B608
            f"ts_rank('{POSTGRES_WEIGHTS}', search_vector, to_tsquery('simple', %s)) AS score "
            f"FROM ({candidates}) candidates"
        )
        all_params = [expression, expression, *params, MAX_CANDIDATES]
    sql = (
        "SELECT content_type_id, object_id, title, summary, score, total, found FROM ("  # noqa: S608  # nosec B608
        "SELECT ranked.*, ROW_NUMBER() OVER (PARTITION BY content_type_id ORDER BY score DESC, object_id) "
        "AS position, COUNT(*) OVER (PARTITION BY content_type_id) AS total, COUNT(*) OVER () AS found "
        f"FROM ({ranked}) ranked) numbered WHERE position <= %s ORDER BY score DESC, object_id"
    )
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [*all_params, per_type])
        rows = cursor.fetchall()
    capped = bool(rows) and rows[0][6] >= MAX_CANDIDATES
    return [r[:6] for r in rows], capped


def _like_rows(terms: list[str], scope: Q, per_type: int) -> list[tuple]:
    """Portable fallback: whole words, last word as a prefix, score by the heaviest column hit."""
    from django.db.models import Case, Count, F, IntegerField, TextField, Value, When, Window
    from django.db.models.functions import Concat, RowNumber

    padded = {
        c: Concat(Value(" "), c, Value(" "), output_field=TextField()) for c in ("text_a", "text_b", "text_c")
    }
    qs = SearchEntry.objects.filter(scope).annotate(**{f"pad_{c}": e for c, e in padded.items()})
    score = Value(0)
    for position, term in enumerate(terms):
        needle = f" {term} " if position < len(terms) - 1 else f" {term}"
        match = Q()
        for column in padded:
            match |= Q(**{f"pad_{column}__contains": needle})
        qs = qs.filter(match)
        score = score + Case(
            When(pad_text_a__contains=needle, then=Value(10)),
            When(pad_text_b__contains=needle, then=Value(4)),
            default=Value(1),
            output_field=IntegerField(),
        )
    qs = qs.annotate(score=score).annotate(
        position=Window(
            RowNumber(), partition_by=F("content_type_id"), order_by=(F("score").desc(), "object_id")
        ),
        total=Window(Count("id"), partition_by=F("content_type_id")),
    )
    qs = qs.filter(position__lte=per_type).order_by("-score", "object_id")
    return list(qs.values_list("content_type_id", "object_id", "title", "summary", "score", "total"))


def search(
    user: Any,
    text: str,
    *,
    per_type: int = DEFAULT_PER_TYPE,
    types: list[str] | None = None,
    using: str = "default",
) -> list[Group]:
    """Groups of hits for ``text`` that ``user`` may view, best group first, best hit first."""
    terms = words(text)[:MAX_QUERY_WORDS]
    if not terms or user is None or not user.is_authenticated:
        return []
    scope = visible_scope(user, types)
    if scope is None:
        return []
    rows, capped = _raw_rows(terms, scope, per_type, using)
    groups: dict[int, Group] = {}
    urls: dict[int, str] = {}
    for content_type_id, object_id, title, summary, score, total in rows:
        group = groups.get(content_type_id)
        if group is None:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            group = groups[content_type_id] = Group(model=model, total=int(total), total_is_exact=not capped)
            urls[content_type_id] = _detail_url_pattern(model)
        url = urls[content_type_id]
        hit_url = url.replace(_PK_PLACEHOLDER, str(object_id)) if url else ""
        group.hits.append(Hit(int(object_id), title, summary, float(score), hit_url))
    return list(groups.values())


_PK_PLACEHOLDER = "9876543210123"


def _detail_url_pattern(model: type[models.Model]) -> str:
    """The detail URL with a placeholder pk: one ``reverse`` per group, not one per hit."""
    views = registry.entry(model).views
    if views is None:
        return ""
    try:
        return reverse(views.url_name("detail"), kwargs={"pk": int(_PK_PLACEHOLDER)})
    except NoReverseMatch:
        return ""
