"""The one registry: every model, menu item and extension point, filled in AppConfig.ready().

Keys are fixed; nothing else registers at import time. Generic views, the API router, the
permission matrix tests, search and demo data all read from here, so a model registered once
gets every feature.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.utils.text import slugify


@dataclass
class ModelEntry:
    model: type[Model]
    views: Any = None  # steward.core.views.ObjectViews subclass
    viewset: Any = None  # DRF viewset
    menu: tuple[str, str] | None = None  # (group, label)
    icon: str = "circle"
    search: Any = None  # steward.core.search.SearchSpec: what global search indexes, with weights

    @property
    def label(self) -> str:
        return self.model._meta.label_lower

    @property
    def url_slug(self) -> str:
        return slugify(str(self.model._meta.verbose_name_plural))


@dataclass
class MenuItem:
    label: str
    url_name: str
    permission: str
    icon: str = "circle"


@dataclass
class MenuGroup:
    label: str
    icon: str
    weight: int
    items: list[MenuItem] = field(default_factory=list)


@dataclass
class Registry:
    models: dict[str, ModelEntry] = field(default_factory=dict)
    menu: dict[str, MenuGroup] = field(default_factory=dict)
    constraint_tokens: dict[str, Callable[[Any], Any]] = field(default_factory=dict)
    demo_loaders: list[tuple[int, Callable[..., Any]]] = field(default_factory=list)

    def register(
        self,
        model: type[Model],
        *,
        views: Any = None,
        viewset: Any = None,
        menu: tuple[str, str] | None = None,
        icon: str = "circle",
        search: Any = None,
    ) -> ModelEntry:
        entry = ModelEntry(model=model, views=views, viewset=viewset, menu=menu, icon=icon, search=search)
        if entry.label in self.models:
            raise RuntimeError(f"{entry.label} is registered twice")
        self.models[entry.label] = entry
        if views is not None:
            views.model = model
        if menu is not None:
            group, label = menu
            meta = model._meta
            self.menu_group(group).items.append(
                MenuItem(
                    label,
                    f"{meta.app_label}:{meta.model_name}_list",
                    f"{meta.app_label}.view_{meta.model_name}",
                    icon,
                )
            )
        return entry

    def menu_group(self, label: str, icon: str = "folder", weight: int = 100) -> MenuGroup:
        if label not in self.menu:
            self.menu[label] = MenuGroup(label=label, icon=icon, weight=weight)
        return self.menu[label]

    def entry(self, model: type[Model] | str) -> ModelEntry:
        key = model if isinstance(model, str) else model._meta.label_lower
        return self.models[key]

    def for_app(self, app_label: str) -> list[ModelEntry]:
        return [e for e in self.models.values() if e.model._meta.app_label == app_label]


registry = Registry()
