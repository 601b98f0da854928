from steward.security.models.advisories import Advisory, AffectedPackage
from steward.security.models.findings import Finding, SeverityPolicy
from steward.security.models.incidents import EvidenceEntry, SecurityIncident

__all__ = ["Advisory", "AffectedPackage", "EvidenceEntry", "Finding", "SecurityIncident", "SeverityPolicy"]
