"""Cost centres, budgets, expenses and showback; vendors, contracts, licences and purchasing."""
