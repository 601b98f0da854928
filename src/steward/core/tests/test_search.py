"""Global search: index kept current, ranked, AND/prefix semantics, never leaking past permissions."""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from steward.core import importexport
from steward.core.models import SearchEntry, Tag
from steward.core.search.query import engine, search
from steward.core.search.spec import SearchSpec, words
from steward.org.forms import PersonForm
from steward.org.models import Department, Organisation, Person, Team
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_user("root", superuser=True)


def titles(groups, type_label=None):
    return [h.title for g in groups if type_label in (None, g.type) for h in g.hits]


def person(first, last, title="", **extra):
    return Person.objects.create(
        first_name=first, last_name=last, email=f"{first}.{last}@example.org".lower(), title=title, **extra
    )


def test_engine_is_the_databases_own(settings):
    from django.db import connection

    expected = {"sqlite": "fts5", "postgresql": "postgresql"}.get(connection.vendor, "like")
    assert engine() == expected


def test_finds_a_person_by_a_word_of_their_title_right_after_the_save(admin):
    started = time.monotonic()
    person("Ada", "Lovelace", "Analytical engine programmer")
    groups = search(admin, "programmer")
    assert time.monotonic() - started < 1.0
    assert titles(groups, "org.person") == ["Ada Lovelace"]
    hit = groups[0].hits[0]
    assert hit.summary == "Analytical engine programmer"
    assert hit.url == reverse("org:person_detail", kwargs={"pk": Person.objects.get().pk})


def test_index_follows_updates_and_deletes(admin):
    ada = person("Ada", "Lovelace", "Programmer")
    ada.title = "Mathematician"
    ada.save()
    assert titles(search(admin, "programmer")) == []
    assert titles(search(admin, "mathematician")) == ["Ada Lovelace"]
    assert SearchEntry.objects.count() == 1
    ada.delete()
    assert titles(search(admin, "mathematician")) == []
    assert not SearchEntry.objects.exists()


def test_name_match_ranks_above_description_match(admin):
    for n in range(12):  # a realistic corpus, so word rarity means something to bm25
        Team.objects.create(name=f"Filler {n}", slug=f"filler-{n}", description="keeps lights on")
    Team.objects.create(name="Operations", slug="ops", description="Also runs the falcon cluster")
    Team.objects.create(name="Falcon", slug="falcon-team", description="Owns a product")
    hits = titles(search(admin, "falcon"), "org.team")
    assert hits == ["Falcon", "Operations"]


def test_two_words_must_both_match_and_the_last_is_a_prefix(admin):
    person("Ada", "Lovelace", "Programmer")
    person("Ada", "Byron", "Poet")
    person("Charles", "Babbage", "Programmer")
    assert titles(search(admin, "ada programmer")) == ["Ada Lovelace"]
    assert titles(search(admin, "ada lovel")) == ["Ada Lovelace"]
    assert sorted(titles(search(admin, "prog"))) == ["Ada Lovelace", "Charles Babbage"]
    # only the last word is a prefix: "lovel" must be a whole word when another follows it
    assert titles(search(admin, "lovel ada")) == []
    # accents and case do not matter, punctuation separates words
    assert titles(search(admin, "LOVÉLACE")) == ["Ada Lovelace"]
    assert titles(search(admin, "byron@example")) == ["Ada Byron"]


def test_query_syntax_cannot_break_out(admin):
    person("Ada", "Lovelace", "Programmer")
    for text in ['"', "ada*", "ada OR x", "NEAR(ada", "ada:*", "a' & !b", "--", "%_%", "((", "\\"]:
        search(admin, text)  # must not raise
    assert titles(search(admin, "ada OR x")) == []
    assert search(admin, "   ") == []


def test_groups_by_type_and_caps_each_type(admin):
    for n in range(7):
        person("Grace", f"Hopper{n}", "Admiral")
    Team.objects.create(name="Grace team", slug="grace")
    Tag.objects.create(name="grace", slug="grace-tag")
    groups = search(admin, "grace", per_type=3)
    by_type = {g.type: g for g in groups}
    assert set(by_type) == {"org.person", "org.team", "core.tag"}
    assert len(by_type["org.person"].hits) == 3
    assert by_type["org.person"].total == 7


