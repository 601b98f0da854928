"""Builders of finance rows for the registry-driven tests; each side of the app keeps its own module."""

from steward.finance.tests import factories_ledger  # noqa: F401 - builders register themselves
