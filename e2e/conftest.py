"""Fixtures for the browser tests: Debian's Chromium driven by Playwright against ``live_server``.

Playwright's sync API runs an event loop in the test thread, so Django's ORM needs
``DJANGO_ALLOW_ASYNC_UNSAFE`` (the Makefile sets it; it is set here too for direct runs).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("STEWARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "correct-horse-battery"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM}: apt-get install -y chromium")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="steward-chromium-")
    with sync_playwright() as pw:
        # A persistent context is the only way to hand Chromium its own --user-data-dir.
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport={"width": 1280, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    """A fresh tab with no cookies or stored preferences, failing on any browser-side error."""
    browser.clear_cookies()
    page = browser.new_page()
    page.set_default_timeout(10_000)
    # CI machines are small and busy: give HTMX swaps and assertions the same patience.
    from playwright.sync_api import expect

    expect.set_options(timeout=10_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(f"page error: {exc}"))

    def on_console(msg: Any) -> None:
        # A 4xx page (a refused login, a form with errors) is logged as a failed load; the
        # response handler below judges sub-resources, the tests judge documents.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            errors.append(f"console {msg.type}: {msg.text}")

    def on_response(response: Any) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            errors.append(f"HTTP {response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.goto(live_server.url + "/login/")
    page.evaluate("localStorage.clear()")
    yield page
    page.close()
    assert not errors, errors


@pytest.fixture
def admin_user(transactional_db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser("admin", "admin@example.org", PASSWORD)


def log_in(page: Any, base_url: str, username: str = "admin", password: str = PASSWORD) -> None:
    page.goto(base_url + "/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture
def logged_in(page: Any, live_server: Any, admin_user: Any) -> Any:
    log_in(page, live_server.url)
    page.wait_for_url(live_server.url + "/")
    return page
