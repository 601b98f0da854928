from steward.security.models.advisories import Advisory, AffectedPackage
from steward.security.models.findings import Finding, SeverityPolicy

__all__ = ["Advisory", "AffectedPackage", "Finding", "SeverityPolicy"]
