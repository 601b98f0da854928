"""The service desk's registrations, called from ``ItsmConfig.ready()`` in one line."""

from __future__ import annotations

DESK = "Service management"
CONFIG = "Service management settings"


def ready() -> None:
    from steward.core.dashboards import register_widget
    from steward.core.registry import MenuItem, registry
    from steward.itsm.models import (
        AssignmentRule,
        CannedResponse,
        MailboxSettings,
        MailIntakeRule,
        MailMessage,
    )
    from steward.itsm.servicedesk import api, dashboard, demo, jobs, views  # noqa: F401 - jobs register themselves

    for model, view, viewset, menu, icon in (
        (AssignmentRule, views.AssignmentRuleViews, api.AssignmentRuleViewSet, (CONFIG, "Assignment rules"),
         "route"),
        (CannedResponse, views.CannedResponseViews, api.CannedResponseViewSet, (CONFIG, "Canned responses"),
         "message-2"),
        (MailMessage, views.MailMessageViews, api.MailMessageViewSet, (CONFIG, "Mail messages"), "mail"),
        (MailboxSettings, views.MailboxSettingsViews, api.MailboxSettingsViewSet, (CONFIG, "Mailboxes"),
         "mailbox"),
        (MailIntakeRule, views.MailIntakeRuleViews, api.MailIntakeRuleViewSet, (CONFIG, "Mail intake rules"),
         "filter"),
    ):  # fmt: skip
        registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon)
    desk = registry.menu_group(DESK)
    desk.items[0:0] = [
        MenuItem("My work", "itsm:incident_my_work", "itsm.view_incident", "user-check"),
        MenuItem("Team queues", "itsm:incident_queues", "itsm.view_incident", "stack-2"),
        MenuItem("Reports", "itsm:incident_report", "itsm.view_incident", "chart-bar"),
    ]
    for widget in dashboard.WIDGETS:
        register_widget(widget)
    registry.demo_loaders.append((31, demo.load))
    registry.demo_loaders.append((36, demo.load_intake_rules))  # after the catalogue (35)
