from __future__ import annotations

from typing import Any

from django.urls import include, path
from rest_framework.routers import DefaultRouter, Route, SimpleRouter
from rest_framework.urlpatterns import format_suffix_patterns


class StewardRouter(DefaultRouter):
    """Adds bulk update and delete to each list route (PUT/PATCH/DELETE on the collection)."""

    def __init__(self) -> None:
        super().__init__()
        list_route: Route = self.routes[0]
        self.routes[0] = list_route._replace(
            mapping={
                "get": "list",
                "post": "create",
                "put": "bulk_update",
                "patch": "bulk_partial_update",
                "delete": "bulk_destroy",
            }
        )

    def get_urls(self) -> list[Any]:
        """The routes grouped under one ``<app>/`` include per app.

        Django tries URL patterns in order until one matches; a flat list of every model's
        routes made an API request test a few hundred patterns before its own. Under one
        prefix per app the resolver tests the app prefixes first, then only that app's routes.
        Route names and URLs are unchanged.
        """
        groups: dict[str, list[tuple[str, Any, str]]] = {}
        for prefix, viewset, basename in self.registry:
            head, slash, rest = prefix.partition("/")
            groups.setdefault(head if slash else "", []).append(
                (rest if slash else prefix, viewset, basename)
            )
        registry = self.registry
        urls: list[Any] = []
        try:
            for head, entries in groups.items():
                self.registry = entries
                routes = SimpleRouter.get_urls(self)
                urls += [path(f"{head}/", include(routes))] if head else routes
        finally:
            self.registry = registry
        if self.include_root_view:
            urls.append(path("", self.get_api_root_view(api_urls=urls), name=self.root_view_name))
        if self.include_format_suffixes:
            urls = format_suffix_patterns(urls)
        return urls
