"""The SCIM filter grammar: precedence, grouping, value paths, errors, and ORM = Python."""

from __future__ import annotations

import pytest

from steward.identity.scim.errors import ScimError
from steward.identity.scim.filters import (
    And,
    AttrPath,
    Compare,
    Not,
    Or,
    Present,
    ValuePath,
    matches,
    parse_filter,
    parse_path,
)

ALICE = {
    "userName": "Alice",
    "title": "Dr Engineer",
    "active": True,
    "emails": [
        {"value": "alice@example.org", "type": "work", "primary": True},
        {"value": "a@home.test", "type": "home"},
    ],
    "name": {"givenName": "Alice", "familyName": "Smith"},
    "meta": {"lastModified": "2026-03-01T10:00:00Z"},
    "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": "701"},
}


def test_precedence_not_and_or() -> None:
    node = parse_filter('userName eq "a" or title sw "Dr" and not (active eq false)')
    assert node == Or(
        Compare(AttrPath(None, "username"), "eq", "a"),
        And(
            Compare(AttrPath(None, "title"), "sw", "Dr"), Not(Compare(AttrPath(None, "active"), "eq", False))
        ),
    )


def test_parentheses_group_and_paths_are_case_insensitive() -> None:
    node = parse_filter(
        '(USERNAME Eq "a" OR name.GivenName pr) and urn:ietf:params:scim:schemas:core:2.0:User:title pr'
    )
    assert node == And(
        Or(Compare(AttrPath(None, "username"), "eq", "a"), Present(AttrPath(None, "name", "givenname"))),
        Present(AttrPath(None, "title")),
    )


def test_value_path_and_literals() -> None:
    node = parse_filter(
        'emails[type eq "work" and value ew ".org"] and meta.lastModified gt "2026-01-01T00:00:00Z"'
    )
    assert isinstance(node.left, ValuePath)
    assert parse_filter("x.y eq 1.5").value == 1.5
    assert parse_filter("x eq null").value is None
    assert parse_filter('x eq "with \\"quote\\""').value == 'with "quote"'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('userName eq "alice"', True),  # userName is not case-exact
        ('userName ne "alice"', False),
        ('title co "engin"', True),
        ('title sw "dr"', True),
        ('title ew "neer"', True),
        ("title pr", True),
        ("nickName pr", False),
        ('emails eq "a@home.test"', True),
        ('emails[type eq "work"].value eq "x"', None),  # a filter cannot carry .sub: refused
        ('emails[type eq "home" and value co "home"]', True),
        ('emails[type eq "other"]', False),
        ('meta.lastModified gt "2026-02-01T00:00:00Z"', True),
        ('meta.lastModified lt "2026-02-01T00:00:00+00:00"', False),
        ('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "701"', True),
        ('not (userName eq "bob") and (title pr or nickName pr)', True),
        ("active eq true", True),
        ("nickName eq null", True),
    ],
)
def test_evaluation(text: str, expected: bool | None) -> None:
    if expected is None:
        with pytest.raises(ScimError) as err:
            parse_filter(text)
        assert err.value.scim_type == "invalidFilter"
        return
    assert matches(parse_filter(text), ALICE) is expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "userName",
        "userName eq",
        'userName xx "a"',
        'userName eq "a" and',
        '(userName eq "a"',
        'userName eq "a")',
        'userName eq "unterminated',
        "userName eq bare",
        'not userName eq "a"',
        'emails[type eq "work"',
        'urn:unknown:schema:title eq "a"',
        'a.b.c eq "x"',
    ],
)
def test_malformed_filters_are_invalid_filter(text: str) -> None:
    with pytest.raises(ScimError) as err:
        parse_filter(text)
    assert err.value.status == 400
    assert err.value.scim_type == "invalidFilter"


def test_ordering_a_boolean_is_invalid() -> None:
    with pytest.raises(ScimError) as err:
        matches(parse_filter("active gt true"), ALICE)
    assert err.value.scim_type == "invalidFilter"


def test_patch_paths() -> None:
    target = parse_path('members[value eq "42"].display')
    assert target.path == AttrPath(None, "members")
    assert target.sub == "display"
    assert target.value_filter == Compare(AttrPath(None, "value"), "eq", "42")
    assert parse_path("name.familyName").path == AttrPath(None, "name", "familyname")
    for bad in ("", "a[", "members[value eq 1]x", "a.b.c"):
        with pytest.raises(ScimError) as err:
            parse_path(bad)
        assert err.value.scim_type in ("invalidPath", "invalidFilter")
