"""RAID log and status report rules: escalating a project risk to the risk register, freezing a report."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from steward.core import workflow as wf
from steward.projects.choices import RaidType
from steward.projects.models import RaidItem, StatusReport
from steward.projects.services import earned_value

EVM_FIELDS = ("bac", "pv", "ev", "ac", "cpi", "spi", "eac")


@transaction.atomic
def escalate_risk(*, item: RaidItem, actor: Any) -> Any:
    """Copy a project risk into the GRC risk register and link the two; returns the register's risk.

    Probability and impact are carried over, capped to the register's default matrix scales.
    Escalating twice is refused (the link already exists).
    """
    from steward.grc import services as grc_services
    from steward.grc.models import Risk

    item = RaidItem.objects.select_for_update().get(pk=item.pk)
    if item.type != RaidType.RISK:
        raise ValidationError({"type": _("Only a risk can be escalated to the risk register.")})
    if item.grc_risk_id:
        raise ValidationError(
            {"grc_risk": _("Already escalated as %(ref)s.") % {"ref": item.grc_risk.reference}}
        )
    matrix = grc_services.default_matrix()
    if matrix is None:
        raise ValidationError({"grc_risk": _("The risk register has no risk matrix yet.")})
    risk = Risk(
        title=item.title[:300],
        description=_("Escalated from project %(project)s (%(ref)s).\n\n%(text)s")
        % {"project": item.project, "ref": item.reference, "text": item.description},
        category=_("Project"),
        owner_id=item.owner_id,
        matrix=matrix,
        inherent_likelihood=min(item.probability or 1, len(matrix.likelihood) or 1),
        inherent_impact=min(item.impact or 1, len(matrix.impact) or 1),
    )
    risk.full_clean()
    risk.save()
    item.grc_risk = risk
    item.save(update_fields=["grc_risk", "last_updated"])
    return risk


def freeze_status_report(*, report: StatusReport) -> StatusReport:
    """Copy the project's earned value at the report date into the report (done once, on publish)."""
    evm = earned_value(project=report.project, status_date=report.period_end)
    for name in EVM_FIELDS:
        setattr(report, name, getattr(evm, name))
    report.published_at = timezone.now()
    report.save(update_fields=[*EVM_FIELDS, "published_at", "last_updated"])
    return report


@wf.register_action("projects.freeze_status_report")
def _freeze_on_publish(*, obj: StatusReport, transition: Any, actor: Any, history: Any) -> None:
    freeze_status_report(report=obj)


def publish_status_report(*, report: StatusReport, actor: Any, comment: str = "") -> StatusReport:
    """Publish (freezing the EV figures); from then on the report is read-only."""
    wf.transition(obj=report, name="publish", actor=actor, comment=comment)
    report.refresh_from_db()
    return report


def check_key_risks(*, project: Any, risks: Any) -> None:
    """Key risks of a report are risks from the same project's RAID log."""
    wrong = [r for r in risks if r.project_id != getattr(project, "pk", project) or r.type != RaidType.RISK]
    if wrong:
        raise ValidationError(
            {
                "key_risks": _("Not a risk of this project: %(refs)s.")
                % {"refs": ", ".join(r.reference for r in wrong)}
            }
        )


def check_linked_tasks(*, project: Any, tasks: Any) -> None:
    """Tasks linked to a RAID item belong to its project."""
    wrong = [t for t in tasks if t.project_id != getattr(project, "pk", project)]
    if wrong:
        raise ValidationError(
            {
                "tasks": _("These tasks belong to another project: %(names)s.")
                % {"names": ", ".join(map(str, wrong))}
            }
        )