@pytest.fixture
def scoped_world():
    org = Organisation.objects.create(name="Acme", slug="acme")
    eng = Department.objects.create(organisation=org, name="Engineering", code="eng")
    sales = Department.objects.create(organisation=org, name="Sales", code="sales")
    inside = person("Iris", "Inside", "Network engineer", department=eng)
    # out of scope, and ranked higher (the word is in a name column) to tempt a leaky top-N
    outside = person("Network", "Outsider", "Network engineer", department=sales)
    Team.objects.create(name="Network team", slug="network")
    user = make_user("scoped")
    grant(user, Person, "view", constraints={"department__code": "eng"})
    return user, inside, outside


def test_constrained_permission_never_shows_out_of_scope_records(scoped_world):
    user, inside, outside = scoped_world
    for per_type in (1, 10):
        groups = search(user, "network engineer", per_type=per_type)
        assert titles(groups) == [str(inside)]
        assert groups[0].total == 1
    assert titles(search(user, "outsider")) == []


def test_constrained_permission_in_the_page_and_the_api(client, scoped_world):
    user, inside, outside = scoped_world
    client.force_login(user)
    page = client.get(reverse("search"), {"q": "network"}).content.decode()
    assert str(inside) in page and "Outsider" not in page and "Network team" not in page
    data = client.get("/api/search/", {"q": "network"}).json()
    assert [g["type"] for g in data["groups"]] == ["org.person"]
    assert [r["display"] for r in data["groups"][0]["results"]] == [str(inside)]
    assert data["groups"][0]["total"] == 1
    assert client.get("/api/search/", {"q": "outsider"}).json()["groups"] == []


def test_without_view_permission_a_type_is_absent(client):
    person("Ada", "Lovelace", "Falcon pilot")
    Team.objects.create(name="Falcon", slug="falcon")
    user = make_user("teamonly")
    grant(user, Team, "view")
    assert [g.type for g in search(user, "falcon")] == ["org.team"]
    client.force_login(user)
    data = client.get("/api/search/", {"q": "falcon"}).json()
    assert [g["type"] for g in data["groups"]] == ["org.team"]
    assert "Lovelace" not in client.get(reverse("search"), {"q": "falcon"}).content.decode()
    nobody = make_user("nobody")
    assert search(nobody, "falcon") == []


def test_api_shape_validation_and_schema(client, admin):
    ada = person("Ada", "Lovelace", "Programmer")
    assert client.get("/api/search/", {"q": "ada"}).status_code in (401, 403)
    client.force_login(admin)
    data = client.get("/api/search/", {"q": "ada", "limit": 5}).json()
    assert data["query"] == "ada"
    result = data["groups"][0]["results"][0]
    assert result["id"] == ada.pk
    assert result["url"].endswith(f"/api/org/people/{ada.pk}/")
    assert result["web_url"].endswith(f"/org/people/{ada.pk}/")
    assert client.get("/api/search/", {"q": "ada", "limit": 0}).status_code == 400
    assert client.get("/api/search/", {"q": "ada", "type": "org.team"}).json()["groups"] == []
    schema = client.get(reverse("schema")).content.decode()
    assert "/api/search/" in schema


def test_bulk_import_indexes_new_rows(admin):
    rows = [
        {
            "first_name": "Alan",
            "last_name": "Turing",
            "email": "alan@example.org",
            "title": "Codebreaker",
            "status": "active",
        },
        {
            "first_name": "Joan",
            "last_name": "Clarke",
            "email": "joan@example.org",
            "title": "Codebreaker",
            "status": "active",
        },
    ]
    result = importexport.import_rows(model=Person, form_class=PersonForm, rows=rows, dry_run=False)
    assert result.ok and result.created == 2
    assert sorted(titles(search(admin, "codebreaker"))) == ["Alan Turing", "Joan Clarke"]


def test_reindex_command_rebuilds_and_drops_stale_entries(admin):
    for n in range(5):
        person("Kay", f"Number{n}", "Cartographer")
    SearchEntry.objects.all().delete()
    assert titles(search(admin, "cartographer")) == []
    stale = person("Gone", "Soon", "Cartographer")
    Person.objects.filter(pk=stale.pk)._raw_delete(Person.objects.db)  # bypasses signals
    call_command("search", "reindex", "--model", "org.person", "--batch-size", "2")
    assert len(titles(search(admin, "cartographer"))) == 5
    assert SearchEntry.objects.count() == 5
    with pytest.raises(Exception, match="Not a searchable model"):
        call_command("search", "reindex", "--model", "org.nothing")


