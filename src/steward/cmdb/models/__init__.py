from steward.cmdb.models.capacity import CapacityThreshold, MetricSample
from steward.cmdb.models.catalogue import DeviceModel, Manufacturer
from steward.cmdb.models.classes import CIClass, RelationshipType
from steward.cmdb.models.discovery import Drift, NetworkInterface
from steward.cmdb.models.items import ConfigurationItem, Relationship
from steward.cmdb.models.lifecycle import LifecycleNotice
from steward.cmdb.models.software import SoftwareInstallation, SoftwareProduct

__all__ = [
    "CIClass",
    "CapacityThreshold",
    "ConfigurationItem",
    "DeviceModel",
    "Drift",
    "LifecycleNotice",
    "Manufacturer",
    "MetricSample",
    "NetworkInterface",
    "Relationship",
    "RelationshipType",
    "SoftwareInstallation",
    "SoftwareProduct",
]
