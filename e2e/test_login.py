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


def test_log_in_lands_on_home_with_styles_scripts_and_icons(page, live_server, admin_user):
    page.goto(live_server.url + "/login/")
    # Tabler's stylesheet and ours both loaded (no unstyled page behind a 404 or a CSP block).
    assert page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--tblr-primary')")
    required_mark = page.evaluate(
        "getComputedStyle(document.querySelector('label.required'), '::after').content"
    )
    assert "*" in required_mark, required_mark
    assert page.evaluate("getComputedStyle(document.querySelector('.btn-primary')).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "rgb(239, 239, 239)",
    )

    log_in(page, live_server.url, password=PASSWORD)
    page.wait_for_url(live_server.url + "/")
    expect(page.get_by_role("heading", name="Home", level=1)).to_be_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('.steward-search')).maxWidth") == "512px"
    # Scripts ran: Tabler's components, HTMX and tom-select are present.
    assert page.evaluate("Boolean(window.tabler && window.tabler.Modal && window.htmx && window.TomSelect)")
    # The icon font loaded, so icons are glyphs rather than empty boxes.
    page.wait_for_function(
        "[...document.fonts].some(f => f.family.includes('tabler-icons') && f.status === 'loaded')"
    )
    expect(
        page.get_by_role("navigation", name="Sections").get_by_role("link", name="People", exact=True)
    ).to_be_visible()


def test_log_out_returns_to_the_login_page(logged_in, live_server):
    page = logged_in
    page.get_by_role("button", name="Open user menu").click()
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login/"))
    page.goto(live_server.url + "/org/people/")
    expect(page).to_have_url(re.compile(r"/login/\?next=/org/people/"))
