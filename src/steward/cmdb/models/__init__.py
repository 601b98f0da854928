from steward.cmdb.models.catalogue import DeviceModel, Manufacturer
from steward.cmdb.models.classes import CIClass, RelationshipType
from steward.cmdb.models.items import ConfigurationItem, Relationship
from steward.cmdb.models.software import SoftwareInstallation, SoftwareProduct

__all__ = [
    "CIClass",
    "ConfigurationItem",
    "DeviceModel",
    "Manufacturer",
    "Relationship",
    "RelationshipType",
    "SoftwareInstallation",
    "SoftwareProduct",
]
