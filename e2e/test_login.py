"""Logging in, and what a wrong password looks like."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def test_wrong_password_shows_error_and_stays_on_login(page, live_server, admin_user):
    log_in(page, live_server.url, password="not-the-password")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("username or password is not right")
    expect(page).to_have_url(re.compile(r"/login/"))
    # The sidebar is only for people who are logged in.
    expect(page.get_by_role("navigation", name="Main navigation")).to_have_count(0)


def test_log_in_lands_on_home_with_styles_and_icons(page, live_server, admin_user):
    log_in(page, live_server.url, password=PASSWORD)
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    # Tabler's stylesheet really loaded: the primary button colour is not the browser default.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert "Inter" in font or "system-ui" in font or "apple-system" in font.lower(), font
    # The icon font loaded, so icons are glyphs rather than empty boxes.
    assert page.evaluate("document.fonts.check('16px tabler-icons')")
    page.wait_for_function(
        "[...document.fonts].some(f => f.family.includes('tabler-icons') && f.status === 'loaded')"
    )
    expect(page.get_by_role("navigation", name="Sections").get_by_role("link", name="People")).to_be_visible()
