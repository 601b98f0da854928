"""Version ordering per ecosystem, and OSV ecosystem names mapped to the CMDB's ecosystems.

Matching an advisory's "introduced 1.2, fixed 1.2.5" against an installed "1.2.4-1+deb12u1"
is only right when versions compare the way the ecosystem's own tools compare them:

- Debian: the dpkg algorithm (``epoch:upstream-revision``; letters sort before non-letters and
  ``~`` before anything, even the end of the string, so ``1.0~rc1 < 1.0``);
- RPM: rpmvercmp (alphanumeric segments, numbers above letters, ``~`` lowest, ``^`` just above
  the end);
- PyPI: PEP 440 through the ``packaging`` library;
- npm, Go, crates.io, NuGet: semantic versioning 2.0 (pre-releases below the release, numeric
  identifiers below alphanumeric ones, build metadata ignored), tolerant of ``v1.2`` forms;
- Maven: its qualifier order (alpha < beta < milestone < rc < snapshot < release < sp);
- everything else: numbers compared as numbers, text as text.

``version_key(ecosystem, version)`` returns a value that sorts like the ecosystem (cached, so
matching millions of pairs parses each distinct version once); ``compare`` is the cmp form.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from packaging.version import InvalidVersion, Version

from steward.cmdb.choices import Ecosystem


class VersionError(ValueError):
    """A version string the ecosystem's rules cannot read."""


# --- Debian (dpkg) ------------------------------------------------------------------------------
def _dpkg_order(char: str) -> int:
    # dpkg's order(): '~' lowest, then the end of the string (0), letters, then everything else.
    if char == "~":
        return -1
    if char.isalpha():
        return ord(char)
    return ord(char) + 256


def _dpkg_part_key(text: str) -> tuple[Any, ...]:
    """Key of an upstream version or revision: (non-digit run, number) pairs plus a terminator."""
    pairs: list[tuple[tuple[int, ...], int]] = []
    i, n = 0, len(text)
    while i < n:
        start = i
        while i < n and not text[i].isdigit():
            i += 1
        chars = (*(_dpkg_order(c) for c in text[start:i]), 0)
        start = i
        while i < n and text[i].isdigit():
            i += 1
        pairs.append((chars, int(text[start:i] or 0)))
    # The end of the string compares as an empty non-digit run and the number 0; after the
    # last pair that is the terminator, so "1.0" > "1.0~" and "1.0" < "1.0.1".
    pairs.append(((0,), 0))
    return tuple(pairs)


_DEBIAN = re.compile(r"^(?:(\d+):)?([0-9A-Za-z.+~:-]+?)(?:-([0-9A-Za-z.+~]+))?$")


def parse_debian(version: str) -> tuple[int, str, str]:
    """``(epoch, upstream, revision)`` of a Debian version; VersionError when it is not one."""
    text = version.strip()
    epoch, _sep, rest = text.partition(":") if re.match(r"^\d+:", text) else ("0", "", text)
    upstream, dash, revision = rest.rpartition("-")
    if not dash:
        upstream, revision = rest, ""
    if not upstream or not re.fullmatch(r"[0-9A-Za-z.+~:-]+", upstream):
        raise VersionError(f"{version!r} is not a Debian version (epoch:upstream-revision).")
    if not upstream[0].isdigit():
        raise VersionError(f"{version!r}: a Debian upstream version starts with a digit.")
    if dash and not re.fullmatch(r"[0-9A-Za-z.+~]+", revision):
        raise VersionError(f"{version!r}: the Debian revision may hold only letters, digits and + . ~")
    return int(epoch), upstream, revision


def debian_key(version: str) -> tuple[Any, ...]:
    epoch, upstream, revision = parse_debian(version)
    return (epoch, _dpkg_part_key(upstream), _dpkg_part_key(revision or "0"))


def _verrevcmp(a: str, b: str) -> int:
    """dpkg's verrevcmp, written from its description; the reference the key is tested against."""
    i = j = 0
    while i < len(a) or j < len(b):
        first_diff = 0
        while (i < len(a) and not a[i].isdigit()) or (j < len(b) and not b[j].isdigit()):
            ac = _dpkg_order(a[i]) if i < len(a) and not a[i].isdigit() else 0
            bc = _dpkg_order(b[j]) if j < len(b) and not b[j].isdigit() else 0
            if ac != bc:
                return -1 if ac < bc else 1
            i, j = i + 1, j + 1
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        while i < len(a) and a[i].isdigit() and j < len(b) and b[j].isdigit():
            if not first_diff:
                first_diff = ord(a[i]) - ord(b[j])
            i, j = i + 1, j + 1
        if i < len(a) and a[i].isdigit():
            return 1
        if j < len(b) and b[j].isdigit():
            return -1
        if first_diff:
            return -1 if first_diff < 0 else 1
    return 0


