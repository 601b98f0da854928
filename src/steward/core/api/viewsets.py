"""Base viewset: restricted querysets, brief mode, ETag/If-Match, bulk create/update/delete."""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

from django.db import connection, transaction
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.viewsets import ModelViewSet

from steward.core.api.serializers import brief_serializer, field_names
from steward.core.models import CustomField

ACTION_PERMS = {
    "list": "view", "retrieve": "view", "create": "add", "update": "change", "partial_update": "change",
    "destroy": "delete", "bulk_update": "change", "bulk_partial_update": "change", "bulk_destroy": "delete",
}  # fmt: skip


def etag_for(obj: Any) -> str:
    version = f"{obj.pk}:{obj.last_updated.isoformat() if getattr(obj, 'last_updated', None) else ''}"
    return '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'


class PreconditionFailed(Exception):
    pass


class TransitionRequestSerializer(serializers.Serializer):
    transition = serializers.CharField()
    data = serializers.DictField(required=False, default=dict)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class FollowRequestSerializer(serializers.Serializer):
    follow = serializers.BooleanField(default=True)


def workflow_summary(obj: Any, user: Any) -> dict[str, Any]:
    from steward.core import workflow as wf

    state = wf.get_workflow(type(obj)).state(obj.state)
    return {
        "state": {"name": state.name, "label": state.label, "colour": state.colour},
        "available": [t.name for t in wf.available_transitions(obj, user)],
        "history": [
            {
                "transition": h.transition,
                "from": h.from_state,
                "to": h.to_state,
                "actor": h.actor_name,
                "time": h.time.isoformat(),
                "comment": h.comment,
            }
            for h in wf.history(obj)[:50]
        ],
    }


@cache
def _page_tags_sql(vendor: str) -> str:
    from steward.core.models import Tag, TaggedItem

    qn = connection.ops.quote_name
    return (
        f"SELECT i.{qn('object_id')}, t.{qn('id')}, t.{qn('name')}, t.{qn('slug')} "  # noqa: S608  # nosec B608
        f"FROM {qn(TaggedItem._meta.db_table)} i JOIN {qn(Tag._meta.db_table)} t ON t.{qn('id')} = i.{qn('tag_id')} "
        f"WHERE i.{qn('content_type_id')} = %s AND i.{qn('object_id')} IN ({{marks}}) "
        f"ORDER BY t.{qn('name')}, i.{qn('id')}"
    )


def attach_tags(objs: list[Any]) -> None:
    """Set ``tag_list`` on every object of one page: one query, tags in name order (as
    ``TaggedItem``'s ordering gives them).

    The statement is built once per process (a page runs it on every request). What the
    serializer shows of a tag is its slug; the tags are built with their name and slug only
    (other fields load on access, as any deferred field).
    """
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import Tag

    by_pk = {obj.pk: obj for obj in objs}
    for obj in objs:
        obj.tag_list = []
    ct = ContentType.objects.get_for_model(type(objs[0]))
    sql = _page_tags_sql(connection.vendor).format(marks=", ".join(["%s"] * len(by_pk)))
    with connection.cursor() as cursor:
        cursor.execute(sql, [ct.pk, *by_pk])
        rows = cursor.fetchall()
    for object_id, tag_id, name, slug in rows:
        by_pk[object_id].tag_list.append(
            Tag.from_db(connection.alias, ["id", "name", "slug"], [tag_id, name, slug])
        )


