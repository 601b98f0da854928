"""Knowledge base rules: reader feedback and article suggestions by text similarity.

Suggestions use TF-IDF with cosine similarity over the published articles (title and keywords
weigh double). The global search index answers "every word must match", which finds nothing
for a short description written in a user's own words; similarity ranks partial overlaps.
The vectors are rebuilt only when the set of published articles changes (one cheap aggregate
query per call tells), so a suggestion costs a dictionary walk, not a table scan.
``bench/kb_suggest.py`` measures it against the search index on the same articles.
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from steward.core.search.spec import words
from steward.itsm.choices_catalogue import ArticleFeedbackValue
from steward.itsm.models import ArticleFeedback, KnowledgeArticle

#: Words too common to tell articles apart (English and French basics; a short list on purpose).
STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "can",
        "cannot",
        "do",
        "does",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "its",
        "my",
        "me",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "so",
        "that",
        "the",
        "their",
        "then",
        "there",
        "this",
        "to",
        "was",
        "we",
        "what",
        "when",
        "where",
        "which",
        "who",
        "why",
        "will",
        "with",
        "you",
        "your",
        "le",
        "la",
        "les",
        "un",
        "une",
        "des",
        "et",
        "est",
        "en",
        "du",
        "de",
        "pour",
        "pas",
        "sur",
        "au",
        "aux",
        "ne",
        "je",
        "il",
        "elle",
    ]
)


def terms(text: str) -> list[str]:
    return [w for w in words(text) if len(w) > 1 and w not in STOP_WORDS]


@dataclass
class _Index:
    key: tuple[Any, ...]
    idf: dict[str, float]
    vectors: dict[int, dict[str, float]]
    postings: dict[str, list[int]]


_cache: dict[str, _Index] = {}
#: A query word found in more than this share of the articles is ignored (unless all are).
COMMON_SHARE = 0.3
_lock = threading.Lock()


def _document(article: dict[str, Any]) -> list[str]:
    heading = f"{article['title']} {article['keywords']}"
    return terms(heading) * 2 + terms(f"{article['summary']} {article['body']}")


def _published() -> QuerySet[KnowledgeArticle]:
    return KnowledgeArticle.objects.filter(state="published")


def _index() -> _Index:
    stats = _published().aggregate(n=Count("id"), last=Max("last_updated"), top=Max("id"))
    key = (stats["n"], stats["last"], stats["top"])
    current = _cache.get("published")
    if current is not None and current.key == key:
        return current
    with _lock:
        rows = list(_published().values("id", "title", "keywords", "summary", "body"))
        counts = {row["id"]: Counter(_document(row)) for row in rows}
        df: Counter[str] = Counter()
        for tf in counts.values():
            df.update(tf.keys())
        n = max(len(rows), 1)
        idf = {t: math.log((1 + n) / (1 + d)) + 1.0 for t, d in df.items()}
        vectors: dict[int, dict[str, float]] = {}
        postings: dict[str, list[int]] = {}
        for pk, tf in counts.items():
            vec = {t: (1 + math.log(c)) * idf[t] for t, c in tf.items()}
            norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
            vectors[pk] = {t: v / norm for t, v in vec.items()}
            for t in vec:
                postings.setdefault(t, []).append(pk)
        built = _Index(key, idf, vectors, postings)
        _cache["published"] = built
        return built


def suggest_articles(
    *, text: str, limit: int = 5, min_score: float = 0.05
) -> list[tuple[KnowledgeArticle, float]]:
    """Published articles most similar to ``text`` (best first), with their cosine score."""
    query = Counter(terms(text or "")[:50])
    if not query:
        return []
    index = _index()
    qvec = {t: (1 + math.log(c)) * index.idf[t] for t, c in query.items() if t in index.idf}
    # Words in most articles barely move the ranking but cost a walk over most of them.
    if len(index.vectors) >= 20:
        limit_df = COMMON_SHARE * len(index.vectors)
        qvec = {t: w for t, w in qvec.items() if len(index.postings[t]) <= limit_df} or qvec
    if not qvec:
        return []
    qnorm = math.sqrt(sum(v * v for v in qvec.values()))
    scores: Counter[int] = Counter()
    for t, weight in qvec.items():
        for pk in index.postings.get(t, ()):
            scores[pk] += weight / qnorm * index.vectors[pk][t]
    best = [(pk, s) for pk, s in scores.most_common(limit) if s >= min_score]
    found = (
        KnowledgeArticle.objects.select_related("category")
        .only("id", "reference", "title", "summary", "state", "category__name")
        .in_bulk([pk for pk, _s in best])
    )
    return [(found[pk], round(s, 3)) for pk, s in best if pk in found]


def search_published(*, text: str, limit: int = 20) -> QuerySet[KnowledgeArticle]:
    """Published articles whose title, summary, keywords or body contain every word of ``text``."""
    qs = _published().select_related("category")
    for word in (text or "").split()[:8]:
        qs = qs.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(keywords__icontains=word)
            | Q(body__icontains=word)
        )
    return qs.order_by("-helpful_count", "title")[:limit]


@transaction.atomic
def give_feedback(*, article: KnowledgeArticle, actor: Any, value: str, comment: str = "") -> ArticleFeedback:
    """Record the reader's verdict (one per reader: giving it again replaces it)."""
    if article.state != "published":
        raise ValidationError({"article": _("Only published articles take feedback.")})
    if value not in ArticleFeedbackValue.values:
        raise ValidationError({"value": _("Choose helpful or not helpful.")})
    if not getattr(actor, "is_authenticated", False):
        raise ValidationError({"user": _("Sign in to give feedback.")})
    feedback, _created = ArticleFeedback.objects.update_or_create(
        article=article, user=actor, defaults={"value": value, "comment": (comment or "")[:500]}
    )
    counts = article.feedback.aggregate(
        helpful=Count("id", filter=Q(value=ArticleFeedbackValue.HELPFUL)),
        not_helpful=Count("id", filter=Q(value=ArticleFeedbackValue.NOT_HELPFUL)),
    )
    # A counter update, not a save: feedback is not an edit of the article (no new version).
    KnowledgeArticle.objects.filter(pk=article.pk).update(
        helpful_count=counts["helpful"], not_helpful_count=counts["not_helpful"]
    )
    article.helpful_count, article.not_helpful_count = counts["helpful"], counts["not_helpful"]
    return feedback
