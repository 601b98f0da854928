"""Finance's public services (what views, jobs, the API and other apps call).

The ledger rules live in ``services_ledger`` (periods, expenses, budgets, the roll-up) and
``services_allocation`` (depreciation, showback); this module re-exports them.
"""

from __future__ import annotations

from steward.finance.services_allocation import (  # noqa: F401
    book_depreciation,
    charge_for,
    cost_per_service,
    depreciation_report,
    driver_weights,
    pool_amount,
    run_allocation,
    run_allocations,
    schedule,
    split,
    tickets_per_service,
)
from steward.finance.services_ledger import (  # noqa: F401
    ConversionError,
    Figures,
    Rollup,
    add_budget_line,
    book_invoice,
    book_training_cost,
    convert,
    create_budget,
    create_fiscal_year,
    new_version,
    project_actual_cost,
    rate_on,
    record_expense,
    reference_rollup,
    rollup,
    set_forecast,
    set_period_closed,
    transition_version,
)
