"""The platform's DRF exception handler: domain errors become API responses in one place.

Services raise Django's ``ValidationError`` and the workflow engine's ``TransitionForbidden``
and ``TransitionNotAllowed``; API views let them propagate and this handler answers:

======================================  ======  =====================================================
exception                               status  body
======================================  ======  =====================================================
``ValidationError``                     400     ``{field: [messages]}``; ``non_field_errors`` for a
                                                message without a field (DRF's key)
``TransitionForbidden``                 403     ``{"detail": message}``
``TransitionNotAllowed``                409     ``{"detail": message, "allowed": [transition names]}``
``ProtectedError`` / ``RestrictedError`` 409    ``{"detail": ...}``
``IntegrityError``                      409     ``{"detail": ...}``
======================================  ======  =====================================================

The handler runs after the view body has raised, so it does not undo anything itself: every
write through ``StewardModelViewSet`` runs in one transaction that ``dispatch`` rolls back when
the response is an error (≥ 400), and services are atomic on their own. DRF's
``set_rollback()`` is still called, as DRF's own handler does, for a deployment that turns on
``ATOMIC_REQUESTS``. See docs/adr/0030-api-error-handler.md.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models.deletion import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_handler
from rest_framework.views import set_rollback

from steward.core.workflow import TransitionForbidden, TransitionNotAllowed


def validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """Django's ``ValidationError`` as DRF's error body: ``{field: [messages]}``.

    A message without a field (raised as a plain message or list, or keyed ``__all__`` by
    ``Model.full_clean``) goes under ``non_field_errors``, where DRF puts its own.
    """
    key = api_settings.NON_FIELD_ERRORS_KEY
    if not hasattr(exc, "error_dict"):
        return {key: exc.messages}
    detail: dict[str, list[str]] = {}
    for field, messages in exc.message_dict.items():
        detail.setdefault(key if field == NON_FIELD_ERRORS else field, []).extend(messages)
    return detail


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(validation_detail(exc))
    elif isinstance(exc, TransitionForbidden):
        # A subclass of Django's PermissionDenied, which DRF answers the same way; named here so
        # the rule does not hang on that inheritance.
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, TransitionNotAllowed):
        set_rollback()
        return Response({"detail": str(exc), "allowed": exc.allowed}, status=status.HTTP_409_CONFLICT)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        set_rollback()
        return Response(
            {"detail": "Other records depend on this one; delete or re-link them first."},
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, IntegrityError):
        set_rollback()
        return Response(
            {"detail": f"The database refused the change: {exc}"}, status=status.HTTP_409_CONFLICT
        )
    return drf_handler(exc, context)
