"""Permission matrix: every registered model × every UI route and API endpoint × every role.

Built from the registry, so a model registered later is covered without new test code (give it a
builder in ``steward.utilities.testing.factories`` if the generic filler cannot make one).

Roles:
- anonymous: every UI route redirects to the login page, every API call is refused (401/403);
- read-only: ``view`` on every model; reads succeed, every write is refused (403);
- scoped: view/change/delete constrained to one row (``id__in``) and no ``add``: the in-scope row
  behaves normally, the out-of-scope row is invisible (404) to detail, edit, delete, history,
  export, search, bulk edit and bulk delete — and none of them modify it;
- administrator (superuser): everything succeeds.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from steward.core.models import ObjectPermission, Token
from steward.core.registry import registry
from steward.utilities.testing import grant, make_user
from steward.utilities.testing.factories import is_valid, make_instance

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "readonly", "scoped", "admin")
MODELS = sorted(label for label, e in registry.models.items() if e.views is not None or e.viewset is not None)
DENIED = (401, 403)


class Matrix:
    """One model, its two rows (``inside`` and ``outside`` the scoped grant) and one role's clients."""

    def __init__(self, label: str, role: str) -> None:
        self.entry = registry.models[label]
        self.model = self.entry.model
        self.role = role
        self.inside = make_instance(self.model)
        self.outside = make_instance(self.model)
        self.ui = Client()
        self.api = Client()
        if role == "anonymous":
            return
        user = make_user(f"matrix-{role}", superuser=role == "admin")
        if role == "readonly":
            perm = ObjectPermission.objects.create(name="read everything", actions=["view"])
            perm.object_types.set(
                ContentType.objects.get_for_models(*[e.model for e in registry.models.values()]).values()
            )
            perm.users.add(user)
        elif role == "scoped":
            grant(user, self.model, "view", "change", "delete", constraints={"id__in": [self.inside.pk]})
        self.ui.force_login(user)
        _token, key = Token.issue(user=user, write_enabled=True)
        self.api.defaults["HTTP_AUTHORIZATION"] = f"Token {key}"

    # --- helpers ---------------------------------------------------------------------------------
    def url(self, action: str, obj=None) -> str:  # noqa: ANN001
        kwargs = {"pk": obj.pk} if obj is not None else {}
        return reverse(self.entry.views.url_name(action), kwargs=kwargs)

    def api_url(self, obj=None) -> str:  # noqa: ANN001
        meta = self.model._meta
        if obj is None:
            return reverse(f"api:{meta.app_label}-{meta.model_name}-list")
        return reverse(f"api:{meta.app_label}-{meta.model_name}-detail", kwargs={"pk": obj.pk})

    def exists(self, obj) -> bool:  # noqa: ANN001
        return self.model._default_manager.filter(pk=obj.pk).exists()

    def stamp(self, obj):  # noqa: ANN001, ANN201
        """What a write would change: the row as the database holds it."""
        return self.model._default_manager.filter(pk=obj.pk).values().first()


def expect(response, allowed: bool | int, what: str) -> None:  # noqa: ANN001
    code = response.status_code
    assert code < 500, f"{what}: server error {code}"
    if allowed is True:
        assert code in (200, 302), f"{what}: expected success, got {code}"
    elif allowed is False:
        assert code in (403, 404), f"{what}: expected 403/404, got {code}"
    else:
        assert code == allowed, f"{what}: expected {allowed}, got {code}"


