from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "steward.finance"
    label = "finance"
    verbose_name = _("Budgets, costs and sourcing")

    def ready(self) -> None:
        """Register models, menus, workflows and demo data with the core registry."""
        register_ledger()
        from steward.finance.registration_sourcing import register_sourcing

        register_sourcing()
        from steward.finance.services_ledger import book_training_cost
        from steward.talent import services as talent_services

        if book_training_cost not in talent_services.COMPLETION_HOOKS:
            talent_services.COMPLETION_HOOKS.append(book_training_cost)


def register_ledger() -> None:
    """The ledger side: cost centres, periods, rates, budgets, expenses, depreciation, showback."""
    from steward.core.dashboards import register_widget
    from steward.core.registry import MenuItem, registry
    from steward.core.workflow import register_workflow
    from steward.finance import (  # noqa: F401 - services and jobs register their actions and jobs
        dashboard_ledger,
        demo_ledger,
        jobs_ledger,
        search_ledger,
        services,
        views_ledger,
        workflows_ledger,
    )
    from steward.finance.api import views_ledger as api
    from steward.finance.models import (
        AccountCategory,
        AllocationResult,
        AllocationRule,
        AllocationShare,
        AssetDepreciation,
        Budget,
        BudgetLine,
        BudgetVersion,
        CostCentre,
        ExchangeRate,
        Expense,
        FiscalPeriod,
        FiscalYear,
        Forecast,
    )

    views = views_ledger
    register_workflow("finance.budgetversion", workflows_ledger.BUDGET_VERSION, model=BudgetVersion)
    registry.demo_loaders.append((60, demo_ledger.load))
    for widget in dashboard_ledger.WIDGETS:
        register_widget(widget)
    group, config = "Finance", "Finance settings"
    registry.menu_group(group, icon="coin", weight=7)
    registry.menu_group(config, icon="adjustments-dollar", weight=8)
    for model, view, viewset, menu, icon, spec in (
        (Budget, views.BudgetViews, api.BudgetViewSet, (group, "Budgets"), "report-money", search_ledger.BUDGET),
        (BudgetVersion, views.BudgetVersionViews, api.BudgetVersionViewSet, (group, "Budget versions"), "versions",
         None),
        (BudgetLine, views.BudgetLineViews, api.BudgetLineViewSet, None, "list-details", None),
        (Forecast, views.ForecastViews, api.ForecastViewSet, (group, "Forecasts"), "trending-up", None),
        (Expense, views.ExpenseViews, api.ExpenseViewSet, (group, "Expenses"), "receipt", search_ledger.EXPENSE),
        (AssetDepreciation, views.AssetDepreciationViews, api.AssetDepreciationViewSet, (group, "Depreciation"),
         "trending-down", None),
        (AllocationRule, views.AllocationRuleViews, api.AllocationRuleViewSet, (group, "Allocation rules"),
         "arrows-split", None),
        (AllocationShare, views.AllocationShareViews, api.AllocationShareViewSet, None, "percentage", None),
        (AllocationResult, views.AllocationResultViews, api.AllocationResultViewSet, None, "chart-pie", None),
        (CostCentre, views.CostCentreViews, api.CostCentreViewSet, (config, "Cost centres"), "building-bank",
         search_ledger.COST_CENTRE),
        (AccountCategory, views.AccountCategoryViews, api.AccountCategoryViewSet, (config, "Account categories"),
         "category", None),
        (FiscalYear, views.FiscalYearViews, api.FiscalYearViewSet, (config, "Fiscal years"), "calendar", None),
        (FiscalPeriod, views.FiscalPeriodViews, api.FiscalPeriodViewSet, (config, "Fiscal periods"),
         "calendar-month", None),
        (ExchangeRate, views.ExchangeRateViews, api.ExchangeRateViewSet, (config, "Exchange rates"), "exchange",
         None),
    ):  # fmt: skip
        registry.register(model, views=view, viewset=viewset, menu=menu, icon=icon, search=spec)
    registry.menu_group(group).items.extend(
        [
            MenuItem("Budget vs actual", "finance:budget_report", "finance.view_budget", "chart-bar"),
            MenuItem("Depreciation report", "finance:assetdepreciation_report", "finance.view_assetdepreciation",
                     "calendar-dollar"),
            MenuItem("Showback", "finance:allocationrule_run", "finance.view_allocationrule", "chart-pie"),
        ]
    )  # fmt: skip