def compare_debian(a: str, b: str) -> int:
    """-1, 0 or 1 as dpkg --compare-versions would order ``a`` and ``b``."""
    ea, ua, ra = parse_debian(a)
    eb, ub, rb = parse_debian(b)
    if ea != eb:
        return -1 if ea < eb else 1
    return _verrevcmp(ua, ub) or _verrevcmp(ra or "0", rb or "0")


# --- RPM (rpmvercmp) ----------------------------------------------------------------------------
def _rpmvercmp(a: str, b: str) -> int:
    if a == b:
        return 0
    i = j = 0
    while i < len(a) or j < len(b):
        while i < len(a) and not a[i].isalnum() and a[i] not in "~^":
            i += 1
        while j < len(b) and not b[j].isalnum() and b[j] not in "~^":
            j += 1
        for mark in "~^":
            a_mark = i < len(a) and a[i] == mark
            b_mark = j < len(b) and b[j] == mark
            if a_mark or b_mark:
                if not (a_mark and b_mark):
                    if mark == "~":
                        return -1 if a_mark else 1
                    # '^' sorts after the end of the other string but before anything else.
                    if i >= len(a):
                        return -1
                    if j >= len(b):
                        return 1
                    return 1 if b_mark else -1
                i, j = i + 1, j + 1
                break
        else:
            if i >= len(a) or j >= len(b):
                break
            numeric = a[i].isdigit()
            match = re.match(r"\d+" if numeric else r"[A-Za-z]+", a[i:])
            seg_a = match.group(0) if match else ""
            match_b = re.match(r"\d+" if numeric else r"[A-Za-z]+", b[j:])
            seg_b = match_b.group(0) if match_b else ""
            i, j = i + len(seg_a), j + len(seg_b)
            if not seg_b:
                return 1 if numeric else -1  # numbers are newer than letters
            if numeric:
                na, nb = int(seg_a), int(seg_b)
                if na != nb:
                    return -1 if na < nb else 1
            elif seg_a != seg_b:
                return -1 if seg_a < seg_b else 1
            continue
    rest_a, rest_b = i < len(a), j < len(b)
    if rest_a == rest_b:
        return 0
    return 1 if rest_a else -1


def compare_rpm(a: str, b: str) -> int:
    """-1, 0 or 1 as rpm orders ``[epoch:]version[-release]``."""

    def split(v: str) -> tuple[int, str, str]:
        v = v.strip()
        epoch = 0
        if re.match(r"^\d+:", v):
            e, v = v.split(":", 1)
            epoch = int(e)
        version, _dash, release = v.partition("-")
        if not version:
            raise VersionError(f"{v!r} is not an RPM version.")
        return epoch, version, release

    ea, va, ra = split(a)
    eb, vb, rb = split(b)
    if ea != eb:
        return -1 if ea < eb else 1
    return _rpmvercmp(va, vb) or (_rpmvercmp(ra, rb) if ra and rb else 0)


# --- semantic versions --------------------------------------------------------------------------
_SEMVER = re.compile(
    r"^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)


def semver_key(version: str) -> tuple[Any, ...]:
    """Semantic-version order (2.0 §11); ``v`` prefixes, missing minor/patch and a 4th part allowed."""
    match = _SEMVER.match(version.strip())
    if not match:
        raise VersionError(f"{version!r} is not a semantic version (MAJOR.MINOR.PATCH[-pre]).")
    core = tuple(int(p or 0) for p in match.groups()[:4])
    pre = match.group(5)
    if pre is None:
        return (*core, (1,))  # a release sorts after all of its pre-releases
    idents = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split("."))
    return (*core, (0, idents))


# --- PEP 440 ------------------------------------------------------------------------------------
def pep440_key(version: str) -> Version:
    try:
        return Version(version)
    except InvalidVersion:
        raise VersionError(f"{version!r} is not a PEP 440 version.") from None


# --- Maven and the generic fallback ---------------------------------------------------------------
_MAVEN_QUALIFIERS = {
    "alpha": 1, "a": 1, "beta": 2, "b": 2, "milestone": 3, "m": 3, "rc": 4, "cr": 4,
    "snapshot": 5, "": 6, "ga": 6, "final": 6, "release": 6, "sp": 7,
}  # fmt: skip


def maven_key(version: str) -> tuple[Any, ...]:
    """Maven's order: numbers numerically, known qualifiers by rank, other words after them."""
    tokens = re.findall(r"\d+|[A-Za-z]+", version.lower())
    if not tokens:
        raise VersionError(f"{version!r} is not a Maven version.")
    key: list[tuple[int, int, str]] = []
    for token in tokens:
        if token.isdigit():
            key.append((2, int(token), ""))
        elif token in _MAVEN_QUALIFIERS:
            key.append((1, _MAVEN_QUALIFIERS[token] - 6, ""))  # release is 0: "1.0" == "1.0-ga"
        else:
            key.append((1, 2, token))  # unknown qualifiers sort after the known ones
    # Zeros before a qualifier or the end, and "ga"/"final", do not change a version:
    # 1.0 == 1 and 1.0-SNAPSHOT == 1-SNAPSHOT.
    trimmed: list[tuple[int, int, str]] = []
    for i, item in enumerate(key):
        if item == (1, 0, ""):
            continue
        if item == (2, 0, ""):
            j = i
            while j < len(key) and key[j] == (2, 0, ""):
                j += 1
            if j == len(key) or key[j][0] == 1:
                continue
        trimmed.append(item)
    return (*trimmed, (1, 0, ""))


