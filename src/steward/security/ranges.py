"""OSV affected ranges turned into intervals, and the "is this version affected" test.

An OSV range is a list of events (``introduced``, ``fixed``, ``last_affected``, ``limit``)
that, sorted by the ecosystem's version order, switch "affected" on and off. We sort them once
on save and keep the result as intervals ``[kind, introduced, fixed, last_affected]`` (None for
an open end; ``kind`` is the ordering to use: the ecosystem, or ``semver`` for SEMVER ranges),
so matching is a few key comparisons per candidate.
"""

from __future__ import annotations

from typing import Any

from steward.security.versions import VersionError, version_key

EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
RANGE_TYPES = ("ECOSYSTEM", "SEMVER", "GIT")
SEMVER = "semver"


class RangeError(ValueError):
    """A malformed range; ``field`` is the model field and the message names the element."""

    def __init__(self, message: str, field: str = "ranges") -> None:
        super().__init__(message)
        self.field = field


def _kind(ecosystem: str, range_type: str) -> str:
    return SEMVER if range_type == "SEMVER" else ecosystem


def key_for(kind: str, version: str) -> Any:
    """Sort key of ``version`` under ``kind`` (an ecosystem, or ``semver``)."""
    return version_key("npm" if kind == SEMVER else kind, version)


def intervals(ecosystem: str, ranges: Any, versions: Any = None) -> list[list[Any]]:
    """Check ``ranges`` and ``versions`` and return the affected intervals (see module doc)."""
    if ranges in (None, ""):
        ranges = []
    if not isinstance(ranges, list):
        raise RangeError("ranges: give a list of ranges.")
    if versions not in (None, "") and (
        not isinstance(versions, list) or not all(isinstance(v, str) for v in versions)
    ):
        raise RangeError("versions: give a list of version strings.", field="versions")
    result: list[list[Any]] = []
    for r, entry in enumerate(ranges):
        where = f"ranges[{r}]"
        if not isinstance(entry, dict):
            raise RangeError(f"{where}: a range is an object with type and events.")
        range_type = entry.get("type")
        if range_type not in RANGE_TYPES:
            raise RangeError(f"{where}.type: {range_type!r} is not one of {', '.join(RANGE_TYPES)}.")
        events = entry.get("events")
        if not isinstance(events, list) or not events:
            raise RangeError(f"{where}.events: give at least one event.")
        parsed: list[tuple[str, str]] = []
        for e, event in enumerate(events):
            if not isinstance(event, dict) or len(event) != 1 or next(iter(event)) not in EVENT_KINDS:
                raise RangeError(
                    f"{where}.events[{e}]: an event has exactly one of {', '.join(EVENT_KINDS)}."
                )
            kind, value = next(iter(event.items()))
            if not isinstance(value, str) or not value.strip():
                raise RangeError(f"{where}.events[{e}].{kind}: give the version as text.")
            parsed.append((kind, value.strip()))
        if range_type == "GIT":
            continue  # commit ranges need the repository; versions come from the other ranges
        order = _kind(ecosystem, range_type)
        keyed = []
        for e, (kind, value) in enumerate(parsed):
            if kind == "limit":
                continue
            if kind == "introduced" and value == "0":
                keyed.append((0, None, kind, value))
                continue
            try:
                keyed.append((1, key_for(order, value), kind, value))
            except VersionError as exc:
                raise RangeError(f"{where}.events[{e}].{kind}: {exc}") from None
        keyed.sort(key=lambda k: (k[0], k[1]) if k[1] is not None else (0,))
        start: str | None = None
        open_ = False
        for _rank, _key, kind, value in keyed:
            if kind == "introduced":
                if not open_:
                    start, open_ = (None if value == "0" else value), True
            elif open_:
                fixed, last = (value, None) if kind == "fixed" else (None, value)
                result.append([order, start, fixed, last])
                open_ = False
        if open_:
            result.append([order, start, None, None])
    return result


def affected(installed_key: Any, interval: list[Any], key: Any = key_for) -> bool:
    """Whether a version (its key under the interval's kind) lies in ``interval``."""
    _kind_, start, fixed, last = interval
    if start is not None and installed_key < key(_kind_, start):
        return False
    if fixed is not None and installed_key >= key(_kind_, fixed):
        return False
    return not (last is not None and installed_key > key(_kind_, last))