def to_login(response, what: str) -> None:  # noqa: ANN001
    assert response.status_code == 302 and "/login/" in response["Location"], (
        f"{what}: anonymous must be sent to the login page, got {response.status_code}"
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", MODELS)
def test_ui_routes(label: str, role: str) -> None:
    if registry.models[label].views is None:
        pytest.skip("no UI")
    m = Matrix(label, role)
    c, a, b = m.ui, m.inside, m.outside
    outside_before = m.stamp(b)
    reads = [("list", None), ("detail", a), ("history", a), ("detail", b), ("history", b)]
    writes_get = [("add", None), ("import", None), ("edit", a), ("delete", a), ("edit", b), ("delete", b)]

    if role == "anonymous":
        for action, obj in reads + writes_get:
            to_login(c.get(m.url(action, obj)), f"GET {action}")
        for action, obj in (
            ("add", None),
            ("edit", b),
            ("delete", b),
            ("bulk_edit", None),
            ("bulk_delete", None),
        ):
            to_login(c.post(m.url(action, obj), {"pk": [b.pk], "_confirm": "1"}), f"POST {action}")
        to_login(c.get(m.url("list") + "?export=csv"), "export")
        assert m.stamp(b) == outside_before
        return

    full_read = role in ("readonly", "admin")
    can_write = role == "admin"
    expect(c.get(m.url("list")), True, "list")
    expect(c.get(m.url("detail", a)), True, "detail (in scope)")
    expect(c.get(m.url("history", a)), True, "history (in scope)")
    expect(c.get(m.url("detail", b)), full_read, "detail (out of scope)")
    expect(c.get(m.url("history", b)), full_read, "history (out of scope)")
    expect(c.get(m.url("add")), can_write, "add form")
    expect(c.get(m.url("import")), can_write, "import form")
    expect(c.get(m.url("edit", a)), role in ("scoped", "admin"), "edit form (in scope)")
    expect(c.get(m.url("delete", a)), role in ("scoped", "admin"), "delete form (in scope)")
    expect(c.get(m.url("edit", b)), can_write, "edit form (out of scope)")
    expect(c.get(m.url("delete", b)), can_write, "delete form (out of scope)")

    # List, export and search show exactly the rows the role may see.
    listing = c.get(m.url("list")).content.decode()
    assert (b.get_absolute_url() in listing) is full_read, "list shows the rows the role may see"
    exported = json.loads(c.get(m.url("list") + "?export=json").content)
    assert len(exported) == (m.model._default_manager.count() if full_read else 1), "export rows"
    if role == "scoped":
        assert b.get_absolute_url() not in listing, "list leaks an out-of-scope row"
        assert b.get_absolute_url() not in c.get(reverse("search"), {"q": str(b)}).content.decode()
        csv_rows = (
            b"".join(c.get(m.url("list") + "?export=csv").streaming_content).decode().strip().splitlines()
        )
        assert len(csv_rows) == 2, "CSV export: header + the one row in scope"

    # Writes on the out-of-scope row: refused and nothing changes.
    if not can_write:
        expect(c.post(m.url("edit", b), {}), False, "POST edit (out of scope)")
        expect(c.post(m.url("delete", b)), False, "POST delete (out of scope)")
        expect(c.post(m.url("add"), {}), False, "POST add")
        expect(c.post(m.url("import"), {"data": "", "format": "csv"}), False, "POST import")
        bulk_edit = c.post(m.url("bulk_edit"), {"pk": [b.pk], "_apply": "1"})
        bulk_delete = c.post(m.url("bulk_delete"), {"pk": [b.pk], "_confirm": "1"})
        if role == "readonly":
            expect(bulk_edit, 403, "bulk edit")
            expect(bulk_delete, 403, "bulk delete")
        else:
            assert bulk_edit.status_code < 500 and bulk_delete.status_code < 500
        assert m.exists(b), "an out-of-scope row was deleted"
        assert m.stamp(b) == outside_before, "an out-of-scope row was modified"

    if role in ("scoped", "admin"):
        # The row in scope can be deleted (or is protected by its dependants: never a server error).
        response = c.post(m.url("delete", a))
        assert response.status_code == 302
    if role == "admin":
        response = c.post(m.url("bulk_delete"), {"pk": [b.pk], "_confirm": "1"})
        assert response.status_code == 302


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("label", MODELS)
def test_api_endpoints(label: str, role: str) -> None:
    if registry.models[label].viewset is None:
        pytest.skip("no API")
    m = Matrix(label, role)
    c, a, b = m.api, m.inside, m.outside
    outside_before = m.stamp(b)
    js = "application/json"

    if role == "anonymous":
        for method, url in (
            ("get", m.api_url()),
            ("get", m.api_url(a)),
            ("post", m.api_url()),
            ("patch", m.api_url(a)),
            ("put", m.api_url(a)),
            ("delete", m.api_url(a)),
            ("patch", m.api_url()),
            ("delete", m.api_url()),
        ):
            body = {} if method == "get" else {"data": json.dumps([{"id": a.pk}]), "content_type": js}
            response = getattr(c, method)(url, **body)
            assert response.status_code in DENIED, f"anonymous {method.upper()} {url}: {response.status_code}"
        assert m.exists(a) and m.stamp(b) == outside_before
        return

    full_read = role in ("readonly", "admin")
    listing = c.get(m.api_url(), {"limit": 500})
    assert listing.status_code == 200
    ids = {row["id"] for row in listing.json()["results"]}
    assert a.pk in ids
    assert (b.pk in ids) is full_read, "API list scope"
    assert c.get(m.api_url(a)).status_code == 200
    assert c.get(m.api_url(b)).status_code == (200 if full_read else 404)
    # Filtering by id cannot reach a row outside the grant either.
    filtered = c.get(m.api_url(), {"id": f"{a.pk},{b.pk}"}).json()["results"]
    assert len(filtered) == (2 if full_read else 1)

    if "patch" not in registry.models[label].viewset.http_method_names:
        # A read-only endpoint (e.g. SLA clocks, run by their engine): every write is refused.
        for method, url in (("post", m.api_url()), ("patch", m.api_url(b)), ("delete", m.api_url(a))):
            response = getattr(c, method)(url, data="{}", content_type=js)
            assert response.status_code in (403, 405), f"{method.upper()} {url}: {response.status_code}"
        assert m.exists(a) and m.stamp(b) == outside_before
        return

    if role == "admin":
        # Saving a row unchanged succeeds (unless the row itself breaks a rule: a clear 400).
        ok = 200 if is_valid(b) else 400
        patched = c.patch(m.api_url(b), data="{}", content_type=js)
        assert patched.status_code == ok, patched.content
        bulk = c.patch(m.api_url(), data=json.dumps([{"id": b.pk}]), content_type=js)
        assert bulk.status_code == ok, bulk.content
        created = c.post(m.api_url(), data="{}", content_type=js)
        assert created.status_code in (201, 400), created.status_code
        deleted = c.delete(m.api_url(a))
        assert deleted.status_code in (204, 409)
        return

    denied_outside = 403 if role == "readonly" else 404
    assert c.post(m.api_url(), data="{}", content_type=js).status_code == 403, "create"
    assert c.post(m.api_url(), data="[{}]", content_type=js).status_code == 403, "bulk create"
    assert c.patch(m.api_url(b), data="{}", content_type=js).status_code == denied_outside, "update"
    assert c.put(m.api_url(b), data="{}", content_type=js).status_code == denied_outside, "replace"
    assert c.delete(m.api_url(b)).status_code == denied_outside, "delete"
    bulk_body = json.dumps([{"id": b.pk}])
    bulk_expected = 403 if role == "readonly" else 400
    assert c.patch(m.api_url(), data=bulk_body, content_type=js).status_code == bulk_expected, "bulk update"
    assert c.put(m.api_url(), data=bulk_body, content_type=js).status_code == bulk_expected, "bulk replace"
    assert c.delete(m.api_url(), data=bulk_body, content_type=js).status_code == bulk_expected, "bulk delete"
    # A bulk request mixing an allowed and a forbidden id is refused as a whole.
    mixed = json.dumps([{"id": a.pk}, {"id": b.pk}])
    assert c.delete(m.api_url(), data=mixed, content_type=js).status_code == bulk_expected
    assert m.exists(a) and m.exists(b), "a row was deleted"
    assert m.stamp(b) == outside_before, "an out-of-scope row was modified"

    if role == "scoped":
        ok = 200 if is_valid(a) else 400
        assert c.patch(m.api_url(a), data="{}", content_type=js).status_code == ok, "update in scope"
        assert c.delete(m.api_url(a)).status_code in (204, 409), "delete in scope"
    else:
        assert c.patch(m.api_url(a), data="{}", content_type=js).status_code == 403
        assert c.delete(m.api_url(a)).status_code == 403
