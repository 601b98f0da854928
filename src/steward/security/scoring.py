"""CVSS 3.x and 4.0 vectors scored with the ``cvss`` package; bad vectors named precisely."""

from __future__ import annotations

from decimal import Decimal

from cvss import CVSS3, CVSS4
from cvss.exceptions import CVSSError as _LibraryError

from steward.security.choices import Severity


class CVSSError(ValueError):
    """A vector that is not valid CVSS; the message names the metric at fault."""


def score(vector: str, *, expect: str | None = None) -> tuple[Decimal, str]:
    """``(base score, severity)`` of a CVSS 3.0/3.1 or 4.0 vector; CVSSError when malformed.

    ``expect`` ("3" or "4") refuses a vector of the other version, so a 4.0 vector cannot be
    stored in the 3.1 field.
    """
    vector = (vector or "").strip()
    version = "4" if vector.startswith("CVSS:4.0/") else "3" if vector.startswith("CVSS:3.") else None
    if version is None:
        raise CVSSError(f"{vector!r}: a vector starts with CVSS:3.1/ (or 3.0) or CVSS:4.0/.")
    if expect and version != expect:
        raise CVSSError(f"{vector!r} is a CVSS {version} vector; this field takes CVSS {expect}.")
    try:
        if version == "4":
            parsed4 = CVSS4(vector)
            base = Decimal(str(parsed4.base_score))
        else:
            base = Decimal(str(CVSS3(vector).scores()[0]))
    except _LibraryError as exc:
        # The library's messages name the metric: 'Unknown value "X" in field "AV:X"'.
        raise CVSSError(f"{vector}: {exc}") from None
    return base, severity_for(base)


def severity_for(base: Decimal | float) -> str:
    """The CVSS qualitative rating of a base score (same bands in 3.1 and 4.0)."""
    value = Decimal(str(base))
    if value >= Decimal("9.0"):
        return Severity.CRITICAL
    if value >= Decimal("7.0"):
        return Severity.HIGH
    if value >= Decimal("4.0"):
        return Severity.MEDIUM
    if value > 0:
        return Severity.LOW
    return Severity.NONE
