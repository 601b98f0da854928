"""Governance rules: stage gates from templates, their approval by named people, and promoting an
approved strategy initiative to a project.

Gate approvals reuse the workflow engine's approval votes (``WorkflowApproval``) with a small
approver policy: only the gate's approvers may approve or reject, every one of them must approve,
and one rejection sends the gate back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import workflow as wf
from steward.projects.choices import Methodology, ProjectStatus
from steward.projects.models import GateCriterion, GateTemplate, Project, StageGate

TEMPLATES_FILE = Path(__file__).parent / "data" / "gate_templates.yaml"


def person_of(user: Any) -> Any:
    """The org.Person linked to a user account, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from steward.org.models import Person

    return Person.objects.filter(user=user).first()


# --- templates ------------------------------------------------------------------------------------
@transaction.atomic
def load_gate_templates(*, path: Path = TEMPLATES_FILE, actor: Any = None) -> list[GateTemplate]:
    """Create or update the gate templates shipped as data (matched by name); all or nothing."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    out = []
    for n, row in enumerate(data.get("templates", []), start=1):
        template = GateTemplate.objects.filter(name=row.get("name", "")).first() or GateTemplate()
        template.name = row.get("name", "")
        template.methodology = row.get("methodology", Methodology.WATERFALL)
        template.description = row.get("description", "")
        template.stages = row.get("stages", [])
        try:
            template.full_clean()
        except ValidationError as exc:
            raise ValidationError(_("Template %(n)d (%(name)s): %(errors)s") % {
                "n": n, "name": template.name or "?", "errors": "; ".join(exc.messages)}) from None  # fmt: skip
        template.save()
        out.append(template)
    return out


@transaction.atomic
def apply_gate_template(*, project: Project, template: GateTemplate, actor: Any) -> list[StageGate]:
    """Give ``project`` the template's gates with their checklists; the sponsor approves by default.

    Refused (nothing created) if the project already has a gate of one of the template's names.
    """
    template.full_clean()
    existing = set(StageGate.objects.filter(project=project).values_list("name", flat=True))
    clash = [s["name"] for s in template.stages if s["name"] in existing]
    if clash:
        raise ValidationError(
            {"template": _("%(project)s already has the gate '%(gate)s'.") % {"project": project.reference,
                                                                              "gate": clash[0]}}
        )  # fmt: skip
    gates = []
    for order, stage in enumerate(template.stages, start=1):
        gate = StageGate(project=project, name=stage["name"], order=order * 10, opens=stage["opens"],
                         description=stage.get("description", ""))  # fmt: skip
        gate.full_clean()
        gate.save()
        GateCriterion.objects.bulk_create(
            GateCriterion(gate=gate, text=text, order=n * 10)
            for n, text in enumerate(stage.get("criteria", []), 1)
        )
        if project.sponsor_id:
            gate.approvers.add(project.sponsor_id)
        gates.append(gate)
    return gates


# --- approvals ------------------------------------------------------------------------------------
@wf.register_guard("projects.gate_ready")
def _gate_ready(*, obj: StageGate, actor: Any) -> Any:
    unmet = list(obj.criteria.filter(met=False).values_list("text", flat=True)[:3])
    if unmet:
        return _("Criteria not met yet: %(list)s.") % {"list": "; ".join(unmet)}
    if not obj.approvers.exists():
        return _("Name at least one approver first.")
    return True


class GateApproverPolicy(wf.ApproverPolicy):
    """The gate's approvers act on it; it is approved once every one of them has approved."""

    def may_act(self, *, obj: Any, actor: Any, transition: Any) -> bool:
        person = person_of(actor)
        return person is not None and obj.approvers.filter(pk=person.pk).exists()

    def record(self, *, obj: Any, actor: Any, transition: Any, approval: Any) -> bool:
        voters = set(wf.pending_approvals(obj, transition.name).values_list("approver_id", flat=True))
        needed = set(obj.approvers.exclude(user__isnull=True).values_list("user_id", flat=True))
        return needed <= voters


wf.register_approvers("projects.gate_approvers", GateApproverPolicy())


def request_gate_approval(*, gate: StageGate, actor: Any, comment: str = "") -> StageGate:
    """Submit the gate to its approvers (every criterion must be met)."""
    wf.transition(obj=gate, name="submit", actor=actor, comment=comment)
    return gate


def decide_gate(*, gate: StageGate, actor: Any, approve: bool, comment: str = "") -> wf.TransitionResult:
    """An approver approves or rejects the gate, with a comment (required to reject)."""
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say why the gate is rejected.")})
    return wf.transition(obj=gate, name="approve" if approve else "reject", actor=actor, comment=comment)


# --- promotion from strategy ----------------------------------------------------------------------
@transaction.atomic
def promote_initiative(
    *, initiative: Any, actor: Any, methodology: str = Methodology.HYBRID, manager: Any = None
) -> Project:
    """Create the project delivering an approved initiative and move the initiative to *in delivery*.

    The project takes the initiative's title, sponsor, currency and planned start, and its budget is
    the business case's total planned cost; it serves the initiative's objectives (linked and listed).
    Refused, with nothing created, unless the initiative is approved and has no project yet, or when
    the actor may not start its delivery.
    """
    from steward.strategy import services as strategy

    if initiative.state != "approved":
        raise ValidationError(
            {"initiative": _("Only an approved initiative can be promoted; %(ref)s is %(state)s.")
             % {"ref": initiative.reference, "state": initiative.workflow_state.label}}
        )  # fmt: skip
    existing = Project.objects.filter(initiative=initiative).first()
    if existing is not None:
        raise ValidationError(
            {"initiative": _("%(ref)s is already delivered by %(project)s.") % {"ref": initiative.reference,
                                                                                "project": existing}}
        )  # fmt: skip
    case = strategy.business_case(initiative)
    objectives = ", ".join(o.reference for o in initiative.objectives.order_by("pk"))
    description = initiative.summary or ""
    if objectives:
        description = f"{description}\n\n" + _("Serves objectives: %(list)s.") % {"list": objectives}
    project = Project(
        name=initiative.title[:200], initiative=initiative, sponsor=initiative.sponsor, manager=manager,
        methodology=methodology, status=ProjectStatus.PLANNING, budget=case.total_cost,
        currency=initiative.currency, start_date=initiative.start_date or timezone.localdate(),
        description=description.strip(),
    )  # fmt: skip
    project.full_clean()
    project.save()
    project.objectives.set(initiative.objectives.all())
    wf.transition(
        obj=initiative, name="start", actor=actor, data={"project": project.reference},
        comment=_("Promoted to project %(ref)s.") % {"ref": project.reference},
    )  # fmt: skip
    return project
