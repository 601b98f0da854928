"""Version ordering per ecosystem, checked against known answers (and dpkg itself when present)."""

from __future__ import annotations

import random
import shutil
import subprocess

import pytest

from steward.security import versions
from steward.security.versions import VersionError, compare


def ordered(ecosystem: str, *chain: str) -> None:
    """Each version in ``chain`` sorts strictly before the next."""
    for a, b in zip(chain, chain[1:], strict=False):
        assert compare(ecosystem, a, b) == -1, f"{a} < {b}"
        assert compare(ecosystem, b, a) == 1, f"{b} > {a}"


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("1.0~rc1", "1.0", -1),  # tilde sorts before anything, even the end
        ("1.0~~", "1.0~", -1),
        ("1.0~", "1.0", -1),
        ("1.0", "1.0+b1", -1),
        ("1.0", "1.0.1", -1),
        ("1.0a", "1.0+", -1),  # letters before non-letters
        ("1:0.9", "2.0", 1),  # the epoch wins
        ("0:2.0", "2.0", 0),
        ("1.0-1", "1.0-1+deb12u1", -1),
        ("2.36-9+deb12u4", "2.36-9+deb12u10", -1),  # numbers compare numerically
        ("3.0.11-1~deb12u2", "3.0.11-1", -1),
        ("1.0", "1.0-0", 0),  # a missing revision is "0"
        ("1.01", "1.1", 0),  # leading zeros do not count
        ("1.2.3", "1.2.3~bpo12+1", 1),
        ("9.2p1-2", "9.2p1-2+deb12u3", -1),
        ("2.0-1", "10.0-1", -1),
    ],
)
def test_debian_known_answers(a, b, expected):
    assert versions.compare_debian(a, b) == expected
    assert compare("deb", a, b) == expected


def test_debian_key_agrees_with_the_dpkg_algorithm_on_random_versions():
    rng = random.Random(7)
    alphabet = "0123456789.+~ab-"
    checked = 0
    for _ in range(3000):
        a = str(rng.randint(0, 3)) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        b = str(rng.randint(0, 3)) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 6)))
        try:
            by_cmp = versions.compare_debian(a, b)
        except VersionError:
            continue
        ka, kb = versions.debian_key(a), versions.debian_key(b)
        assert (ka > kb) - (ka < kb) == by_cmp, (a, b)
        checked += 1
    assert checked > 1000


DPKG = shutil.which("dpkg") or ""


@pytest.mark.skipif(not DPKG, reason="dpkg is not installed here")
def test_debian_order_matches_dpkg_compare_versions():
    rng = random.Random(11)
    alphabet = "0123456789.+~a-"
    for _ in range(150):
        a = str(rng.randint(0, 2)) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
        b = str(rng.randint(0, 2)) + "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 5)))
        try:
            ours = versions.compare_debian(a, b)
        except VersionError:
            continue
        lt = subprocess.run([DPKG, "--compare-versions", a, "lt", b], check=False).returncode == 0  # noqa: S603
        eq = subprocess.run([DPKG, "--compare-versions", a, "eq", b], check=False).returncode == 0  # noqa: S603
        assert ours == (-1 if lt else 0 if eq else 1), (a, b)


@pytest.mark.parametrize("bad", ["", "abc", "1.0-rev_1", "1.0 2"])
def test_debian_refuses_what_is_not_a_version(bad):
    with pytest.raises(VersionError):
        versions.version_key("deb", bad)


def test_rpm_known_answers():
    ordered("rpm", "1.0~rc1", "1.0", "1.0^git1", "1.0.1", "1.0.10", "1:0.1")
    ordered("rpm", "1.0a", "1.0.1")  # a number beats letters in the same place
    ordered("rpm", "2.1-1.el9", "2.1-2.el9", "2.1-10.el9")
    assert compare("rpm", "1.0", "1.0") == 0
    assert compare("rpm", "1.0-1", "1.0") == 0  # no release on one side: versions decide


def test_pep440_known_answers():
    ordered("pypi", "1.0.dev1", "1.0a1", "1.0b2", "1.0rc1", "1.0", "1.0.post1", "1.0.1", "1!0.1")
    assert compare("pypi", "1.0", "1.0.0") == 0
    with pytest.raises(VersionError):
        versions.version_key("pypi", "not a version")


def test_semver_known_answers():
    # The precedence example of semver 2.0 §11, plus the tolerated forms.
    ordered(
        "npm", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
        "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.10.0", "2.0.0",
    )  # fmt: skip
    assert compare("golang", "v1.2.3", "1.2.3") == 0
    assert compare("cargo", "1.2.3+build.5", "1.2.3") == 0  # build metadata is ignored
    assert compare("npm", "1.2", "1.2.0") == 0
    ordered("nuget", "4.0.0.1", "4.0.0.2", "4.0.1")
    with pytest.raises(VersionError):
        versions.version_key("npm", "latest")


def test_maven_gem_and_generic_orders():
    ordered("maven", "1.0-alpha-1", "1.0-beta", "1.0-rc1", "1.0-SNAPSHOT", "1.0", "1.0-sp1", "1.0.1", "1.1")
    assert compare("maven", "1.0", "1.0.0") == 0
    assert compare("maven", "1.0-ga", "1.0") == 0
    ordered("gem", "1.0.0.pre", "1.0.0.rc1", "1.0.0", "1.0.1")
    ordered("generic", "1.2", "1.10", "2.0")


@pytest.mark.parametrize(
    ("osv", "ours"),
    [
        ("Debian", "deb"), ("Debian:12", "deb"), ("Ubuntu:22.04:LTS", "deb"), ("PyPI", "pypi"),
        ("npm", "npm"), ("Go", "golang"), ("crates.io", "cargo"), ("Maven", "maven"),
        ("RubyGems", "gem"), ("NuGet", "nuget"), ("Red Hat:enterprise_linux:9", "rpm"),
        ("AlmaLinux:9", "rpm"), ("Alpine:v3.19", None), ("", None),
    ],
)  # fmt: skip
def test_osv_ecosystems_map_to_ours(osv, ours):
    assert versions.map_osv_ecosystem(osv) == ours


def test_package_names_are_normalised_like_the_inventory():
    assert versions.normalise_name("pypi", "PyYAML") == "pyyaml"
    assert versions.normalise_name("pypi", "zope.interface") == "zope-interface"
    assert versions.normalise_name("deb", "LibC6") == "libc6"
    assert versions.normalise_name("npm", "@Scope/Pkg") == "@Scope/Pkg"
