"""The global search index: one row per searchable record, kept current by the search indexer."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """The searchable text of one record, split by weight (``text_a`` weighs most).

    The engine's own full-text structure sits beside this table and is created by migration
    ``0004_search`` for the engine in use: an FTS5 table kept in step by triggers on SQLite, a
    generated ``tsvector`` column with a GIN index on PostgreSQL. ``title`` and ``summary``
    let results render without loading the records themselves.
    """

    # the unique (content_type, object_id) index serves every lookup by type; no second index
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+", db_index=False)
    object_id = models.BigIntegerField()
    title = models.CharField(max_length=200)
    summary = models.CharField(max_length=300, blank=True)
    text_a = models.TextField(blank=True)
    text_b = models.TextField(blank=True)
    text_c = models.TextField(blank=True)

    class Meta:
        ordering = ("content_type", "object_id")
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=("content_type", "object_id"), name="core_searchentry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.title}"
