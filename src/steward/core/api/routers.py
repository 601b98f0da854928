from __future__ import annotations

from rest_framework.routers import DefaultRouter, Route


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
