"""The knowledge base: Markdown articles with versions, a review/publish workflow, categories,
feedback from readers, and links to the problems and known errors they explain."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from steward.core.models import ReferenceMixin, StewardModel
from steward.core.models.workflow import WorkflowMixin
from steward.itsm.choices_catalogue import ArticleFeedbackValue
from steward.utilities.choices import ChoiceField


class KnowledgeCategory(StewardModel):
    """A section of the knowledge base ("Email", "VPN", "Printing")."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    natural_key_fields = ("name",)

    class Meta:
        ordering = ("order", "name")
        verbose_name = _("knowledge category")
        verbose_name_plural = _("knowledge categories")

    def __str__(self) -> str:
        return self.name


class KnowledgeArticle(ReferenceMixin, WorkflowMixin, StewardModel):
    """A how-to or known-error article; readers see it once published.

    Every change of the title or body is kept as an ``ArticleVersion`` (``version`` counts them).
    """

    reference_prefix = "KB"
    workflow = "itsm.knowledge_article"

    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(
        KnowledgeCategory,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles",
        verbose_name=_("category"),
    )
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"), help_text=_("Markdown."))
    keywords = models.CharField(_("keywords"), max_length=200, blank=True)
    problems = models.ManyToManyField(
        "itsm.Problem",
        blank=True,
        related_name="knowledge_articles",
        verbose_name=_("problems and known errors"),
    )
    version = models.PositiveIntegerField(_("version"), default=0, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, editable=False, db_index=True)
    helpful_count = models.PositiveIntegerField(_("helpful"), default=0, editable=False)
    not_helpful_count = models.PositiveIntegerField(_("not helpful"), default=0, editable=False)

    natural_key_fields = ("reference",)

    class Meta:
        ordering = ("title", "id")
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")

    def __str__(self) -> str:
        return f"{self.reference} {self.title}" if self.reference else self.title

    def save(self, *args: Any, **kwargs: Any) -> None:
        loaded = getattr(self, "_loaded_values", {})
        changed = self.pk is None or any(loaded.get(f) != getattr(self, f) for f in ("title", "body"))
        if self.state == "published":
            self.published_at = self.published_at or timezone.now()
        if changed:
            self.version = (self.version or 0) + 1
        super().save(*args, **kwargs)
        if changed:
            from steward.core.context import current_actor

            actor = current_actor()
            if hasattr(actor, "resolve"):
                actor = actor.resolve()  # the request's user, once authentication ran
            ArticleVersion.objects.create(
                article=self, number=self.version, title=self.title, body=self.body,
                author_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
            )  # fmt: skip


class ArticleVersion(models.Model):
    """The title and body of an article as they were after one edit."""

    article = models.ForeignKey(
        KnowledgeArticle, on_delete=models.CASCADE, related_name="versions", verbose_name=_("article")
    )
    number = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("article", "-number")
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        constraints = [
            models.UniqueConstraint(fields=("article", "number"), name="itsm_article_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.article.reference} v{self.number}"


class ArticleFeedback(models.Model):
    """One reader's verdict on an article (one per reader; giving it again changes it)."""

    article = models.ForeignKey(
        KnowledgeArticle, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("article")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    value = ChoiceField(_("verdict"), choices_class=ArticleFeedbackValue)
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ("article", "-created", "id")
        verbose_name = _("article feedback")
        verbose_name_plural = _("article feedback")
        constraints = [models.UniqueConstraint(fields=("article", "user"), name="itsm_article_feedback_once")]

    def __str__(self) -> str:
        return f"{self.article.reference}: {self.get_value_display()}"
