"""The append-only, hash-chained change log."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class ChangeAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")

    @property
    def colour(self) -> str:
        return {"create": "green", "update": "blue", "delete": "red"}[self.value]


class ChangeLogHead(models.Model):
    """The single row that holds the last sequence number and hash; locked to append."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("change log head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class ObjectChange(models.Model):
    """One create, update or delete of one record, with before/after snapshots."""

    seq = models.BigIntegerField(_("sequence"), unique=True)
    time = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    user_name = models.CharField(_("user"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True, db_index=True)
    source = models.CharField(_("source"), max_length=20, blank=True)
    action = models.CharField(_("action"), max_length=10, choices=ChangeAction.choices)
    changed_object_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    changed_object_id = models.BigIntegerField()
    object_repr = models.CharField(_("object"), max_length=200)
    prechange_data = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    postchange_data = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ("-seq",)
        verbose_name = _("change")
        verbose_name_plural = _("change log")
        indexes = [models.Index(fields=("changed_object_type", "changed_object_id", "-seq"))]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.object_repr}"

    def compute_hash(self) -> str:
        return chain_hash(self.prev_hash, self.hash_payload())

    def hash_payload(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time.isoformat(),
            "user_id": self.user_id,
            "user_name": self.user_name,
            "request_id": self.request_id,
            "source": self.source,
            "action": self.action,
            "type": self.changed_object_type_id,
            "object_id": self.changed_object_id,
            "repr": self.object_repr,
            "pre": self.prechange_data,
            "post": self.postchange_data,
        }

    def diff(self) -> list[tuple[str, Any, Any]]:
        pre = self.prechange_data or {}
        post = self.postchange_data or {}
        keys = sorted(set(pre) | set(post))
        return [
            (k, pre.get(k), post.get(k)) for k in keys if pre.get(k) != post.get(k) and k != "last_updated"
        ]


def chain_hash(prev_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder, ensure_ascii=False
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()
