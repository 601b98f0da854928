"""Innovation's home-page widgets: the idea funnel and the communications due."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from steward.core import workflow as wf
from steward.core.dashboards import render_widgets
from steward.innovation import models as m
from steward.innovation import services
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


def innovation_widgets(user) -> dict[str, dict]:
    found = {w["widget"].name: w for w in render_widgets(user) if w["widget"].name.startswith("innovation.")}
    assert not [name for name, w in found.items() if w["error"]], found
    return found


def test_funnel_and_communications_due():
    admin = make_user("admin", superuser=True)
    criteria = m.CriteriaSet.objects.create(name="Std")
    ideas = [services.submit_idea(title=f"Idea {n}", actor=admin) for n in range(4)]
    for idea, path in zip(ideas, (["evaluate", "pilot", "adopt"], ["evaluate", "pilot"], ["evaluate", "reject"], []),
                          strict=True):  # fmt: skip
        for step in path:
            data = {"criteria_set": criteria.pk} if step == "evaluate" else {}
            wf.transition(obj=idea, name=step, actor=admin, data=data)
    plan = m.ChangePlan.objects.create(title="Lockers")
    today = timezone.localdate()
    for days, subject in ((-1, "Missed yesterday"), (3, "In three days"), (20, "Next month")):
        m.CommunicationMessage.objects.create(plan=plan, send_on=today + dt.timedelta(days=days), subject=subject,
                                              body="b")  # fmt: skip

    widgets = innovation_widgets(admin)
    funnel = widgets["innovation.idea_funnel"]["data"]
    assert funnel["labels"] == ["New", "Evaluating", "Pilot", "Adopted"]
    now, reached = (d["data"] for d in funnel["datasets"])
    assert now == [1, 0, 1, 1]  # the rejected idea is in no stage now…
    assert reached == [4, 3, 2, 1]  # …but counts for the stages it reached
    due = widgets["innovation.communications_due"]["data"]["rows"]
    assert [row[1] for row in due] == ["Missed yesterday", "In three days"]
    assert due[0][2] == plan.reference

    assert innovation_widgets(make_user("nobody")) == {}
    limited = make_user("limited")
    grant(limited, m.Idea, "view", constraints={"title__in": ["Idea 0", "Idea 3"]})
    widgets = innovation_widgets(limited)
    assert set(widgets) == {"innovation.idea_funnel"}
    assert [d["data"] for d in widgets["innovation.idea_funnel"]["data"]["datasets"]] == [[1, 0, 0, 1],
                                                                                         [2, 1, 1, 1]]  # fmt: skip
