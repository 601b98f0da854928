"""Currency conversion over the exchange-rate table.

A rate row says one unit of ``from_currency`` buys ``rate`` units of ``to_currency`` from its
``valid_from`` date on. ``convert`` uses the latest rate on or before the date; when only the
opposite direction is stored it divides by that one. There is no triangulation through a third
currency: a missing pair is refused, naming both currencies and the date, so nobody books an
amount at a rate they never entered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from steward.finance.models.ledger import ExchangeRate
from steward.utilities.money import currency_codes, quantize


class ConversionError(ValueError):
    """A currency is unknown or no rate covers the pair on the date."""


def rate_on(from_currency: str, to_currency: str, on: dt.date) -> Decimal:
    """How many ``to_currency`` one ``from_currency`` buys on ``on`` (unrounded)."""
    for code in (from_currency, to_currency):
        if code not in currency_codes():
            raise ConversionError(_("%(code)s is not an ISO 4217 currency code.") % {"code": code})
    if from_currency == to_currency:
        return Decimal(1)
    direct = (
        ExchangeRate.objects.filter(from_currency=from_currency, to_currency=to_currency, valid_from__lte=on)
        .order_by("-valid_from")
        .values_list("rate", "valid_from")
        .first()
    )
    inverse = (
        ExchangeRate.objects.filter(from_currency=to_currency, to_currency=from_currency, valid_from__lte=on)
        .order_by("-valid_from")
        .values_list("rate", "valid_from")
        .first()
    )
    # Both directions stored: the more recent one wins; a tie goes to the direct rate.
    if direct and (not inverse or direct[1] >= inverse[1]):
        return direct[0]
    if inverse:
        return Decimal(1) / inverse[0]
    raise ConversionError(
        _("No exchange rate from %(from)s to %(to)s on or before %(date)s.")
        % {"from": from_currency, "to": to_currency, "date": on.isoformat()}
    )


def convert(amount: Decimal, from_currency: str, to_currency: str, on: dt.date) -> Decimal:
    """``amount`` in ``from_currency`` expressed in ``to_currency`` on ``on``, rounded to cents."""
    return quantize(amount * rate_on(from_currency, to_currency, on))