class StewardModelViewSet(ModelViewSet):
    brief_prefetch: tuple[str, ...] = ()

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        """Every write request runs in one transaction, rolled back unless it succeeded.

        Errors become responses inside DRF (400, 409…), so the block would otherwise commit
        whatever ran before the error; on PostgreSQL a failed statement must also be rolled
        back before the connection can be used again.
        """
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return super().dispatch(request, *args, **kwargs)
        # Custom-field definitions are read once per request (the serializer's defaults and the
        # model's clean() both need them).
        with transaction.atomic(), CustomField.objects.cached_definitions():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    @property
    def required_action(self) -> str:
        return ACTION_PERMS.get(getattr(self, "action", None) or "", "view")

    @classmethod
    def get_extra_actions(cls) -> list[Any]:
        """The transition endpoint exists only for models that have a workflow."""
        from steward.core.workflow import has_workflow

        actions = super().get_extra_actions()
        model = getattr(getattr(cls, "queryset", None), "model", None)
        if not has_workflow(model):
            actions = [a for a in actions if a.__name__ != "workflow_transition"]
        return actions

    # --- workflow and following -------------------------------------------------------------
    @extend_schema(
        methods=["POST"],
        request=TransitionRequestSerializer,
        responses={
            200: OpenApiResponse(description="The transition completed."),
            202: OpenApiResponse(description="Approval recorded; more approvals are needed."),
            400: OpenApiResponse(description="A field is missing or invalid (named in the body)."),
            403: OpenApiResponse(description="You may not perform or approve this transition."),
            409: OpenApiResponse(description="Not possible from the current state; `allowed` lists what is."),
        },
    )
    @extend_schema(
        methods=["GET"], responses={200: OpenApiResponse(description="State, allowed transitions, history.")}
    )
    @action(detail=True, methods=["get", "post"], url_path="transition", url_name="transition")
    def workflow_transition(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """GET: the state, what you may do now and the history. POST: run a transition."""
        from steward.core import workflow as wf

        obj = self.get_object()
        if request.method == "GET":
            return Response(workflow_summary(obj, request.user))
        body = TransitionRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        # Refusals (400 field errors, 403, 409 with ``allowed``) are answered by the platform's
        # exception handler (core.api.exceptions).
        result = wf.transition(
            obj=obj,
            name=body.validated_data["transition"],
            actor=request.user,
            data=body.validated_data["data"],
            comment=body.validated_data["comment"],
        )
        payload = {
            "completed": result.completed,
            "approvals": result.approvals,
            "needed": result.needed,
            **workflow_summary(result.obj, request.user),
            "object": self.get_serializer(result.obj).data,
        }
        return Response(payload, status=status.HTTP_200_OK if result.completed else status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=FollowRequestSerializer,
        responses={200: inline_serializer("FollowResponse", {"following": serializers.BooleanField()})},
    )
    @action(detail=True, methods=["post"], url_path="follow", url_name="follow")
    def follow(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        """Follow (or, with ``{"follow": false}``, stop following) this record."""
        from steward.core import notifications

        obj = self.get_object()
        body = FollowRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        if body.validated_data["follow"]:
            notifications.follow(request.user, obj)
        else:
            notifications.unfollow(request.user, obj)
        return Response({"following": body.validated_data["follow"]})

    def get_queryset(self) -> Any:
        qs = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return qs.none()
        if "tags" in field_names(self.get_serializer_class()) and not self._tags_after_paging:
            # Into a plain list (to_attr): Django's generic-relation prefetch otherwise builds a
            # queryset per row just to hold the cache, most of a list request's time.
            from steward.core.models import TaggedItem

            qs = qs.prefetch_related(
                Prefetch(
                    "tagged_items",
                    queryset=TaggedItem.objects.select_related("tag"),
                    to_attr="prefetched_tagged_items",
                )
            )
        return qs.restrict(self.request.user, self.required_action)

    @property
    def _tags_after_paging(self) -> bool:
        """A paged list reads the page's tags itself (``paginate_queryset``), not by prefetch."""
        return getattr(self, "action", None) == "list" and self.paginator is not None

    def paginate_queryset(self, queryset: Any) -> list[Any] | None:
        page = super().paginate_queryset(queryset)
        if page and self._tags_after_paging and "tags" in field_names(self.get_serializer_class()):
            attach_tags(page)
        return page

    @property
    def brief(self) -> bool:
        return self.request is not None and self.request.query_params.get("brief") in ("1", "true", "True")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        cls = super().get_serializer_class()
        if self.brief and self.request.method == "GET":
            return brief_serializer(cls)
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
            # dispatch() already runs the request in a transaction that rolls back on any error
            # response: no savepoint of its own.
            with transaction.atomic(savepoint=False):
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
