"""Builders of cmdb rows for the registry-driven tests (permission matrix, hardening)."""

from __future__ import annotations

from typing import Any

from steward.cmdb.models import Relationship
from steward.utilities.testing.factories import factory, make_instance


@factory("cmdb.relationship")
def _relationship(n: int, **overrides: Any) -> Relationship:
    from steward.cmdb.models import ConfigurationItem, RelationshipType

    values = {
        "source": make_instance(ConfigurationItem),
        "target": make_instance(ConfigurationItem),
        "type": RelationshipType.objects.first() or make_instance(RelationshipType),
        **overrides,
    }
    return Relationship.objects.create(**values)


@factory("cmdb.softwareinstallation")
def _installation(n: int, **overrides: Any) -> Any:
    from steward.cmdb.models import ConfigurationItem, SoftwareInstallation, SoftwareProduct

    values = {
        "configuration_item": make_instance(ConfigurationItem),
        "product": make_instance(SoftwareProduct),
        "version": f"1.{n}",
        **overrides,
    }
    return SoftwareInstallation.objects.create(**values)
