"""Discovery's fast paths: they must take exactly what the full checks take, and hide no change."""

from __future__ import annotations

import itertools
import random

import pytest

from steward.cmdb import discovery
from steward.cmdb.tests.test_discovery import payload

TEXT_VALUES = [None, "", "  ", "x", " Mixed Case ", "a" * 31, "a" * 101, "a" * 201, "nul\x00", 5, ["x"]]
ECOSYSTEMS = ["deb", "rpm", "pypi", "generic", "cobol", None, 3, ["deb"]]


def package_variants() -> list[object]:
    """A seeded sample of packages mixing valid, odd and invalid values in every field."""
    fields = ("name", "version", "architecture", "vendor")
    combos = list(itertools.product(ECOSYSTEMS, *[TEXT_VALUES] * len(fields)))
    picked = random.Random(7).sample(combos, 3000)
    variants: list[object] = []
    for ecosystem, *values in picked:
        pkg = {"ecosystem": ecosystem} | dict(zip(fields, values, strict=True))
        variants.append({k: v for k, v in pkg.items() if v is not None or k == "ecosystem"})
        variants.append(pkg)
    return [*variants, "deb", None, ["deb", "x"], {}]


def test_fast_package_check_accepts_only_what_the_full_check_accepts_unchanged():
    accepted = 0
    for pkg in package_variants():
        fast = discovery._plain_package(pkg)
        checker = discovery._Checker()
        checked = discovery._checked_package(checker, pkg, "packages[0]")
        if fast is not None:
            accepted += 1
            assert (checked, checker.errors) == (fast, {}), pkg
        else:
            assert checked is None or checker.errors, f"a valid package left the fast path: {pkg!r}"
    assert accepted > 100


def test_reported_packages_are_normalised_and_deduplicated():
    packages = [
        {"ecosystem": "deb", "name": " OpenSSL ", "version": " 3.0.15 ", "architecture": "amd64"},
        {"ecosystem": "deb", "name": "openssl", "version": "3.0.15", "architecture": "amd64"},
        {"ecosystem": "rpm", "name": "Bash", "version": None, "vendor": " RedHat "},
        {"ecosystem": "pypi", "name": "Django", "version": "6.1", "architecture": None},
        {"ecosystem": "npm", "name": "React", "version": "19"},
        {"ecosystem": "deb", "name": "   ", "version": "1"},
    ]
    host = discovery.parse_agent_payload(payload(packages=packages))
    assert host.packages == [
        ("deb", "debian", "openssl", "3.0.15", "amd64"),
        ("rpm", "redhat", "bash", "", ""),
        ("pypi", "", "django", "6.1", ""),
        ("npm", "", "React", "19", ""),
    ]


@pytest.mark.parametrize(
    ("package", "path"),
    [
        ({"ecosystem": ["deb"], "name": "a"}, "packages[1].ecosystem"),
        ({"ecosystem": "deb", "name": "a", "version": "1\x00"}, "packages[1].version"),
        ({"ecosystem": "deb", "name": "a", "version": 1}, "packages[1].version"),
        ({"ecosystem": "deb", "name": "a", "vendor": "v" * 101}, "packages[1].vendor"),
        ({"ecosystem": "deb", "name": "a", "architecture": "x" * 31}, "packages[1].architecture"),
        ({"ecosystem": "deb", "name": None}, "packages[1].name"),
        ("deb", "packages[1]"),
    ],
)
def test_a_bad_package_after_a_good_one_is_named(package, path):
    good = {"ecosystem": "deb", "name": "ok", "version": "1"}
    with pytest.raises(discovery.DiscoveryError) as error:
        discovery.parse_agent_payload(payload(packages=[good, package]))
    assert list(error.value.message_dict) == [path]