def test_spec_rejects_unknown_weights_and_normalises_text():
    with pytest.raises(ValueError):
        SearchSpec(fields={"name": 5})
    assert words("Zoë O'Brien-Smith, ada@example.org") == [
        "zoe",
        "o",
        "brien",
        "smith",
        "ada",
        "example",
        "org",
    ]


def test_like_fallback_keeps_the_same_semantics(admin, monkeypatch, scoped_world):
    from steward.core.search import query

    monkeypatch.setitem(query._engine_cache, "default", "like")
    user, inside, outside = scoped_world
    person("Ada", "Lovelace", "Programmer")
    person("Ada", "Byron", "Poet")
    assert titles(search(admin, "ada lovel")) == ["Ada Lovelace"]
    assert titles(search(admin, "lovel ada")) == []
    assert titles(search(user, "network engineer", per_type=1)) == [str(inside)]
    Team.objects.create(name="Ops", slug="ops", description="runs the falcon cluster")
    Team.objects.create(name="Falcon", slug="falcon")
    assert titles(search(admin, "falcon"), "org.team") == ["Falcon", "Ops"]


def test_very_common_queries_rank_a_bounded_set_of_the_newest_matches(admin, monkeypatch, scoped_world):
    from steward.core.search import query

    monkeypatch.setattr(query, "MAX_CANDIDATES", 3)
    user, inside, outside = scoped_world
    for n in range(6):
        person("Zed", f"Common{n}", "Network engineer")
    groups = search(admin, "network", per_type=10)
    people = next(g for g in groups if g.type == "org.person")
    assert not people.total_is_exact
    assert len(people.hits) <= 3 and {h.title for h in people.hits} <= {f"Zed Common{n}" for n in range(3, 6)}
    # the bound applies to rows the user may see: newer out-of-scope rows neither leak nor crowd
    # the user's own (older) match out of the candidates
    assert titles(search(user, "network")) == [str(inside)]
    assert search(admin, "iris")[0].total_is_exact


def test_search_page_links_to_all_matches_of_one_type(admin_client):
    for n in range(12):
        person("Grace", f"Hopper{n}", "Admiral")
    page = admin_client.get(reverse("search"), {"q": "admiral"})
    assert len(page.context["groups"][0].hits) == 10
    assert "type=org.person" in page.context["groups"][0].more
    more = admin_client.get(reverse("search"), {"q": "admiral", "type": "org.person"})
    assert len(more.context["groups"][0].hits) == 12
    assert more.content.decode().count("Grace Hopper") == 12


def test_constraints_across_relations_and_alternatives_hold(admin):
    blue = Team.objects.create(name="Blue", slug="blue")
    red = Team.objects.create(name="Red", slug="red")
    a, b, c = (person("Sam", n, "Welder") for n in ("Alpha", "Bravo", "Charlie"))
    blue.members.add(a, b)
    red.members.add(c)
    user = make_user("blue")
    grant(user, Person, "view", constraints=[{"teams__slug": "blue"}, {"last_name": "Nobody"}])
    assert sorted(titles(search(user, "welder"))) == ["Sam Alpha", "Sam Bravo"]
    assert search(user, "welder")[0].total == 2


def test_a_record_created_through_the_api_is_found_within_a_second(client, admin):
    client.force_login(admin)
    started = time.monotonic()
    created = client.post(
        "/api/org/people/",
        {"first_name": "Hedy", "last_name": "Lamarr", "email": "hedy@example.org", "title": "Inventor"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    found = client.get("/api/search/", {"q": "inventor"}).json()
    assert time.monotonic() - started < 1.0
    assert [r["display"] for g in found["groups"] for r in g["results"]] == ["Hedy Lamarr"]
    client.delete(f"/api/org/people/{created.json()['id']}/")
    assert client.get("/api/search/", {"q": "inventor"}).json()["groups"] == []
