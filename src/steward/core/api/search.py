"""``GET /api/search/?q=``: global search for API clients, same results as the search page."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from steward.core.search.query import DEFAULT_PER_TYPE, search

MAX_PER_TYPE = 50


class SearchHitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display = serializers.CharField()
    summary = serializers.CharField()
    score = serializers.FloatField(help_text="Relevance; higher is better, comparable within one response.")
    url = serializers.CharField(help_text="API URL of the record.")
    web_url = serializers.CharField(help_text="Page of the record in the web UI.")


class SearchGroupSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="Object type as app_label.model_name, e.g. org.person.")
    label = serializers.CharField()
    total = serializers.IntegerField(help_text="How many records of this type match (you may view).")
    total_is_exact = serializers.BooleanField(
        help_text="False when the query matched so many records that only the newest were ranked: "
        "then total is a lower bound."
    )
    results = SearchHitSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


class SearchQuerySerializer(serializers.Serializer):
    q = serializers.CharField(allow_blank=True, max_length=200)
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PER_TYPE, default=DEFAULT_PER_TYPE)
    type = serializers.ListField(child=serializers.CharField(), required=False)


class SearchView(APIView):
    """Search every type the caller may view; the top ``limit`` hits of each type, best first."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="search",
        parameters=[
            OpenApiParameter(
                "q", OpenApiTypes.STR, description="Words to find; the last one may be partial."
            ),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"Hits per type (1–{MAX_PER_TYPE})."),
            OpenApiParameter(
                "type", OpenApiTypes.STR, many=True, description="Only these types (org.person)."
            ),
        ],
        responses=SearchResponseSerializer,
        tags=["search"],
    )
    def get(self, request: Request) -> Response:
        params = SearchQuerySerializer(
            data={
                "q": request.query_params.get("q", ""),
                "limit": request.query_params.get("limit", DEFAULT_PER_TYPE),
                **({"type": request.query_params.getlist("type")} if "type" in request.query_params else {}),
            }
        )
        params.is_valid(raise_exception=True)
        query = params.validated_data["q"].strip()
        groups = search(
            request.user,
            query,
            per_type=params.validated_data["limit"],
            types=params.validated_data.get("type") or None,
        )
        body = {
            "query": query,
            "groups": [
                {
                    "type": g.type,
                    "label": g.label,
                    "total": g.total,
                    "total_is_exact": g.total_is_exact,
                    "results": [
                        {
                            "id": h.object_id,
                            "display": h.title,
                            "summary": h.summary,
                            "score": h.score,
                            "url": _api_url(request, g.model, h.object_id),
                            "web_url": request.build_absolute_uri(h.url) if h.url else "",
                        }
                        for h in g.hits
                    ],
                }
                for g in groups
            ],
        }
        return Response(SearchResponseSerializer(body).data)


def _api_url(request: Request, model: Any, pk: int) -> str:
    meta = model._meta
    try:
        return request.build_absolute_uri(
            reverse(f"api:{meta.app_label}-{meta.model_name}-detail", args=[pk])
        )
    except NoReverseMatch:
        return ""
