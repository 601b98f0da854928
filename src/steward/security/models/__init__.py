from steward.security.models.access import AccessDecision, AccessReview, Entitlement
from steward.security.models.advisories import Advisory, AffectedPackage
from steward.security.models.findings import Finding, SeverityPolicy
from steward.security.models.incidents import EvidenceEntry, SecurityIncident

__all__ = [
    "AccessDecision", "AccessReview", "Advisory", "AffectedPackage", "Entitlement", "EvidenceEntry", "Finding",
    "SecurityIncident", "SeverityPolicy",
]  # fmt: skip