def generic_key(version: str) -> tuple[Any, ...]:
    """Numbers compare as numbers, words as words; a word sorts below a number at the same place."""
    tokens = re.findall(r"\d+|[A-Za-z]+", version)
    if not tokens:
        raise VersionError(f"{version!r} has no digits or letters to compare.")
    return tuple((1, int(t), "") if t.isdigit() else (0, 0, t.lower()) for t in tokens) + ((0, -1, ""),)


def compare_gem(a: str, b: str) -> int:
    """RubyGems' order: segments at dots and letter runs, the shorter padded with zeros; a letter
    segment sorts below any number there, so ``1.0.0.rc1 < 1.0.0``."""

    def segments(v: str) -> list[int | str]:
        tokens = re.findall(r"\d+|[A-Za-z]+", v)
        if not tokens:
            raise VersionError(f"{v!r} is not a gem version.")
        return [int(t) if t.isdigit() else t for t in tokens]

    sa, sb = segments(a), segments(b)
    for i in range(max(len(sa), len(sb))):
        x = sa[i] if i < len(sa) else 0
        y = sb[i] if i < len(sb) else 0
        if x == y:
            continue
        if isinstance(x, str) != isinstance(y, str):
            return -1 if isinstance(x, str) else 1
        return -1 if x < y else 1  # type: ignore[operator]
    return 0


_KEYS: dict[str, Callable[[str], Any]] = {
    Ecosystem.DEBIAN: debian_key,
    Ecosystem.RPM: functools.cmp_to_key(compare_rpm),
    Ecosystem.PYPI: pep440_key,
    Ecosystem.NPM: semver_key,
    Ecosystem.GOLANG: semver_key,
    Ecosystem.CARGO: semver_key,
    Ecosystem.NUGET: semver_key,
    Ecosystem.MAVEN: maven_key,
    Ecosystem.GEM: functools.cmp_to_key(compare_gem),
    Ecosystem.GENERIC: generic_key,
}


@functools.lru_cache(maxsize=500_000)
def version_key(ecosystem: str, version: str) -> Any:
    """A sortable key for ``version`` under ``ecosystem``'s rules; raises VersionError."""
    if not version or not version.strip():
        raise VersionError("The version is empty.")
    return _KEYS.get(ecosystem, generic_key)(version.strip())


def safe_key(ecosystem: str, version: str) -> Any | None:
    """``version_key`` or None for a version the ecosystem cannot read (it then matches nothing)."""
    try:
        return version_key(ecosystem, version)
    except (VersionError, TypeError):
        return None


def compare(ecosystem: str, a: str, b: str) -> int:
    """-1, 0 or 1: how ``a`` orders against ``b`` in ``ecosystem``."""
    ka, kb = version_key(ecosystem, a), version_key(ecosystem, b)
    return -1 if ka < kb else (1 if ka > kb else 0)


# --- OSV ecosystems ------------------------------------------------------------------------------
OSV_ECOSYSTEMS: dict[str, str] = {
    "debian": Ecosystem.DEBIAN,
    "ubuntu": Ecosystem.DEBIAN,
    "red hat": Ecosystem.RPM,
    "almalinux": Ecosystem.RPM,
    "rocky linux": Ecosystem.RPM,
    "opensuse": Ecosystem.RPM,
    "suse": Ecosystem.RPM,
    "mageia": Ecosystem.RPM,
    "openeuler": Ecosystem.RPM,
    "pypi": Ecosystem.PYPI,
    "npm": Ecosystem.NPM,
    "go": Ecosystem.GOLANG,
    "crates.io": Ecosystem.CARGO,
    "maven": Ecosystem.MAVEN,
    "rubygems": Ecosystem.GEM,
    "nuget": Ecosystem.NUGET,
}


def map_osv_ecosystem(name: str) -> str | None:
    """Our ecosystem for an OSV one (``Debian:12`` → deb, ``crates.io`` → cargo); None if unknown.

    The part after ``:`` names a release (Debian 12, Ubuntu 22.04:LTS); the ecosystem decides
    the ordering rules, so the release does not matter here.
    """
    base = (name or "").split(":", 1)[0].strip().lower()
    return OSV_ECOSYSTEMS.get(base)


def normalise_name(ecosystem: str, name: str) -> str:
    """Package names as the CMDB stores them (lower-case for deb/rpm/PyPI; PEP 503 for PyPI)."""
    name = name.strip()
    if ecosystem == Ecosystem.PYPI:
        return re.sub(r"[-_.]+", "-", name).lower()
    if ecosystem in (Ecosystem.DEBIAN, Ecosystem.RPM):
        return name.lower()
    return name
