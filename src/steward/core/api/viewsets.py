"""Base viewset: restricted querysets, brief mode, ETag/If-Match, bulk create/update/delete."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import transaction
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import ModelViewSet

ACTION_PERMS = {
    "list": "view", "retrieve": "view", "create": "add", "update": "change", "partial_update": "change",
    "destroy": "delete", "bulk_update": "change", "bulk_partial_update": "change", "bulk_destroy": "delete",
}  # fmt: skip


def etag_for(obj: Any) -> str:
    version = f"{obj.pk}:{obj.last_updated.isoformat() if getattr(obj, 'last_updated', None) else ''}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


class PreconditionFailed(Exception):
    pass


class StewardModelViewSet(ModelViewSet):
    brief_prefetch: tuple[str, ...] = ()

    @property
    def required_action(self) -> str:
        return ACTION_PERMS.get(getattr(self, "action", None) or "", "view")

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return qs.none()
        if "tags" in self.get_serializer_class()().fields:
            qs = qs.prefetch_related("tagged_items__tag")
        return qs.restrict(self.request.user, self.required_action)

    @property
    def brief(self) -> bool:
        return self.request is not None and self.request.query_params.get("brief") in ("1", "true", "True")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        cls = super().get_serializer_class()
        if self.brief and self.request.method == "GET":
            brief_fields = getattr(cls.Meta, "brief_fields", ("id", "url", "display"))
            return type(
                f"Brief{cls.__name__}", (cls,), {"Meta": type("Meta", (cls.Meta,), {"fields": brief_fields})}
            )
        return cls

    # --- ETag / If-Match --------------------------------------------------------------------
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        response["ETag"] = etag_for(instance)
        return response

    def check_if_match(self, instance: Any) -> None:
        header = self.request.headers.get("If-Match")
        if not header or header.strip() == "*":
            return
        tags = [t.strip().removeprefix("W/") for t in header.split(",")]
        if etag_for(instance) not in tags:
            raise PreconditionFailed

    def locked_object(self) -> Any:
        """The row for a write, locked until commit, so the If-Match check cannot race."""
        queryset = self.filter_queryset(self.get_queryset()).select_for_update(of=("self",))
        lookup = {self.lookup_field: self.kwargs[self.lookup_url_kwarg or self.lookup_field]}
        obj = queryset.filter(**lookup).first()
        if obj is None:
            raise Http404
        self.check_object_permissions(self.request, obj)
        return obj

    def update(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        partial = kwargs.pop("partial", False)
        try:
            with transaction.atomic():
                instance = self.locked_object()
                self.check_if_match(instance)
                serializer = self.get_serializer(instance, data=request.data, partial=partial)
                serializer.is_valid(raise_exception=True)
                obj = serializer.save()
                self.check_still_allowed(obj)
        except PreconditionFailed:
            return self.precondition_failed()
        response = Response(self.get_serializer(obj).data)
        response["ETag"] = etag_for(obj)
        return response

    def destroy(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        try:
            with transaction.atomic():
                instance = self.locked_object()
                self.check_if_match(instance)
                instance.delete()
        except PreconditionFailed:
            return self.precondition_failed()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def precondition_failed(self) -> Response:
        return Response(
            {"detail": "The record changed since you read it (ETag mismatch). Fetch it again and retry."},
            status=status.HTTP_412_PRECONDITION_FAILED,
        )

    def check_still_allowed(self, obj: Any) -> None:
        """An update may not move a row out of what the user is allowed to change."""
        if not self.request.user.has_perm(f"{obj._meta.app_label}.change_{obj._meta.model_name}", obj):
            raise PermissionDenied("The change would move this record outside what you may change.")

    def perform_create(self, serializer: Any) -> None:
        obj = serializer.save()
        if not self.request.user.has_perm(f"{obj._meta.app_label}.add_{obj._meta.model_name}", obj):
            raise PermissionDenied("You may not create a record with these values.")

    # --- bulk -------------------------------------------------------------------------------
    def create(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, list):
            with transaction.atomic():
                return super().create(request, *args, **kwargs)
        serializer = self.get_serializer(data=request.data, many=True)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            objs = serializer.save()
            for obj in objs:
                if not request.user.has_perm(f"{obj._meta.app_label}.add_{obj._meta.model_name}", obj):
                    raise PermissionDenied("You may not create a record with these values.")
        return Response(self.get_serializer(objs, many=True).data, status=status.HTTP_201_CREATED)

    def _bulk_items(self, request: Any) -> list[dict[str, Any]]:
        if not isinstance(request.data, list) or not request.data:
            raise ValidationError({"non_field_errors": ["Send a list of objects, each with its id."]})
        for index, item in enumerate(request.data):
            if not isinstance(item, dict) or "id" not in item:
                raise ValidationError({"non_field_errors": [f"Item {index}: an id is required."]})
            # bool is an int subclass: {"id": true} must not address row 1.
            if type(item["id"]) is not int:
                raise ValidationError({str(index): {"id": ["An id is a whole number."]}})
        return request.data

    @extend_schema(request=None, responses=None, exclude=True)
    def bulk_update(self, request: Any, partial: bool = False) -> Response:
        items = self._bulk_items(request)
        qs = self.get_queryset().select_for_update(of=("self",))
        results = []
        errors: dict[str, Any] = {}
        with transaction.atomic():
            objects = qs.in_bulk([item["id"] for item in items])
            for index, item in enumerate(items):
                obj = objects.get(item["id"])
                if obj is None:
                    errors[str(index)] = {"id": [f"No object {item['id']!r} that you may change."]}
                    continue
                serializer = self.get_serializer(obj, data=item, partial=partial)
                if not serializer.is_valid():
                    errors[str(index)] = serializer.errors
                    continue
                results.append(serializer.save())
                self.check_still_allowed(results[-1])
            if errors:
                transaction.set_rollback(True)
        if errors:
            return Response(errors, status=status.HTTP_400_BAD_REQUEST)
        return Response(self.get_serializer(results, many=True).data)

    @extend_schema(request=None, responses=None, exclude=True)
    def bulk_partial_update(self, request: Any) -> Response:
        return self.bulk_update(request, partial=True)

    @extend_schema(request=None, responses=None, exclude=True)
    def bulk_destroy(self, request: Any) -> Response:
        items = self._bulk_items(request)
        ids = [item["id"] for item in items]
        with transaction.atomic():
            objects = self.get_queryset().select_for_update(of=("self",)).in_bulk(ids)
            missing = [i for i in ids if i not in objects]
            if missing:
                return Response(
                    {"id": [f"No objects {missing} that you may delete."]}, status=status.HTTP_400_BAD_REQUEST
                )
            for obj in objects.values():
                obj.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
