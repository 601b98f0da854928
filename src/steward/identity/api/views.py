from __future__ import annotations

from steward.core.api.viewsets import StewardModelViewSet
from steward.identity import filtersets
from steward.identity.api import serializers
from steward.identity.models import LDAPDirectory, OIDCProvider


class LDAPDirectoryViewSet(StewardModelViewSet):
    queryset = LDAPDirectory.objects.all()
    serializer_class = serializers.LDAPDirectorySerializer
    filterset_class = filtersets.LDAPDirectoryFilterSet


class OIDCProviderViewSet(StewardModelViewSet):
    queryset = OIDCProvider.objects.all()
    serializer_class = serializers.OIDCProviderSerializer
    filterset_class = filtersets.OIDCProviderFilterSet
