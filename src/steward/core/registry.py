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


@dataclass(frozen=True)
class EventType:
    """One kind of event rules can react to, e.g. ``org.person.created``."""

    name: str
    description: str = ""
    model: str = ""  # label_lower of the model the event is about, "" if none


@dataclass(frozen=True)
class JobEntry:
    """A job declared in code with ``@job`` or ``@periodic`` (see steward.core.jobs)."""

    name: str
    func: Callable[..., Any]
    description: str = ""
    every: Any = None  # datetime.timedelta for an interval schedule
    cron: str = ""  # or a five-field cron expression
    max_attempts: int = 1

    @property
    def periodic(self) -> bool:
        return bool(self.every or self.cron)


CRUD_EVENT_ACTIONS = {"create": "created", "update": "updated", "delete": "deleted"}


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
    #: Event types by name; every registered model gets ``<app>.<model>.created/updated/deleted``,
    #: apps declare their own domain events in their ``events.py``.
    event_types: dict[str, EventType] = field(default_factory=dict)
    #: What an event rule can do: action name -> handler(rule, event). Notifications plug in here.
    event_actions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    #: Jobs declared in code, by name.
    jobs: dict[str, JobEntry] = field(default_factory=dict)
    # Workflow engine (steward.core.workflow): definitions by name, guards and side effects by name.
    workflows: dict[str, Any] = field(default_factory=dict)
    workflow_guards: dict[str, Callable[..., Any]] = field(default_factory=dict)
    workflow_side_effects: dict[str, Callable[..., Any]] = field(default_factory=dict)
    #: Actions run inside the transition's transaction (their writes commit or roll back with it).
    workflow_actions: dict[str, Callable[..., Any]] = field(default_factory=dict)
    #: Approver policies (steward.core.workflow.ApproverPolicy): who may act, when votes suffice.
    workflow_approvers: dict[str, Any] = field(default_factory=dict)
    # Notifications (steward.core.notifications): kinds people can choose email/in-app for.
    notification_kinds: dict[str, Any] = field(default_factory=dict)
    # Called with the list of ObjectChange rows just written (inside the writing transaction).
    change_hooks: list[Callable[[list[Any]], None]] = field(default_factory=list)
    # Home page widgets (steward.core.dashboards.Widget), contributed per app.
    dashboard_widgets: list[Any] = field(default_factory=list)
    # Sign-in: callables(request) -> [(label, url, icon)] shown as buttons on the login page
    # (single sign-on), and callables() -> bool that must all allow local password sign-in.
    login_buttons: list[Callable[[Any], list[tuple[str, str, str]]]] = field(default_factory=list)
    local_login_checks: list[Callable[[], bool]] = field(default_factory=list)
    #: API token scopes apps offer: name -> description. A token with a scope may call only the
    #: endpoints that accept that scope (a view's ``token_scopes``); an unscoped token calls any.
    token_scopes: dict[str, Any] = field(default_factory=dict)

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
        for verb in CRUD_EVENT_ACTIONS.values():
            self.register_event_type(
                f"{entry.label}.{verb}",
                f"A {model._meta.verbose_name} was {verb}.",
                model=entry.label,
            )
        return entry

    def register_event_type(self, name: str, description: str = "", *, model: str = "") -> EventType:
        if name in self.event_types:
            raise RuntimeError(f"event type {name} is registered twice")
        event_type = EventType(name=name, description=description, model=model)
        self.event_types[name] = event_type
        return event_type

    def register_event_types(self, event_types: Any) -> None:
        """Register the ``EVENT_TYPES`` an app declares in its ``events.py``."""
        for event_type in event_types:
            self.register_event_type(event_type.name, event_type.description, model=event_type.model)

    def register_job(self, entry: JobEntry) -> JobEntry:
        if entry.name in self.jobs and self.jobs[entry.name].func is not entry.func:
            raise RuntimeError(f"job {entry.name} is registered twice")
        self.jobs[entry.name] = entry
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
