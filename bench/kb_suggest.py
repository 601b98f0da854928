"""Knowledge-article suggestions: TF-IDF similarity against the global search index.

    python -m bench.kb_suggest --size 2000 --rounds 200      # SQLite in a throw-away data dir
    python -m bench --only kbsuggest --size 2000             # through the runner (fresh database)

Builds N published articles (seeded): each has a title of three topic words drawn from a
vocabulary, keywords and a body of common filler plus its topic words. A query imitates an
incident's short description: two of the article's three topic words, a word the article does
not contain and filler — the way people describe a problem in their own words. Two paths answer
the same queries, interleaved round by round:

* ``tfidf``: ``steward.itsm.services_knowledge.suggest_articles`` (the product; vectors cached);
* ``search``: ``steward.core.search.query.search`` restricted to knowledge articles (the global
  index: FTS5/tsvector, every word must match, ranked).

Prints p50/p95 ms of both, their ratio, and quality: the share of queries whose source article
is the first suggestion (hit@1) and among the first five (hit@5). Writes JSON to
``bench/results/kbsuggest-<engine>-<time>.json``.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time

from bench.harness import Context, interleave, ratio, summary_ms, write_result

SYLLABLES = ["ka", "lo", "mi", "ra", "to", "ve", "su", "ne", "di", "pa", "zo", "ri", "bu", "fe", "go", "ha"]
FILLER = [
    "please",
    "help",
    "the",
    "screen",
    "shows",
    "an",
    "error",
    "after",
    "login",
    "when",
    "I",
    "open",
    "it",
    "again",
    "today",
]


def _vocabulary(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    while len(seen) < n:
        seen.add("".join(rng.choice(SYLLABLES) for _ in range(3)))
    return sorted(seen)


def build(size: int, seed: int) -> list[tuple[int, list[str]]]:
    """``size`` published articles; returns (pk, topic words) of each."""
    from django.db import transaction

    from steward.core.search.index import index_many
    from steward.itsm.models import KnowledgeArticle

    rng = random.Random(seed)
    vocab = _vocabulary(rng, max(300, size // 2))
    topics = [rng.sample(vocab, 3) for _ in range(size)]
    refs = KnowledgeArticle.allocate_references(size)
    rows = []
    for ref, words in zip(refs, topics, strict=True):
        body = " ".join(rng.sample(FILLER, 8) + words + rng.sample(vocab, 6))
        rows.append(KnowledgeArticle(reference=ref, title=" ".join(words), keywords=words[0], body=body,
                                     summary=body[:120], state="published", version=1))  # fmt: skip
    with transaction.atomic():
        KnowledgeArticle.objects.bulk_create(rows, batch_size=1000)
        index_many(rows)
    return [(row.pk, words) for row, words in zip(rows, topics, strict=True)]


def queries(articles: list[tuple[int, list[str]]], rounds: int, seed: int) -> list[tuple[int, str]]:
    rng = random.Random(seed + 1)
    all_words = sorted({w for _pk, words in articles for w in words})
    picked = [rng.choice(articles) for _ in range(rounds)]
    return [
        (pk, " ".join([*rng.sample(words, 2), rng.choice(all_words), *rng.sample(FILLER, 3)]))
        for pk, words in picked
    ]


def measure(size: int, rounds: int, seed: int, engine: str) -> dict:
    from django.contrib.auth import get_user_model

    from steward.core.search.query import search
    from steward.itsm.services_knowledge import suggest_articles

    started = time.perf_counter()
    articles = build(size, seed)
    built = time.perf_counter() - started
    user = get_user_model().objects.create_superuser("bench-kb", "kb@bench.invalid", "x")
    asked = queries(articles, rounds, seed)
    suggest_articles(text="warm up the cache")
    results: dict[str, list[list[int]]] = {"tfidf": [], "search": []}
    position = {"tfidf": 0, "search": 0}

    def tfidf() -> None:
        _pk, text = asked[position["tfidf"] % len(asked)]
        position["tfidf"] += 1
        results["tfidf"].append([a.pk for a, _s in suggest_articles(text=text, limit=5)])

    def index() -> None:
        _pk, text = asked[position["search"] % len(asked)]
        position["search"] += 1
        groups = search(user, text, per_type=5, types=["itsm.knowledgearticle"])
        results["search"].append([h.object_id for g in groups for h in g.hits][:5])

    samples = interleave(rounds, {"tfidf": tfidf, "search": index})
    quality = {}
    for name, found in results.items():
        firsts = sum(1 for (pk, _t), ids in zip(asked, found, strict=False) if ids[:1] == [pk])
        fives = sum(1 for (pk, _t), ids in zip(asked, found, strict=False) if pk in ids)
        quality[name] = {"hit_at_1": round(firsts / len(found), 3), "hit_at_5": round(fives / len(found), 3)}
    report = {
        "build_s": round(built, 2),
        "latency": {name: summary_ms(s) for name, s in samples.items()},
        "quality": quality,
    }
    report["p50_ratio_tfidf_vs_search"] = ratio(
        report["latency"]["tfidf"]["p50_ms"], report["latency"]["search"]["p50_ms"]
    )
    print(f"kb suggestions over {size} published articles, {rounds} queries ({engine})")
    for name in ("tfidf", "search"):
        lat, q = report["latency"][name], quality[name]
        print(f"  {name:7s} p50 {lat['p50_ms']:8.2f} ms  p95 {lat['p95_ms']:8.2f} ms  "
              f"hit@1 {q['hit_at_1']:.0%}  hit@5 {q['hit_at_5']:.0%}")  # fmt: skip
    print(f"  p50 ratio tfidf / search: {report['p50_ratio_tfidf_vs_search']}")
    return report


def run(ctx: Context) -> dict:
    report = measure(ctx.size, ctx.rounds, ctx.seed, ctx.engine)
    path = write_result("kbsuggest", ctx, report)
    print(f"wrote {path}")
    return report


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench.kb_suggest", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=2000, help="published articles (default 2,000)")
    parser.add_argument("--rounds", type=int, default=200, help="queries per path")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if "STEWARD_DATABASE_URL" not in os.environ and "STEWARD_DATA_DIR" not in os.environ:
        os.environ["STEWARD_DATA_DIR"] = tempfile.mkdtemp(prefix="steward-bench-kb-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steward.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", interactive=False, verbosity=0)
    return run(Context(size=args.size, rounds=args.rounds, engine=connection.vendor, seed=args.seed))


if __name__ == "__main__":
    main()
