"""Request id and change-log context; two-factor enforcement; per-user time zone."""

from __future__ import annotations

import re
import uuid
import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from steward.core.context import change_context

REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9\-_.]{1,64}$")


class RequestIdMiddleware:
    """Gives every request an id (or keeps a sane incoming X-Request-ID) and sets the actor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.id = request_id
        source = "api" if request.path.startswith("/api/") else "ui"
        # The actor is resolved lazily: authentication runs later in the chain (and DRF later still).
        with change_context(actor=LazyActor(request), request_id=request_id, source=source):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class LazyActor:
    """Resolves to the request's user when the change log asks, after authentication ran."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    def _user(self):  # noqa: ANN202
        user = getattr(self.request, "_api_user", None) or getattr(self.request, "user", None)
        return user

    @property
    def is_authenticated(self) -> bool:
        user = self._user()
        return bool(user and user.is_authenticated)

    def resolve(self):  # noqa: ANN201
        return self._user()

    def __str__(self) -> str:
        return str(self._user() or "anonymous")


class TwoFactorMiddleware:
    """Finish two-factor login, and send users of roles that require it to enrol."""

    EXEMPT = ("/login/", "/logout/", "/account/two-factor/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.EXEMPT):
            from steward.core.auth import needs_two_factor_enrolment

            if needs_two_factor_enrolment(user):
                if request.path.startswith("/api/"):
                    # A browser session of an un-enrolled user reaches the API no further than the
                    # UI. (Token requests are not authenticated yet at this point: tokens are
                    # issued by users who already passed this check.)
                    return JsonResponse(
                        {"detail": "Your role requires two-factor authentication: enrol first."}, status=403
                    )
                return HttpResponseRedirect(reverse("two_factor_setup"))
        return self.get_response(request)


class UserTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tz = request.session.get("time_zone") if hasattr(request, "session") else None
        if tz:
            try:
                timezone.activate(zoneinfo.ZoneInfo(tz))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)
