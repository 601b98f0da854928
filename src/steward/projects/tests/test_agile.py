"""Agile rules: the story-point scale, sprints (one active, close with carry-over), board moves under the
workflow and WIP limits, backlog ranking, burndown and velocity — and their pages and endpoints."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from steward.core.models.workflow import WorkflowHistory
from steward.core.workflow import TransitionForbidden, TransitionNotAllowed, transition
from steward.projects import services_agile as agile
from steward.projects.models import BacklogItem, Project, Sprint, WipLimit
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db
START = dt.date(2027, 3, 1)


@pytest.fixture
def admin(db):
    return make_user("boss", superuser=True)


@pytest.fixture
def team(db):
    project = Project.objects.create(name="App", start_date=START, methodology="agile")
    one = Sprint.objects.create(
        project=project, name="S1", start_date=START, end_date=START + dt.timedelta(4)
    )
    two = Sprint.objects.create(project=project, name="S2", start_date=START + dt.timedelta(7),
                                end_date=START + dt.timedelta(11))  # fmt: skip
    items = [
        BacklogItem.objects.create(project=project, sprint=one, title=f"I{n}", story_points=p, rank=n * 10)
        for n, p in enumerate((5, 3, 2), start=1)
    ]
    loose = BacklogItem.objects.create(project=project, title="Later", story_points=8, rank=40)
    return {"project": project, "one": one, "two": two, "items": items, "loose": loose}


def walk(item: BacklogItem, *states: str, actor) -> None:
    for state in states:
        agile.move_item(item=item, to_state=state, actor=actor)


# --- points scale ---------------------------------------------------------------------------------
@pytest.mark.parametrize("points", [4, 7, 21, 1000])
def test_story_points_off_the_scale_are_refused_naming_the_field(team, points):
    item = BacklogItem(project=team["project"], title="x", story_points=points)
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "story_points" in exc.value.message_dict
    assert "scale" in exc.value.message_dict["story_points"][0]


@pytest.mark.parametrize("points", [None, 0, 1, 2, 3, 5, 8, 13, 20, 40, 100])
def test_story_points_on_the_scale_are_accepted(team, points):
    BacklogItem(project=team["project"], title="x", story_points=points).full_clean()


def test_sprint_and_epic_must_belong_to_the_project(team):
    other = Project.objects.create(name="Other", start_date=START)
    foreign = Sprint.objects.create(project=other, name="F", start_date=START, end_date=START)
    item = BacklogItem(project=team["project"], title="x", sprint=foreign)
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "sprint" in exc.value.message_dict


# --- sprints --------------------------------------------------------------------------------------
def test_start_freezes_committed_points_and_only_one_sprint_is_active(team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    team["one"].refresh_from_db()
    assert team["one"].state == "active" and team["one"].committed_points == 10
    with pytest.raises(TransitionNotAllowed, match="S1"):
        agile.start_sprint(sprint=team["two"], actor=admin)
    assert Sprint.objects.get(pk=team["two"].pk).state == "planned"


def test_the_database_also_refuses_two_active_sprints(team):
    Sprint.objects.filter(pk=team["one"].pk).update(state="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        Sprint.objects.filter(pk=team["two"].pk).update(state="active")


def test_close_moves_unfinished_items_to_the_backlog_and_freezes_points(team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    first, second, third = team["items"]
    walk(first, "ready", "in_progress", "review", "done", actor=admin)
    walk(second, "ready", "in_progress", actor=admin)
    agile.close_sprint(sprint=team["one"], actor=admin)
    sprint = Sprint.objects.get(pk=team["one"].pk)
    assert (sprint.state, sprint.committed_points, sprint.completed_points) == ("closed", 10, 5)
    assert sprint.burndown["committed"] == 10 and sprint.burndown["labels"][0] == START.isoformat()
    assert list(sprint.items.values_list("pk", flat=True)) == [first.pk]
    assert set(BacklogItem.objects.filter(sprint__isnull=True).values_list("title", flat=True)) == {
        "I2", "I3", "Later"}  # fmt: skip
    assert BacklogItem.objects.get(pk=second.pk).state == "in_progress"  # the status is kept


def test_close_can_carry_unfinished_items_to_the_next_sprint(team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    agile.close_sprint(sprint=team["one"], actor=admin, carry_over_to=team["two"])
    assert set(team["two"].items.values_list("title", flat=True)) == {"I1", "I2", "I3"}
    assert Sprint.objects.get(pk=team["one"].pk).completed_points == 0


def test_carry_over_to_another_projects_sprint_is_refused_and_nothing_changes(team, admin):
    other = Project.objects.create(name="Other", start_date=START)
    foreign = Sprint.objects.create(project=other, name="F", start_date=START, end_date=START)
    agile.start_sprint(sprint=team["one"], actor=admin)
    with pytest.raises(ValidationError) as exc:
        agile.close_sprint(sprint=team["one"], actor=admin, carry_over_to=foreign)
    assert "carry_over_to" in exc.value.message_dict
    assert Sprint.objects.get(pk=team["one"].pk).state == "active"
    assert team["one"].items.count() == 3


def test_a_closed_sprint_takes_no_new_items(team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    agile.close_sprint(sprint=team["one"], actor=admin)
    team["loose"].sprint = team["one"]
    with pytest.raises(ValidationError) as exc:
        team["loose"].full_clean()
    assert "sprint" in exc.value.message_dict


# --- board moves ----------------------------------------------------------------------------------
def test_a_move_runs_the_workflow_transition_and_is_recorded(team, admin):
    item = team["items"][0]
    agile.move_item(item=item, to_state="ready", actor=admin)
    assert BacklogItem.objects.get(pk=item.pk).state == "ready"
    row = WorkflowHistory.objects.get(object_id=item.pk, content_type=ContentType.objects.get_for_model(item))
    assert (row.transition, row.from_state, row.to_state) == ("refine", "backlog", "ready")


def test_a_move_the_workflow_does_not_allow_is_refused_naming_the_columns(team, admin):
    item = team["items"][0]
    with pytest.raises(ValidationError) as exc:
        agile.move_item(item=item, to_state="done", actor=admin)
    message = exc.value.message_dict["state"][0]
    assert "Backlog" in message and "Done" in message and "Ready" in message
    assert BacklogItem.objects.get(pk=item.pk).state == "backlog"


def test_an_unknown_column_is_refused(team, admin):
    with pytest.raises(ValidationError, match="no column"):
        agile.move_item(item=team["items"][0], to_state="limbo", actor=admin)


def test_a_full_column_refuses_more_cards(team, admin):
    WipLimit.objects.create(project=team["project"], status="ready", limit=2)
    first, second, third = team["items"]
    walk(first, "ready", actor=admin)
    walk(second, "ready", actor=admin)
    with pytest.raises(ValidationError, match="WIP limit of 2"):
        agile.move_item(item=third, to_state="ready", actor=admin)
    assert BacklogItem.objects.get(pk=third.pk).state == "backlog"
    walk(first, "in_progress", actor=admin)  # a card leaves, so there is room again
    agile.move_item(item=third, to_state="ready", actor=admin)


def test_wip_limits_exist_only_on_working_columns(team):
    limit = WipLimit(project=team["project"], status="backlog", limit=3)
    with pytest.raises(ValidationError) as exc:
        limit.full_clean()
    assert "status" in exc.value.message_dict


def test_a_user_without_change_permission_cannot_move(team):
    viewer = make_user("viewer")
    grant(viewer, BacklogItem, "view")
    with pytest.raises(TransitionForbidden):
        agile.move_item(item=team["items"][0], to_state="ready", actor=viewer)
    assert BacklogItem.objects.get(pk=team["items"][0].pk).state == "backlog"


# --- ranking --------------------------------------------------------------------------------------
def test_rerank_orders_the_listed_items(team, admin):
    first, second, third = team["items"]
    agile.rerank(project=team["project"], ordered=[team["loose"].pk, third.pk, first.pk], actor=admin)
    ranks = dict(BacklogItem.objects.values_list("title", "rank"))
    assert ranks == {"Later": 10, "I3": 20, "I1": 30, "I2": 20}  # I2 was not listed: it keeps its rank


def test_rerank_refuses_foreign_or_repeated_ids_and_changes_nothing(team, admin):
    other = Project.objects.create(name="Other", start_date=START)
    stranger = BacklogItem.objects.create(project=other, title="S")
    with pytest.raises(ValidationError, match="Position 2"):
        agile.rerank(project=team["project"], ordered=[team["loose"].pk, stranger.pk], actor=admin)
    assert BacklogItem.objects.get(pk=team["loose"].pk).rank == 40
    with pytest.raises(ValidationError, match="twice"):
        agile.rerank(project=team["project"], ordered=[team["loose"].pk, team["loose"].pk], actor=admin)


def test_next_rank_is_after_every_item(team):
    assert agile.next_rank(team["project"]) == 50


# --- burndown and velocity ------------------------------------------------------------------------
def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=timezone.get_current_timezone())


def test_burndown_follows_the_workflow_history_per_day(team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    first, second, third = team["items"]
    walk(first, "ready", "in_progress", "review", "done", actor=admin)
    walk(second, "ready", "in_progress", "review", "done", "in_progress", actor=admin)  # reopened later
    ct = ContentType.objects.get_for_model(BacklogItem)
    rows = WorkflowHistory.objects.filter(content_type=ct)
    rows.filter(object_id=first.pk).update(time=_at(START + dt.timedelta(1)))
    done2 = rows.get(object_id=second.pk, to_state="done")
    WorkflowHistory.objects.filter(pk=done2.pk).update(time=_at(START + dt.timedelta(2)))
    rows.filter(object_id=second.pk).exclude(pk__gte=done2.pk).update(time=_at(START))
    rows.filter(object_id=second.pk, pk__gt=done2.pk).update(time=_at(START + dt.timedelta(3)))
    series = agile.burndown(team["one"], today=START + dt.timedelta(3))
    assert series["labels"] == [(START + dt.timedelta(n)).isoformat() for n in range(5)]
    assert series["ideal"] == [10.0, 7.5, 5.0, 2.5, 0.0]
    assert series["remaining"] == [10, 5, 2, 5, None]


def test_velocity_is_the_completed_points_of_the_last_closed_sprints(team):
    project = team["project"]
    Sprint.objects.filter(pk=team["one"].pk).update(state="closed", completed_points=8, committed_points=10)
    Sprint.objects.filter(pk=team["two"].pk).update(state="closed", completed_points=13, committed_points=13)
    speed = agile.velocity(project)
    assert speed == {"labels": ["S1", "S2"], "completed": [8, 13], "committed": [10, 13], "mean": 10.5}
    assert agile.velocity(project, last=1)["labels"] == ["S2"]
    assert agile.velocity(Project.objects.create(name="New", start_date=START))["mean"] is None


# --- pages and endpoints --------------------------------------------------------------------------
def move_url(project: Project) -> str:
    return reverse("projects:project_board_move", args=[project.pk])


def test_board_page_shows_the_columns_and_the_self_hosted_script(client, team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    client.force_login(admin)
    page = client.get(reverse("projects:project_board", args=[team["project"].pk])).content.decode()
    for state in ("backlog", "ready", "in_progress", "review", "done"):
        assert f'data-column="{state}"' in page
    assert f'data-card="{team["items"][0].pk}"' in page and f'data-card="{team["loose"].pk}"' not in page
    assert "projects/board.js" in page and "<script>" not in page


def test_board_move_endpoint_moves_and_redraws_the_board(client, team, admin):
    client.force_login(admin)
    item = team["items"][0]
    response = client.post(move_url(team["project"]), {"item": item.pk, "state": "ready", "sprint": "all"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    page = response.content.decode()
    assert page.startswith('<form id="board"') and "moved to Ready" in page
    assert BacklogItem.objects.get(pk=item.pk).state == "ready"


def test_board_move_refused_by_the_workflow_comes_back_with_the_reason(client, team, admin):
    client.force_login(admin)
    item = team["items"][0]
    response = client.post(move_url(team["project"]), {"item": item.pk, "state": "done", "sprint": "all"},
                           HTTP_HX_REQUEST="true")  # fmt: skip
    page = response.content.decode()
    assert 'role="alert"' in page and "cannot move from Backlog to Done" in page
    backlog_column = page.split('data-column="backlog"')[1].split('data-column="ready"')[0]
    assert f'data-card="{item.pk}"' in backlog_column
    assert BacklogItem.objects.get(pk=item.pk).state == "backlog"


def test_board_move_needs_sign_in_and_the_change_permission(client, team):
    item = team["items"][0]
    response = client.post(move_url(team["project"]), {"item": item.pk, "state": "ready"})
    assert response.status_code == 302 and "login" in response["Location"]
    viewer = make_user("viewer")
    grant(viewer, BacklogItem, "view")
    grant(viewer, Project, "view")
    client.force_login(viewer)
    assert client.post(move_url(team["project"]), {"item": item.pk, "state": "ready"}).status_code == 403
    assert BacklogItem.objects.get(pk=item.pk).state == "backlog"


def test_board_move_respects_constrained_permissions(client, team):
    """A user who may change only some items cannot move the others."""
    mover = make_user("mover")
    grant(mover, Project, "view")
    grant(mover, BacklogItem, "view", "change", constraints={"title": "I2"})
    client.force_login(mover)
    first, second, _third = team["items"]
    response = client.post(
        move_url(team["project"]), {"item": first.pk, "state": "ready"}, HTTP_HX_REQUEST="true"
    )
    assert "may not move" in response.content.decode()
    assert BacklogItem.objects.get(pk=first.pk).state == "backlog"
    client.post(move_url(team["project"]), {"item": second.pk, "state": "ready"}, HTTP_HX_REQUEST="true")
    assert BacklogItem.objects.get(pk=second.pk).state == "ready"


def test_backlog_page_and_rank_endpoint(client, team, admin):
    client.force_login(admin)
    page = client.get(reverse("projects:project_backlog", args=[team["project"].pk])).content.decode()
    assert (
        "data-sortable" in page
        and "Later" in page
        and "I1" not in page.split("data-sortable")[1].split("</form>")[0]
    )
    url = reverse("projects:project_backlog_rank", args=[team["project"].pk])
    extra = BacklogItem.objects.create(project=team["project"], title="Extra", rank=50)
    response = client.post(url, {"order": [extra.pk, team["loose"].pk]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert list(BacklogItem.objects.filter(sprint__isnull=True).values_list("title", flat=True)) == [
        "Extra",
        "Later",
    ]


def test_rank_endpoint_refuses_items_the_user_may_not_change(client, team):
    ranker = make_user("ranker")
    grant(ranker, Project, "view")
    grant(ranker, BacklogItem, "view", "change", constraints={"title": "Later"})
    client.force_login(ranker)
    extra = BacklogItem.objects.create(project=team["project"], title="Extra", rank=50)
    url = reverse("projects:project_backlog_rank", args=[team["project"].pk])
    page = client.post(url, {"order": [extra.pk, team["loose"].pk]}, HTTP_HX_REQUEST="true").content.decode()
    assert "may not re-rank" in page
    assert BacklogItem.objects.get(pk=extra.pk).rank == 50


def test_delivery_page_draws_velocity_and_burndown(client, team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    walk(team["items"][0], "ready", "in_progress", "review", "done", actor=admin)
    agile.close_sprint(sprint=team["one"], actor=admin, carry_over_to=team["two"])
    agile.start_sprint(sprint=team["two"], actor=admin)
    client.force_login(admin)
    page = client.get(reverse("projects:project_delivery", args=[team["project"].pk])).content.decode()
    assert 'id="velocity-data"' in page and 'id="burndown-data"' in page and "chart.umd.min.js" in page
    assert "Mean 5.0 points per sprint" in page


def test_api_move_and_burndown_and_velocity(client, team, admin):
    client.force_login(admin)
    item = team["items"][0]
    url = reverse("api:projects-backlogitem-move", kwargs={"pk": item.pk})
    response = client.post(url, {"state": "done"}, content_type="application/json")
    assert response.status_code == 400 and "state" in response.json()
    response = client.post(url, {"state": "ready"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "ready"
    burn = client.get(reverse("api:projects-sprint-burndown", kwargs={"pk": team["one"].pk})).json()
    assert burn["committed"] == 10 and len(burn["labels"]) == 5
    speed = client.get(reverse("api:projects-sprint-velocity") + f"?project={team['project'].pk}").json()
    assert speed["labels"] == [] and speed["mean"] is None
    assert client.get(reverse("api:projects-sprint-velocity") + "?project=x").status_code == 400


def test_api_move_without_change_permission_is_forbidden(client, team):
    viewer = make_user("viewer")
    grant(viewer, BacklogItem, "view")
    client.force_login(viewer)
    url = reverse("api:projects-backlogitem-move", kwargs={"pk": team["items"][0].pk})
    assert client.post(url, {"state": "ready"}, content_type="application/json").status_code == 403


def test_api_rank(client, team, admin):
    client.force_login(admin)
    url = reverse("api:projects-backlogitem-rank") + f"?project={team['project'].pk}"
    first = team["items"][0]
    response = client.post(url, {"order": [team["loose"].pk, first.pk]}, content_type="application/json")
    assert response.status_code == 200 and [r["rank"] for r in response.json()] == [10, 20]
    bad = client.post(url, {"order": [999999]}, content_type="application/json")
    assert bad.status_code == 400 and "order" in bad.json()


def test_generic_transition_close_asks_for_the_carry_over_sprint(team, admin):
    agile.start_sprint(sprint=team["one"], actor=admin)
    transition(obj=team["one"], name="close", actor=admin, data={"carry_over_to": team["two"].pk})
    assert team["two"].items.count() == 3


def test_demo_has_an_agile_project_with_velocity_and_a_live_burndown(client, admin):
    import random

    from steward.org.models import Person
    from steward.projects import demo, demo_agile

    for n in range(3):
        Person.objects.create(first_name=f"P{n}", last_name="Demo", email=f"p{n}@example.org")
    demo.load(rng=random.Random(2), scale=0.01)
    summary = demo_agile.load(rng=random.Random(2), scale=0.01)
    assert "24 backlog items, 3 sprints" in summary
    project = Project.objects.get(name="Customer app")
    speed = agile.velocity(project)
    assert speed["labels"] == ["Sprint 1", "Sprint 2"] and all(speed["completed"]) and speed["mean"]
    active = Sprint.objects.get(project=project, state="active")
    burn = agile.burndown(active)
    known = [r for r in burn["remaining"] if r is not None]
    assert known[0] == burn["committed"] and known[-1] < known[0]
    closed = Sprint.objects.filter(project=project, state="closed").first()
    assert closed.burndown["remaining"][-1] < closed.burndown["remaining"][0]
    assert project.gates.count() == 3
    client.force_login(admin)
    for tab in ("board", "backlog", "delivery", "gates"):
        assert client.get(f"{project.get_absolute_url()}{tab}/").status_code == 200
