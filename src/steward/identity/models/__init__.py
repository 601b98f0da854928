from steward.identity.models.directories import LDAPDirectory, OIDCProvider
from steward.identity.models.links import ExternalIdentity

__all__ = ["ExternalIdentity", "LDAPDirectory", "OIDCProvider"]
