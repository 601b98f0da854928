"""A person's life in the UI: create, fix errors, edit, find, audit; bulk edit; CSV import."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from steward.org.choices import PersonStatus
from steward.org.models import Department, Organisation, Person

pytestmark = pytest.mark.e2e


def field_error(page, label):
    """The error text a field points at through aria-describedby, asserting it is wired up."""
    control = page.get_by_label(label, exact=True)
    expect(control).to_have_attribute("aria-invalid", "true")
    described = control.get_attribute("aria-describedby")
    assert described, f"{label} has errors but no aria-describedby"
    return page.locator(f"#{described.split()[-1]}")


def test_create_edit_search_and_see_history(logged_in, live_server):
    page = logged_in
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", name="People", level=1)).to_be_visible()
    page.get_by_role("link", name="Add").click()
    expect(page).to_have_url(re.compile(r"/org/people/add/$"))

    # Errors appear next to the fields that caused them, and the typed values survive.
    page.get_by_label("First name").fill("Ada")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(field_error(page, "Last name")).to_have_text("This field is required.")
    expect(field_error(page, "Email")).to_contain_text("valid email")
    expect(page.get_by_label("First name")).to_have_value("Ada")
    expect(page.get_by_label("First name")).not_to_have_attribute("aria-invalid", "true")
    assert not Person.objects.exists()

    page.get_by_label("Last name").fill("Lovelace")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Created person Ada Lovelace")
    expect(page.get_by_role("heading", name="Ada Lovelace", level=1)).to_be_visible()
    person = Person.objects.get(email="ada@example.org")
    assert page.url.endswith(person.get_absolute_url())

    # "e" opens the editor on a record.
    page.locator("body").press("e")
    expect(page).to_have_url(re.compile(rf"/org/people/{person.pk}/edit/$"))
    page.get_by_label("Title").fill("Analyst of Engines")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Updated person Ada Lovelace")
    person.refresh_from_db()
    assert person.title == "Analyst of Engines"

    # "/" focuses the global search box from anywhere that is not a text field.
    page.goto(live_server.url + "/")
    page.locator("body").press("/")
    search = page.get_by_role("searchbox", name="Search everything")
    expect(search).to_be_focused()
    page.keyboard.type("lovelace")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("lovelace")
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page).to_have_url(re.compile(rf"{person.get_absolute_url()}$"))

    page.get_by_role("link", name="History").click()
    expect(page).to_have_url(re.compile(r"/history/$"))
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    update = rows.filter(has_text="Update")
    expect(update).to_contain_text("Analyst of Engines")
    expect(update).to_contain_text("admin")
    expect(rows.filter(has_text="Create")).to_contain_text("ada@example.org")


def test_bulk_edit_selected_rows_changes_only_those_and_only_filled_fields(logged_in, live_server):
    page = logged_in
    org = Organisation.objects.create(name="Northwind", slug="northwind")
    ops = Department.objects.create(organisation=org, name="Operations", code="OPS")
    people = [
        Person.objects.create(first_name=n, last_name="Tester", email=f"{n.lower()}@example.org", status=s)
        for n, s in (
            ("Alice", PersonStatus.ACTIVE),
            ("Bruno", PersonStatus.LEFT),
            ("Chen", PersonStatus.ON_LEAVE),
        )
    ]
    page.goto(live_server.url + "/org/people/")
    expect(page.locator("table tbody tr")).to_have_count(3)
    # One selection column, not two.
    expect(page.locator("thead input[type=checkbox]")).to_have_count(1)

    page.get_by_role("row", name=re.compile("Alice")).get_by_role("checkbox").check()
    page.get_by_role("row", name=re.compile("Bruno")).get_by_role("checkbox").check()
    page.get_by_role("button", name="Edit selected").click()
    expect(page.get_by_role("heading", name="Edit 2 records")).to_be_visible()
    page.get_by_label("Title", exact=True).fill("Contractor")
    page.get_by_label("Department", exact=True).select_option(label="Operations")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_role("status")).to_contain_text("Updated 2 records.")
    expect(page).to_have_url(re.compile(r"/org/people/$"))
    alice, bruno, chen = (Person.objects.get(pk=p.pk) for p in people)
    assert (alice.title, alice.department, alice.status) == ("Contractor", ops, PersonStatus.ACTIVE)
    # Fields left empty on the bulk form are not touched, including choices with a default.
    assert (bruno.title, bruno.department, bruno.status) == ("Contractor", ops, PersonStatus.LEFT)
    assert (chen.title, chen.department, chen.status) == ("", None, PersonStatus.ON_LEAVE)


def test_select_all_checks_every_row(logged_in, live_server):
    page = logged_in
    for n in ("Dana", "Eli"):
        Person.objects.create(first_name=n, last_name="Tester", email=f"{n.lower()}@example.org")
    page.goto(live_server.url + "/org/people/")
    page.get_by_role("checkbox", name="Select all").check()
    boxes = page.locator("tbody input[name=pk]")
    expect(boxes).to_have_count(2)
    for i in range(2):
        expect(boxes.nth(i)).to_be_checked()


# No status column: new rows take the model's default, as the add form would.
CSV = """first_name,last_name,email,title
Grace,Hopper,grace@example.org,Rear Admiral
Alan,Turing,alan@example.org,Mathematician
"""


def test_import_csv_previews_then_confirms(logged_in, live_server):
    page = logged_in
    page.goto(live_server.url + "/org/people/")
    page.get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import people")).to_be_visible()
    page.get_by_label("Data").fill(CSV)
    page.get_by_role("button", name="Check (dry run)").click()

    preview = page.locator(".card", has=page.get_by_role("heading", name=re.compile("Preview")))
    expect(preview.get_by_role("heading")).to_contain_text("2 to create, 0 to update, 0 unchanged")
    expect(preview.locator("tbody tr")).to_have_count(2)
    expect(preview).to_contain_text("Grace Hopper")
    assert not Person.objects.exists(), "a dry run must not write"

    page.get_by_role("button", name="Confirm import").click()
    expect(page.get_by_role("status")).to_contain_text("Imported: 2 created, 0 updated, 0 unchanged.")
    expect(page.locator("table tbody tr")).to_have_count(2)
    alan = Person.objects.get(email="alan@example.org")
    assert (alan.title, alan.status) == ("Mathematician", PersonStatus.ACTIVE)


def test_import_with_a_bad_row_names_the_row_and_imports_nothing(logged_in, live_server):
    page = logged_in
    page.goto(live_server.url + "/org/people/import/")
    page.get_by_label("Data").fill(CSV + "Bad,Row,not-an-email,\n")
    page.get_by_role("button", name="Check (dry run)").click()
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Nothing was imported")
    # Rows are counted from the first data row, as the importer documents.
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody tr td").nth(0)).to_have_text("3")
    expect(problems.locator("tbody tr td").nth(1)).to_have_text("email")
    expect(page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert not Person.objects.exists()


def test_quick_search_and_sorting_update_the_table_in_place(logged_in, live_server):
    page = logged_in
    for first, last in (("Ada", "Lovelace"), ("Grace", "Hopper"), ("Alan", "Turing")):
        Person.objects.create(first_name=first, last_name=last, email=f"{first.lower()}@example.org")
    page.goto(live_server.url + "/org/people/")
    expect(page.locator("#record-count")).to_have_text("3 records")
    rows = page.locator("#object-table tbody tr")
    expect(rows.first).to_contain_text("Hopper")

    page.get_by_role("searchbox", name="Quick search").fill("turing")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Alan Turing")
    expect(page.locator("#record-count")).to_have_text("1 record")
    expect(page).to_have_url(re.compile(r"q=turing"))

    page.get_by_role("searchbox", name="Quick search").fill("")
    expect(rows).to_have_count(3)
    page.get_by_role("link", name="Name").click()
    expect(rows.first).to_contain_text("Hopper")
    page.get_by_role("link", name="Name").click()
    expect(rows.first).to_contain_text("Turing")
