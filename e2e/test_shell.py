"""The shell around every page: theme, keyboard shortcuts, navigation, small screens."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def background(page):
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_toggle_persists_across_pages_and_reloads(logged_in, live_server):
    page = logged_in
    html = page.locator("html")
    expect(html).to_have_attribute("data-bs-theme", "light")
    light = background(page)
    page.get_by_role("button", name="Toggle dark mode").click()
    expect(html).to_have_attribute("data-bs-theme", "dark")
    assert background(page) != light

    page.reload()
    expect(html).to_have_attribute("data-bs-theme", "dark")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="People", exact=True).click()
    expect(page).to_have_url(re.compile(r"/org/people/$"))
    expect(html).to_have_attribute("data-bs-theme", "dark")
    assert background(page) != light

    page.get_by_role("button", name="Toggle dark mode").click()
    page.reload()
    expect(html).to_have_attribute("data-bs-theme", "light")


def test_profile_theme_overrides_the_browser_toggle(logged_in, live_server):
    page = logged_in
    html = page.locator("html")
    page.get_by_role("button", name="Toggle dark mode").click()
    expect(html).to_have_attribute("data-bs-theme", "dark")
    page.goto(live_server.url + "/account/")
    page.get_by_label("Theme").select_option("light")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_role("status")).to_contain_text("Preferences saved")
    expect(html).to_have_attribute("data-bs-theme", "light")
    page.goto(live_server.url + "/")
    expect(html).to_have_attribute("data-bs-theme", "light")


def test_question_mark_lists_shortcuts_and_escape_closes(logged_in):
    page = logged_in
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_hidden()
    page.locator("body").press("?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Focus search")
    expect(dialog).to_contain_text("Show this list")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # The header button opens the same list for people who do not know the key.
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()


def test_n_adds_on_a_list_and_g_h_goes_home(logged_in, live_server):
    page = logged_in
    page.goto(live_server.url + "/org/teams/")
    page.locator("body").press("n")
    expect(page).to_have_url(re.compile(r"/org/teams/add/$"))
    page.locator("body").press("g")
    page.locator("body").press("h")
    expect(page).to_have_url(live_server.url + "/")


def test_shortcuts_do_not_fire_while_typing(logged_in, live_server):
    page = logged_in
    page.goto(live_server.url + "/org/people/")
    quick = page.get_by_role("searchbox", name="Quick search")
    quick.click()
    page.keyboard.type("a/b?n")
    expect(quick).to_have_value("a/b?n")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/org/people/"))
    expect(page).not_to_have_url(re.compile(r"/add/"))


def test_navigation_comes_from_the_apps_and_marks_the_current_page(logged_in, live_server):
    page = logged_in
    nav = page.get_by_role("navigation", name="Sections")
    expect(nav.get_by_text("Organisation", exact=True)).to_be_visible()
    for label in ("People", "Teams", "Departments", "Locations", "Organisations"):
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    nav.get_by_role("link", name="Teams", exact=True).click()
    expect(nav.get_by_role("link", name="Teams", exact=True)).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="People", exact=True)).not_to_have_attribute("aria-current", "page")


def test_small_screen_collapses_the_sidebar_behind_a_toggle(logged_in, live_server):
    page = logged_in
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/org/people/")
    people = page.get_by_role("navigation", name="Sections").get_by_role("link", name="People", exact=True)
    expect(people).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    expect(people).to_be_visible()
    # Nothing is wider than the screen except the table, which scrolls inside its card.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, overflow
    page.get_by_role("button", name="Toggle dark mode").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")


UNNAMED_CONTROLS = """() => [...document.querySelectorAll('input, select, textarea, button')]
  .filter(el => el.type !== 'hidden' && !el.hidden && !el.classList.contains('tomselected'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby') && !(el.tagName === 'BUTTON' && el.textContent.trim()))
  .map(el => el.outerHTML.slice(0, 120))"""


def test_every_control_has_a_name_and_every_page_one_h1(logged_in, live_server):
    from steward.org.models import Person

    page = logged_in
    person = Person.objects.create(first_name="Ada", last_name="Lovelace", email="ada@example.org")
    for path in (
        "/",
        "/org/people/",
        "/org/people/add/",
        f"/org/people/{person.pk}/",
        f"/org/people/{person.pk}/edit/",
        f"/org/people/{person.pk}/history/",
        "/org/people/import/",
        "/search/?q=ada",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate(UNNAMED_CONTROLS) == [], path
        expect(page.locator("h1")).to_have_count(1)
        expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_enhanced_select_opens_an_opaque_searchable_list(logged_in, live_server, theme):
    from steward.org.models import Person

    page = logged_in
    Person.objects.bulk_create(
        Person(first_name=f"P{i}", last_name="Example", email=f"p{i}@example.org") for i in range(12)
    )
    page.emulate_media(color_scheme=theme)
    page.goto(live_server.url + "/org/people/add/")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", theme)
    manager = page.get_by_role("combobox", name="Manager")
    manager.click()
    dropdown = page.locator(".ts-dropdown:visible")
    expect(dropdown).to_have_count(1)
    assert dropdown.evaluate("el => getComputedStyle(el).backgroundColor") not in (
        "rgba(0, 0, 0, 0)",
        "transparent",
    )
    manager.fill("P11")
    # Only the combobox's list is exposed, not the hidden native select behind it.
    page.get_by_role("option", name="P11 Example").click()
    expect(page.locator("#id_manager")).to_have_value(str(Person.objects.get(first_name="P11").pk))
