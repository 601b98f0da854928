"""The Kanban board in a browser: drag a card to the next column and see it stay there after a reload;
drag it where the workflow does not allow and see it come back with the reason; re-rank the backlog."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from steward.projects.models import BacklogItem, Project, Sprint

pytestmark = pytest.mark.e2e


@pytest.fixture
def board(transactional_db):
    project = Project.objects.create(name="Customer app", methodology="agile", start_date=dt.date(2027, 3, 1))
    sprint = Sprint.objects.create(project=project, name="Sprint 1", start_date=dt.date(2027, 3, 1),
                                   end_date=dt.date(2027, 3, 14))  # fmt: skip
    first = BacklogItem.objects.create(
        project=project, sprint=sprint, title="Sign up", story_points=5, rank=10
    )
    second = BacklogItem.objects.create(project=project, title="Pay by card", story_points=3, rank=20)
    third = BacklogItem.objects.create(project=project, title="Dark mode", story_points=1, rank=30)
    return {"project": project, "sprint": sprint, "items": [first, second, third]}


def test_drag_a_card_across_the_board_and_it_persists(logged_in, live_server, board):
    page = logged_in
    project, item = board["project"], board["items"][0]
    page.goto(f"{live_server.url}{project.get_absolute_url()}board/?sprint={board['sprint'].pk}")
    card = page.locator(f'[data-card="{item.pk}"]')
    expect(page.locator('[data-column="backlog"]').locator(card)).to_be_visible()

    card.drag_to(page.locator('[data-column="ready"]'))
    expect(page.get_by_role("status")).to_contain_text(f"{item.reference} moved to Ready")
    expect(page.locator('[data-column="ready"]').locator(f'[data-card="{item.pk}"]')).to_be_visible()
    item.refresh_from_db()
    assert item.state == "ready"

    page.reload()
    expect(page.locator('[data-column="ready"]').locator(f'[data-card="{item.pk}"]')).to_be_visible()

    # Ready → Done skips the workflow: refused, the card is drawn back where it was, the reason shown.
    page.locator(f'[data-card="{item.pk}"]').drag_to(page.locator('[data-column="done"]'))
    expect(page.get_by_role("alert")).to_contain_text("cannot move from Ready to Done")
    expect(page.locator('[data-column="ready"]').locator(f'[data-card="{item.pk}"]')).to_be_visible()
    item.refresh_from_db()
    assert item.state == "ready"


def test_drag_to_rerank_the_backlog(logged_in, live_server, board):
    page = logged_in
    project = board["project"]
    _first, second, third = board["items"]
    page.goto(f"{live_server.url}{project.get_absolute_url()}backlog/")
    page.locator(f'#backlog [data-card="{third.pk}"]').drag_to(page.locator(f'#backlog [data-card="{second.pk}"]'),
                                                              target_position={"x": 20, "y": 2})  # fmt: skip
    expect(page.locator("#backlog [data-card]").first).to_have_attribute("data-card", str(third.pk))
    page.wait_for_load_state("networkidle")
    ranked = list(
        BacklogItem.objects.filter(sprint__isnull=True).order_by("rank").values_list("title", flat=True)
    )
    assert ranked == ["Dark mode", "Pay by card"]
