"""Hardening regressions: deployment checks, headers and cookies, CSRF, XSS, injection through
filters and ordering, mass assignment, formula injection on export, hostile uploads.

Model-wide checks read the registry, so models registered later are covered too.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from steward.core.models import Attachment, CustomField, ObjectPermission, Tag, Token
from steward.core.registry import registry
from steward.utilities.markdown import render_markdown
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.factories import make_instance

pytestmark = pytest.mark.django_db

UI_MODELS = sorted(label for label, e in registry.models.items() if e.views is not None)
API_MODELS = sorted(label for label, e in registry.models.items() if e.viewset is not None)
XSS = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
ROOT = Path(__file__).resolve().parents[4]


def api_list(label: str) -> str:
    meta = registry.models[label].model._meta
    return reverse(f"api:{meta.app_label}-{meta.model_name}-list")


def api_detail(label: str, pk: int) -> str:
    meta = registry.models[label].model._meta
    return reverse(f"api:{meta.app_label}-{meta.model_name}-detail", kwargs={"pk": pk})


def text_fields(model: type[models.Model]) -> list[models.Field]:
    """Free-text columns a user can write (no choices, no special formats)."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, (models.CharField, models.TextField))
        and not isinstance(f, (models.SlugField, models.EmailField, models.URLField))
        and not f.choices
        and f.editable
        and (f.max_length is None or f.max_length >= len(XSS))
    ]


# --- deployment ----------------------------------------------------------------------------------
def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "STEWARD_DATA_DIR": str(tmp_path),
        "STEWARD_SECRET_KEY": secrets.token_urlsafe(64),
        "STEWARD_DEBUG": "false",
        "STEWARD_SECURE_COOKIES": "true",
        "STEWARD_HSTS_SECONDS": "31536000",
        "STEWARD_HSTS_PRELOAD": "true",
        "STEWARD_SSL_REDIRECT": "true",
        "STEWARD_EMAIL_URL": "smtp+tls://mailer:secret@mail.example.org",
        "PYTHONPATH": str(ROOT / "src"),
    }
    env.pop("STEWARD_TESTING", None)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "steward.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_headers_csp_without_inline_scripts(admin_client):
    tag = make_instance(Tag)
    for url in (reverse("home"), reverse("core:tag_list"), tag.get_absolute_url(), reverse("login")):
        response = admin_client.get(url)
        csp = response["Content-Security-Policy"]
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
        assert "frame-ancestors 'none'" in csp
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        html = response.content.decode()
        # No inline script blocks or event-handler attributes that the policy would have to allow.
        # (json_script data blocks are not executed, so the policy need not allow them.)
        inline = r"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>\s*\S"
        assert not re.search(inline, html), f"inline script on {url}"
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", html), f"inline event handler on {url}"


