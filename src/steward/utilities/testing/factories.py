"""Build a saved instance of any registered model, for the generic (registry-driven) tests.

``make_instance(Model)`` fills every required field with a plausible value of its type
(unique fields get a counter, required foreign keys get an instance of their own, choices take
the first choice). A model whose rules the generic filler cannot guess registers a builder:

    from steward.utilities.testing.factories import factory

    @factory("itsm.incident")
    def build_incident(n: int, **overrides):
        return Incident.objects.create(short_description=f"Incident {n}", **overrides)

A builder receives a serial number (unique within the process) and must return a saved row.
"""

from __future__ import annotations

import datetime
import decimal
import itertools
import uuid
from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils import timezone

Builder = Callable[..., models.Model]

FACTORIES: dict[str, Builder] = {}
_serial = itertools.count(1)


def factory(label: str) -> Callable[[Builder], Builder]:
    """Register ``func`` as the builder of the model ``label`` (``app_label.modelname``)."""

    def decorator(func: Builder) -> Builder:
        FACTORIES[label] = func
        return func

    return decorator


def _load_app_factories() -> None:
    """Import ``<app>.tests.factories`` of every installed app once: domain apps keep their own
    builders beside their tests, and the framework never imports a domain app by name."""
    global _apps_loaded
    if _apps_loaded:
        return
    import importlib.util

    from django.apps import apps

    for config in apps.get_app_configs():
        name = f"{config.name}.tests.factories"
        if (
            config.name.startswith("steward.")
            and importlib.util.find_spec(f"{config.name}.tests") is not None
        ):
            if importlib.util.find_spec(name) is not None:
                importlib.import_module(name)
    _apps_loaded = True


_apps_loaded = False


def make_instance(model: type[models.Model], **overrides: Any) -> models.Model:
    _load_app_factories()
    n = next(_serial)
    builder = FACTORIES.get(model._meta.label_lower)
    if builder is not None:
        return builder(n, **overrides)
    values = {**auto_values(model, n), **overrides}
    return model._default_manager.create(**values)


def auto_values(model: type[models.Model], n: int) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.auto_created or not field.editable and not field.is_relation:
            continue
        if field.has_default() or field.null or (field.blank and not field.is_relation):
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        values[field.name] = field_value(field, n)
    return values


def field_value(field: models.Field, n: int) -> Any:
    if field.choices:
        return field.choices[0][0]
    if field.is_relation:
        related = field.related_model
        if related._meta.label_lower == "contenttypes.contenttype":
            from django.contrib.contenttypes.models import ContentType

            return ContentType.objects.get_for_model(related)
        if related._meta.label_lower == "auth.user":
            from steward.utilities.testing import make_user

            return make_user(f"factory-user-{n}")
        if not field.unique:
            existing = related._default_manager.order_by("pk").first()
            if existing is not None:
                return existing
        return make_instance(related)
    if isinstance(field, models.EmailField):
        return f"user{n}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{n}"
    if isinstance(field, models.SlugField):
        return f"slug-{n}"
    if isinstance(field, (models.CharField, models.TextField)):
        max_length = field.max_length or 100
        return f"{field.name} {n}"[:max_length]
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return n
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return datetime.date(2026, 1, 1) + datetime.timedelta(days=n)
    if isinstance(field, models.TimeField):
        return datetime.time(9, 0)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(hours=1)
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {}
    raise NotImplementedError(
        f"No automatic value for {field.model._meta.label}.{field.name} ({type(field).__name__}); "
        "register a builder with steward.utilities.testing.factories.factory"
    )


def is_valid(obj: models.Model) -> bool:
    """Whether ``obj`` passes its model's validation (some models allow only one valid row)."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean()
    except ValidationError:
        return False
    return True


# --- builders for models the filler cannot guess ---------------------------------------------------
MINIMAL_WORKFLOW = {
    "states": [{"name": "open", "label": "Open"}, {"name": "done", "label": "Done"}],
    "initial": "open",
    "terminal": ["done"],
    "transitions": [{"name": "finish", "from": "open", "to": "done"}],
}


@factory("core.workflowdefinition")
def _workflow_definition(n: int, **overrides: Any) -> models.Model:
    """A definition for a model with a workflow; only one per model exists, so later rows reuse
    any free content type (they are saved but fail validation; ``is_valid`` tells)."""
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import WorkflowDefinition
    from steward.core.workflow import has_workflow

    used = set(WorkflowDefinition.objects.values_list("object_type", flat=True))
    free = [ct for ct in ContentType.objects.order_by("pk") if ct.pk not in used]
    workflow_types = [ct for ct in free if has_workflow(ct.model_class())]
    object_type = (workflow_types or free)[0]
    return WorkflowDefinition.objects.create(
        **{
            "object_type": object_type,
            "definition": MINIMAL_WORKFLOW,
            "description": f"definition {n}",
            **overrides,
        }
    )


@factory("core.jobschedule")
def _job_schedule(n: int, **overrides: Any) -> models.Model:
    """A schedule of a declared job not yet scheduled (or a made-up name once they run out)."""
    from steward.core.models import JobSchedule
    from steward.core.registry import registry

    used = set(JobSchedule.objects.values_list("job_name", flat=True))
    name = next((j for j in sorted(registry.jobs) if j not in used), f"job-{n}")
    return JobSchedule.objects.create(
        **{"job_name": name, "interval": datetime.timedelta(hours=1), **overrides}
    )


@factory("core.customfield")
def _custom_field(n: int, **overrides: Any) -> models.Model:
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import CustomField

    field = CustomField.objects.create(**{"name": f"field_{n}", "type": "text", **overrides})
    field.object_types.set([ContentType.objects.get_for_model(CustomField)])
    return field


@factory("core.objectpermission")
def _object_permission(n: int, **overrides: Any) -> models.Model:
    from django.contrib.contenttypes.models import ContentType

    from steward.core.models import ObjectPermission, Tag

    perm = ObjectPermission.objects.create(**{"name": f"permission {n}", "actions": ["view"], **overrides})
    perm.object_types.set([ContentType.objects.get_for_model(Tag)])
    return perm


@factory("core.webhook")
def _webhook(n: int, **overrides: Any) -> models.Model:
    from steward.core.models import Webhook

    return Webhook.objects.create(
        **{"name": f"webhook {n}", "payload_url": f"https://hooks.example.org/{n}", **overrides}
    )


@factory("core.eventrule")
def _event_rule(n: int, **overrides: Any) -> models.Model:
    from steward.core.models import EventRule, Webhook

    return EventRule.objects.create(
        **{
            "name": f"rule {n}",
            "event_types": ["core.tag.created"],
            "action": "webhook",
            "webhook": make_instance(Webhook),
            **overrides,
        }
    )
