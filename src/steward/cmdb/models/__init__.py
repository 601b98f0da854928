from steward.cmdb.models.capacity import CapacityThreshold, MetricSample
from steward.cmdb.models.catalogue import DeviceModel, Manufacturer
from steward.cmdb.models.classes import CIClass, RelationshipType
from steward.cmdb.models.items import ConfigurationItem, Relationship
from steward.cmdb.models.lifecycle import LifecycleNotice

__all__ = [
    "CapacityThreshold",
    "MetricSample",
    "CIClass",
    "LifecycleNotice",
    "ConfigurationItem",
    "DeviceModel",
    "Manufacturer",
    "Relationship",
    "RelationshipType",
]
