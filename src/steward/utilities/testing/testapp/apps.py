from django.apps import AppConfig


class TestAppConfig(AppConfig):
    name = "steward.utilities.testing.testapp"
    label = "testapp"
    verbose_name = "Test app"

    def ready(self) -> None:
        from steward.core import workflow
        from steward.core.registry import registry
        from steward.utilities.testing.testapp import ui
        from steward.utilities.testing.testapp.models import Ticket

        registry.workflow_guards["testapp_not_frozen"] = ui.not_frozen
        registry.workflow_side_effects["testapp_record"] = ui.record_effect
        workflow.register_workflow("testapp.ticket", ui.TICKET_WORKFLOW, model=Ticket)
        registry.register(Ticket, views=ui.TicketViews, viewset=ui.TicketViewSet)
