from steward.identity.models.directories import LDAPDirectory, OIDCProvider
from steward.identity.models.links import ExternalIdentity
from steward.identity.models.settings import IdentitySettings

__all__ = ["ExternalIdentity", "IdentitySettings", "LDAPDirectory", "OIDCProvider"]
