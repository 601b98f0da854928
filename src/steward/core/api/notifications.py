"""The signed-in user's own notifications: list, mark one or all read."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from steward.core import notifications
from steward.core.models import Notification
from steward.core.models.auth import Token


class OwnDataPermission(BasePermission):
    """Any signed-in user, for their own rows; writes need a write-enabled token."""

    def has_permission(self, request: Any, view: Any) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        return not (
            isinstance(request.auth, Token)
            and not request.auth.write_enabled
            and request.method not in SAFE_METHODS
        )


class NotificationSerializer(serializers.ModelSerializer):
    object_type = serializers.SerializerMethodField()
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = Notification
        fields = (
            "id",
            "kind",
            "title",
            "body",
            "url",
            "object_type",
            "object_id",
            "read",
            "read_at",
            "created",
        )
        read_only_fields = fields

    def get_object_type(self, obj: Notification) -> str | None:
        return f"{obj.content_type.app_label}.{obj.content_type.model}" if obj.content_type_id else None


COUNT = inline_serializer("MarkedRead", {"marked": serializers.IntegerField()})


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your notifications, newest first; ``?unread=1`` for unread only."""

    serializer_class = NotificationSerializer
    permission_classes = [OwnDataPermission]
    queryset = Notification.objects.none()

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        qs = Notification.objects.filter(recipient=self.request.user).select_related("content_type")
        if self.request.query_params.get("unread") in ("1", "true", "True"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    def filter_queryset(self, queryset: Any) -> Any:
        return queryset

    @extend_schema(request=None, responses={200: COUNT})
    @action(detail=True, methods=["post"])
    def read(self, request: Any, pk: Any = None) -> Response:
        obj = self.get_object()
        return Response({"marked": notifications.mark_read(request.user, [obj.pk])})

    @extend_schema(request=None, responses={200: COUNT})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request: Any) -> Response:
        return Response({"marked": notifications.mark_read(request.user)}, status=status.HTTP_200_OK)
