from __future__ import annotations

from functools import cache, partial
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from steward.core.registry import registry


def steward(request: HttpRequest) -> dict[str, Any]:
    """The navigation menu this user may see, built from what each app registered."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_menu": []}
    menu = []
    for group in sorted(registry.menu.values(), key=lambda g: (g.weight, g.label)):
        items = []
        for item in group.items:
            if not user.has_perm(item.permission):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            items.append(
                {"label": item.label, "url": url, "icon": item.icon, "active": request.path.startswith(url)}
            )
        if items:
            menu.append({"label": group.label, "icon": group.icon, "items": items})
    prefs = getattr(user, "preferences", None) if hasattr(user, "preferences") else None
    from steward.core.notifications import unread_count

    return {
        "nav_menu": menu,
        "theme": getattr(prefs, "theme", "auto"),
        # Lazy: counted only when a template shows the bell.
        "unread_notifications": cache(partial(unread_count, user)),
    }
