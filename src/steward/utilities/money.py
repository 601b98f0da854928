"""Money helpers: ISO 4217 currency codes and exact decimal rounding. Money is never a float."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CENT = Decimal("0.01")


@cache
def currency_codes() -> frozenset[str]:
    """Every active ISO 4217 alphabetic code."""
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def validate_currency(value: str) -> None:
    """Refuse anything but an ISO 4217 code (upper case, e.g. ``EUR``)."""
    if value not in currency_codes():
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code."), params={"value": value})


def quantize(amount: Decimal) -> Decimal:
    """Round to cents the way accountants do (half to even)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_EVEN)