def test_session_and_csrf_cookies(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    make_user("cookie")
    client = Client()
    page = client.get(reverse("login"))
    csrf_cookie = page.cookies[settings.CSRF_COOKIE_NAME]
    assert csrf_cookie["samesite"] == "Lax" and csrf_cookie["secure"]
    response = client.post(reverse("login"), {"username": "cookie", "password": "pw-cookie"})
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"] and session["secure"] and session["samesite"] == "Lax"
    assert 0 < settings.SESSION_COOKIE_AGE <= 24 * 3600


@pytest.mark.django_db
def test_sessions_expire_after_their_age(settings):
    """The cookie lives SESSION_COOKIE_AGE seconds, and a session past its expiry is refused."""
    import datetime

    from django.contrib.sessions.models import Session
    from django.utils import timezone

    make_user("expiring")
    client = Client()
    response = client.post(reverse("login"), {"username": "expiring", "password": "pw-expiring"})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE
    assert client.get(reverse("home")).status_code == 200
    # The server holds the expiry, so replaying an old cookie does not extend it.
    Session.objects.filter(session_key=cookie.value).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_hsts_header_when_configured(settings, admin_client):
    settings.SECURE_HSTS_SECONDS = 31536000
    response = admin_client.get(reverse("home"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# --- CSRF on every form --------------------------------------------------------------------------
def all_routes() -> list[tuple[str, URLPattern]]:
    found = []

    def walk(patterns, prefix: str = "") -> None:  # noqa: ANN001
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                found.append((prefix + str(p.pattern), p))

    walk(get_resolver().url_patterns)
    return found


def test_every_post_route_requires_a_csrf_token():
    """A logged-in browser without the CSRF token is refused everywhere (UI forms and session API)."""
    admin = make_user("csrf-admin", superuser=True)
    tag = make_instance(Tag)
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    checked = 0
    exempt = []
    for route, pattern in all_routes():
        if route.startswith(("static/", "media/")) or "<path:" in route:
            continue
        url = "/" + re.sub(r"<int:[^>]+>", str(tag.pk), re.sub(r"<(str|slug):[^>]+>", "x", route))
        url = re.sub(r"\(\?P<[^>]+>[^)]*\)", "1", url).replace("^", "").replace("$", "").replace("\\", "")
        if getattr(pattern.callback, "csrf_exempt", False):
            exempt.append(route)
            continue
        response = client.post(url, {"name": "x"})
        checked += 1
        assert response.status_code in (403, 404, 405), (
            f"POST {url} without a CSRF token: {response.status_code}"
        )
        if response.status_code == 403:
            assert Tag.objects.filter(pk=tag.pk).exists()
    assert checked > 100
    # Anything exempt must authenticate some other way (signatures, tokens); list it here deliberately.
    # The SCIM endpoint takes bearer tokens only (never the session), so CSRF cannot apply.
    assert [r for r in exempt if not r.startswith(("api/", "scim/v2"))] == []


# --- stored XSS ----------------------------------------------------------------------------------
def test_markdown_strips_scripts_handlers_and_javascript_links():
    html = str(
        render_markdown(
            "[click](javascript:alert(1)) [x](JaVaScRiPt:alert(1)) [d](data:text/html,<script>alert(1)</script>)\n\n"
            '<script>alert(1)</script><img src="x" onerror="alert(1)"> <a href="vbscript:x">v</a>\n\n'
            "![img](javascript:alert(1))"
        )
    )
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html.lower()
    assert "vbscript:" not in html.lower()
    assert "data:text/html" not in html


@pytest.mark.parametrize("label", UI_MODELS)
def test_stored_xss_in_lists_and_detail_pages(label, admin_client):
    model = registry.models[label].model
    obj = make_instance(model)
    fields = text_fields(model)
    ct = ContentType.objects.get_for_model(model)
    cf = CustomField.objects.create(name="evil", label=XSS, type="text")
    cf.object_types.set([ct])
    model._default_manager.filter(pk=obj.pk).update(
        **{f.name: XSS for f in fields},
        **({"custom_field_data": {"evil": XSS}} if hasattr(obj, "custom_field_data") else {}),
    )
    views = registry.models[label].views
    for url in (reverse(views.url_name("list")), obj.get_absolute_url(), reverse("search") + "?q=script"):
        html = admin_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html, f"unescaped script on {url}"
        assert "<img src=x onerror" not in html, f"unescaped handler on {url}"


# --- injection through filters, ordering and constraints -----------------------------------------
HOSTILE_VALUES = [
    "'",
    "' OR '1'='1",
    "1; DROP TABLE auth_user; --",
    '") OR 1=1 --',
    "%",
    "\\",
    "\x00",
    "1e400",
    "-99999999999999999999999999",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
]
HOSTILE_ORDERING = [
    "name; DROP TABLE auth_user",
    "-id__foo",
    "tagged_items__tag__name",
    "custom_field_data__x",
    "created__year",
    "(select 1)",
    "password",
    "user__password",
    "-",
    "",
]


@pytest.mark.parametrize("label", API_MODELS)
def test_filters_and_ordering_with_hostile_values_never_fail(label, admin_client):
    model = registry.models[label].model
    make_instance(model)
    make_instance(model)
    total = model._default_manager.count()
    url = api_list(label)
    views = registry.models[label].views
    filterset = views.filterset if views else None
    params = list(filterset.base_filters) if filterset else ["q", "id"]
    params += ["created__gte", "id__in", "pk__gt", "custom_field_data__x", "user__password__startswith"]
    for value in HOSTILE_VALUES:
        # Every parameter at once (one request per value keeps this fast; any 500 still shows).
        query = dict.fromkeys(params, value)
        for target in [url] + ([reverse(views.url_name("list"))] if views else []):
            response = admin_client.get(target, query)
            assert response.status_code in (200, 400), f"{target} with {value!r}: {response.status_code}"
    for ordering in HOSTILE_ORDERING:
        response = admin_client.get(url, {"ordering": ordering, "limit": 500})
        assert response.status_code in (200, 400), f"ordering={ordering!r}: {response.status_code}"
        if response.status_code == 200:
            assert response.json()["count"] == total
        if views:
            response = admin_client.get(reverse(views.url_name("list")), {"sort": ordering})
            assert response.status_code == 200
    # Smuggled lookups in unknown parameters are ignored: they neither filter nor fail.
    response = admin_client.get(url, {"id__in": "0", "pk__gt": "999999", "limit": 500})
    assert response.json()["count"] == total


@pytest.mark.parametrize("action", ["bulk_edit", "bulk_delete"])
def test_hostile_row_selection_in_bulk_actions_is_refused(action, admin_client):
    """A non-numeric ``pk`` among the ticked rows (what wapiti sends) is refused, not a 500."""
    a, b = make_instance(Tag), make_instance(Tag)
    url = reverse(registry.models["core.tag"].views.url_name(action))
    for bad in ("10\u00bf'\"(", "1 OR 1=1", "-1", "1e3", "\u0661"):
        response = admin_client.post(url, {"pk": [str(a.pk), bad], "_confirm": "1", "_apply": "1"})
        assert response.status_code == 302, (bad, response.status_code)
    assert set(Tag.objects.filter(pk__in=[a.pk, b.pk]).values_list("pk", flat=True)) == {a.pk, b.pk}
    response = admin_client.post(url, {"pk": [str(a.pk)]})
    assert response.status_code == 200  # a valid selection reaches the confirmation page


def test_scoped_user_cannot_widen_scope_with_filters_or_ordering():
    a, b = make_instance(Tag), make_instance(Tag)
    user = make_user("scoped-tags")
    grant(user, Tag, "view", constraints={"id__in": [a.pk]})
    _t, key = Token.issue(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    url = api_list("core.tag")
    for params in (
        {"id": f"{a.pk},{b.pk}"},
        {"q": "' OR '1'='1"},
        {"id__in": str(b.pk)},
        {"pk": b.pk},
        {"ordering": "-id"},
        {"name": b.name},
    ):
        ids = {row["id"] for row in client.get(url, params).json().get("results", [])}
        assert b.pk not in ids, params


@pytest.mark.parametrize(
    "constraints",
    [
        {"no_such_field": 1},
        {"id__in": "not a list"},
        {"id__regex": 5, "name__unknownlookup": "x"},
        {"id": "$no_such_token"},
        ["not an object"],
        {"user__password__startswith": "pbkdf2"},
    ],
)
def test_object_permission_constraints_are_validated(constraints, admin_client):
    ct = ContentType.objects.get_for_model(Tag)
    body = {"name": "bad", "actions": ["view"], "object_types": [ct.pk], "constraints": constraints}
    response = admin_client.post(api_list("core.objectpermission"), body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert "constraints" in response.json()
    assert not ObjectPermission.objects.filter(name="bad").exists()


def test_a_broken_constraint_already_stored_fails_closed():
    tag = make_instance(Tag)
    user = make_user("broken-constraint")
    perm = grant(user, Tag, "view", "change")
    ObjectPermission.objects.filter(pk=perm.pk).update(constraints={"renamed_field": 1})
    client = Client()
    client.force_login(user)
    assert client.get(reverse("core:tag_list")).status_code == 200
    assert client.get(tag.get_absolute_url()).status_code == 404
    assert client.get(api_list("core.tag")).json()["count"] == 0


# --- mass assignment -----------------------------------------------------------------------------
@pytest.mark.parametrize("label", API_MODELS)
def test_mass_assignment_through_the_api_has_no_effect(label):
    if "patch" not in registry.models[label].viewset.http_method_names:
        pytest.skip("read-only endpoint: nothing can be assigned through it")
    model = registry.models[label].model
    obj = make_instance(model)
    user = make_user("mass")
    grant(user, model, "view", "change")
    other = make_user("victim")
    _t, key = Token.issue(user=user, write_enabled=True)
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    before = (
        model._default_manager.filter(pk=obj.pk).values("pk", "created").first()
        if hasattr(obj, "created")
        else {"pk": obj.pk}
    )
    body = {
        "id": obj.pk + 1000,
        "pk": obj.pk + 1000,
        "created": "2000-01-01T00:00:00Z",
        "last_updated": "2000-01-01T00:00:00Z",
        "is_superuser": True,
        "is_staff": True,
        "user": other.pk,
        "groups": [1],
        "user_permissions": [1],
        "reference": "HACK0001",
        "state": "closed",
    }
    response = client.patch(api_detail(label, obj.pk), body, content_type="application/json")
    assert response.status_code in (200, 400), response.content
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff and not user.groups.exists()
    after = model._default_manager.filter(pk=obj.pk).values(*before.keys()).first()
    assert after == before, "read-only fields changed through the API"
    if hasattr(obj, "reference") and obj.reference:
        assert model._default_manager.get(pk=obj.pk).reference == obj.reference
    if hasattr(obj, "state") and obj.state:
        assert model._default_manager.get(pk=obj.pk).state == obj.state


def test_tokens_are_issued_to_the_requester_only(client):
    user = make_user("token-owner")
    admin = make_user("token-admin", superuser=True)
    client.force_login(user)
    client.post(reverse("token_create"), {"user": admin.pk, "user_id": admin.pk, "write_enabled": "on"})
    assert not Token.objects.filter(user=admin).exists()
    assert Token.objects.filter(user=user).count() == 1


# --- formula injection on export -----------------------------------------------------------------
FORMULAS = ["=1+2", "+1+2", "-1+2", "@SUM(A1)", '=HYPERLINK("http://evil")']


@pytest.mark.parametrize("label", UI_MODELS)
def test_exports_neutralise_formulas(label, admin_client):
    from openpyxl import load_workbook

    model = registry.models[label].model
    fields = text_fields(model)
    if not fields:
        pytest.skip("no free-text column")
    for formula in FORMULAS:
        obj = make_instance(model)
        model._default_manager.filter(pk=obj.pk).update(**{f.name: formula for f in fields})
    url = reverse(registry.models[label].views.url_name("list"))
    body = b"".join(admin_client.get(url, {"export": "csv"}).streaming_content).decode()
    cells = [c for row in csv.reader(io.StringIO(body)) for c in row]
    assert any(c.lstrip("'") in FORMULAS for c in cells), "the export does not contain the values at all"
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    workbook = load_workbook(io.BytesIO(admin_client.get(url, {"export": "xlsx"}).content))
    values = [c.value for row in workbook.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [v for v in values if v[:1] in ("=", "+", "-", "@")]


# --- uploads -------------------------------------------------------------------------------------
def upload(client, tag, name: str, content: bytes, content_type: str = "application/octet-stream"):  # noqa: ANN001, ANN201
    url = reverse("core:tag_attach", kwargs={"pk": tag.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type=content_type)})


def test_upload_path_traversal_names_stay_inside_media(admin_client, settings):
    tag = make_instance(Tag)
    for name in ("../../../../etc/passwd.txt", "..\\..\\windows\\evil.txt", "/abs/path.txt", "a/../../b.txt"):
        upload(admin_client, tag, name, b"hello", "text/plain")
    media = Path(settings.MEDIA_ROOT).resolve()
    stored = list(Attachment.objects.all())
    assert len(stored) == 4
    for att in stored:
        assert "/" not in att.name and "\\" not in att.name and ".." not in att.name.strip(".")
        assert Path(att.file.path).resolve().is_relative_to(media)


def test_upload_of_wrong_types_and_archive_bombs_is_refused(admin_client):
    tag = make_instance(Tag)
    for name, content in (
        ("evil.html", b"<script>alert(1)</script>"),
        ("evil.svg", b"<svg onload=alert(1)>"),
        ("run.exe", b"MZ"),
        ("script.js", b"alert(1)"),
        ("noext", b"data"),
    ):
        upload(admin_client, tag, name, content, "text/plain")
    # An archive that claims to be a zip but is not, and a zip bomb (high expansion ratio).
    upload(admin_client, tag, "broken.zip", b"not a zip", "application/zip")
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"\0" * (20 * 1024 * 1024))
    upload(admin_client, tag, "bomb.zip", bomb.getvalue(), "application/zip")
    bomb_docx = io.BytesIO(bomb.getvalue())
    upload(admin_client, tag, "bomb.docx", bomb_docx.getvalue())
    assert not Attachment.objects.exists()


def test_attachments_download_as_files_not_pages(admin_client):
    tag = make_instance(Tag)
    upload(admin_client, tag, "notes.txt", b"<script>alert(1)</script>", "text/html")
    att = Attachment.objects.get()
    response = admin_client.get(reverse("core:tag_attachment", kwargs={"pk": tag.pk, "attachment": att.pk}))
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].startswith("text/plain")


# --- parsers -------------------------------------------------------------------------------------
def test_yaml_import_does_not_construct_python_objects(admin_client):
    payload = "- name: !!python/object/apply:os.system ['touch /tmp/steward-pwned']\n"
    response = admin_client.post(reverse("core:tag_import"), {"data": payload, "format": "yaml"})
    assert response.status_code == 422
    assert not Path("/tmp/steward-pwned").exists()


def test_no_xml_parser_is_reachable_from_requests():
    """No request path parses XML today (imports are CSV/JSON/YAML, iCalendar is text); if one is
    added, it must use defusedxml. This test fails when a stdlib XML parser appears in the code."""
    src = ROOT / "src" / "steward"
    offenders = [
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "tests" not in p.parts
        and re.search(r"^\s*(from|import) (xml\.|lxml)", p.read_text(), re.MULTILINE)
    ]
    assert offenders == []


def test_json_import_rejects_deep_nesting_cleanly(admin_client):
    payload = json.dumps([{"name": "x"}]).replace('"x"', "[" * 5000 + "]" * 5000)
    response = admin_client.post(reverse("core:tag_import"), {"data": payload, "format": "json"})
    assert response.status_code in (200, 422)


# --- rate limits, password policy, sessions ------------------------------------------------------
def test_login_is_locked_out_after_repeated_failures(settings):
    make_user("target")
    client = Client()
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert client.post(reverse("login"), {"username": "target", "password": "wrong"}).status_code == 401
    # Locked now, even with the right password.
    response = client.post(reverse("login"), {"username": "target", "password": "pw-target"})
    assert response.status_code == 429


def test_api_token_guessing_is_throttled_per_address(settings):
    tag_url = api_list("core.tag")
    client = Client()
    codes = [
        client.get(tag_url, HTTP_AUTHORIZATION=f"Token stw_guess{i}").status_code
        for i in range(settings.LOGIN_MAX_FAILURES * 4 + 1)
    ]
    assert set(codes[:-1]) == {401} and codes[-1] == 429
    # Even a valid token is refused from that address until the lock-out ends.
    _t, key = Token.issue(user=make_user("rightful", superuser=True))
    assert client.get(tag_url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.9").get(tag_url, HTTP_AUTHORIZATION=f"Token {key}").status_code == 200


def test_requests_per_token_are_rate_limited(monkeypatch):
    from steward.core.api.authentication import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/min"})
    _t, key = Token.issue(user=make_user("busy", superuser=True))
    client = Client(HTTP_AUTHORIZATION=f"Token {key}")
    codes = [client.get(api_list("core.tag")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


def test_the_token_rate_slides_over_the_previous_window_and_is_shared_by_workers(monkeypatch, settings):
    from types import SimpleNamespace

    from steward.core.api.authentication import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "4/min"})
    token, _key = Token.issue(user=make_user("slider", superuser=True))
    request = SimpleNamespace(auth=token)
    clock = [600.0]  # the start of a window
    monkeypatch.setattr(TokenRateThrottle, "timer", lambda self: clock[0])
    allowed = [TokenRateThrottle().allow_request(request, None) for _ in range(5)]
    assert allowed == [True] * 4 + [False]
    # Half-way through the next window the last one still weighs half: 2 more, not 4.
    clock[0] = 690.0
    allowed = [TokenRateThrottle().allow_request(request, None) for _ in range(3)]
    assert allowed == [True, True, False]
    refused = TokenRateThrottle()
    assert not refused.allow_request(request, None) and 0 < refused.wait() <= 30
    # Without a shared (Redis) cache each worker allows its share of the rate.
    settings.WEB_WORKERS = 2
    assert TokenRateThrottle().num_requests == 2


def test_password_policy_refuses_weak_passwords():
    user = make_user("weak")
    client = Client()
    client.force_login(user)
    for weak in ("short1", "password123", "1234567890", "weak-weak"):
        response = client.post(
            reverse("password_change"),
            {"old_password": "pw-weak", "new_password1": weak, "new_password2": weak},
        )
        assert response.status_code == 200, weak  # the form again, with errors
    user.refresh_from_db()
    assert user.check_password("pw-weak")
