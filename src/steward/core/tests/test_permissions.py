"""Object permissions: grants, constraints, tokens, roles, restrict() and has_perm(obj)."""

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from steward.core.models import ObjectPermission
from steward.core.permissions import perm_name, resolve_tokens, restrict_queryset, user_can
from steward.org.models import Organisation, Person, Team
from steward.utilities.testing import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def orgs():
    return [Organisation.objects.create(name=n, slug=n.lower()) for n in ("Alpha", "Beta", "Gamma")]


def visible(user, model=Organisation, action="view"):
    return set(model.objects.restrict(fresh(user), action).values_list("slug", flat=True))


def fresh(user):
    """A new user object, so no permission cache carries over."""
    return type(user).objects.get(pk=user.pk)


def test_no_grant_sees_nothing(orgs):
    user = make_user()
    assert visible(user) == set()
    assert not fresh(user).has_perm("org.view_organisation")
    assert not fresh(user).has_perm("org.view_organisation", orgs[0])


def test_unconstrained_grant_covers_every_row_for_its_actions_only(orgs):
    user = make_user()
    grant(user, Organisation, "view")
    assert visible(user) == {"alpha", "beta", "gamma"}
    assert visible(user, action="change") == set()
    u = fresh(user)
    assert u.has_perm("org.view_organisation", orgs[1])
    assert not u.has_perm("org.change_organisation")
    assert not u.has_perm("org.view_person")


def test_constrained_grant_hides_other_rows(orgs):
    user = make_user()
    grant(user, Organisation, "view", "change", constraints={"slug__in": ["alpha", "beta"]})
    assert visible(user) == {"alpha", "beta"}
    assert visible(user, action="change") == {"alpha", "beta"}
    u = fresh(user)
    assert u.has_perm("org.view_organisation")  # model level: some rows
    assert u.has_perm("org.change_organisation", orgs[0])
    assert not u.has_perm("org.change_organisation", orgs[2])
    assert user_can(u, Organisation, "view", orgs[1])
    assert not user_can(u, Organisation, "view", orgs[2])


def test_list_of_constraints_is_an_or(orgs):
    user = make_user()
    grant(user, Organisation, "view", constraints=[{"slug": "alpha"}, {"name": "Gamma"}])
    assert visible(user) == {"alpha", "gamma"}


def test_grants_are_ored_and_an_unconstrained_one_wins(orgs):
    user = make_user()
    grant(user, Organisation, "view", constraints={"slug": "alpha"})
    grant(user, Organisation, "view", constraints={"slug": "beta"})
    assert visible(user) == {"alpha", "beta"}
    grant(user, Organisation, "view")
    assert visible(user) == {"alpha", "beta", "gamma"}


def test_constraint_matching_nothing_grants_nothing(orgs):
    user = make_user()
    grant(user, Organisation, "view", constraints={"slug": "nope"})
    assert visible(user) == set()
    assert not fresh(user).has_perm("org.view_organisation", orgs[0])


def test_user_token(orgs):
    owner, other = make_user("owner"), make_user("other")
    mine = Person.objects.create(first_name="O", last_name="W", email="o@example.org", user=owner)
    Person.objects.create(first_name="T", last_name="H", email="t@example.org", user=other)
    grant(owner, Person, "view", "change", constraints={"user": "$user"})
    assert list(Person.objects.restrict(fresh(owner))) == [mine]
    assert not fresh(owner).has_perm("org.change_person", Person.objects.get(user=other))


def test_person_and_teams_tokens(orgs):
    user = make_user("member")
    me = Person.objects.create(first_name="M", last_name="E", email="me@example.org", user=user)
    boss = Person.objects.create(first_name="B", last_name="O", email="boss@example.org")
    stranger = Person.objects.create(first_name="S", last_name="T", email="s@example.org")
    mine = Team.objects.create(name="Mine", slug="mine")
    mine.members.add(me, boss)
    theirs = Team.objects.create(name="Theirs", slug="theirs")
    theirs.members.add(stranger)
    Team.objects.create(name="Also mine", slug="also-mine").members.add(me)

    grant(user, Team, "view", constraints={"pk__in": "$teams"})
    assert visible(user, Team) == {"mine", "also-mine"}

    # Everyone who shares a team with me; the to-many join must not duplicate rows.
    grant(user, Person, "view", constraints={"teams__in": "$teams"})
    people = list(Person.objects.restrict(fresh(user)))
    assert sorted(p.email for p in people) == ["boss@example.org", "me@example.org"]

    grant(user, Person, "change", constraints={"pk": "$person"})
    assert list(Person.objects.restrict(fresh(user), "change")) == [me]


def test_person_token_without_a_person_matches_nothing():
    user = make_user("nobody")
    Person.objects.create(first_name="A", last_name="B", email="ab@example.org")
    grant(user, Person, "view", constraints={"pk": "$person"})
    assert list(Person.objects.restrict(fresh(user))) == []


def test_unknown_token_is_an_error():
    with pytest.raises(ValueError, match=r"\$nope"):
        resolve_tokens({"x": "$nope"}, make_user())


def test_role_grants_apply_to_members(orgs):
    member, outsider = make_user("member"), make_user("outsider")
    role = Group.objects.create(name="Auditors")
    member.groups.add(role)
    perm = ObjectPermission.objects.create(name="auditors", actions=["view"], constraints={"slug": "beta"})
    perm.object_types.set([ContentType.objects.get_for_model(Organisation)])
    perm.groups.add(role)
    assert visible(member) == {"beta"}
    assert visible(outsider) == set()
    # A user in the role who also has a direct grant gets both (and no duplicates).
    grant(member, Organisation, "view", constraints={"slug": "alpha"})
    assert sorted(Organisation.objects.restrict(fresh(member)).values_list("slug", flat=True)) == [
        "alpha",
        "beta",
    ]


def test_disabled_grant_gives_nothing(orgs):
    user = make_user()
    perm = grant(user, Organisation, "view")
    perm.enabled = False
    perm.save()
    assert visible(user) == set()
    assert not fresh(user).has_perm("org.view_organisation")


def test_superuser_sees_everything_without_grants(orgs):
    admin = make_user("admin", superuser=True)
    assert visible(admin, action="delete") == {"alpha", "beta", "gamma"}
    assert fresh(admin).has_perm("org.delete_organisation", orgs[0])


def test_inactive_users_get_nothing_even_as_superuser(orgs):
    user = make_user()
    grant(user, Organisation, "view")
    admin = make_user("admin", superuser=True)
    type(user).objects.filter(pk__in=[user.pk, admin.pk]).update(is_active=False)
    for u in (user, admin):
        assert visible(u) == set()
        assert not fresh(u).has_perm("org.view_organisation")
        assert not fresh(u).has_perm("org.view_organisation", orgs[0])


def test_anonymous_gets_nothing(orgs):
    from django.contrib.auth.models import AnonymousUser

    assert list(restrict_queryset(Organisation.objects.all(), AnonymousUser())) == []
    assert list(restrict_queryset(Organisation.objects.all(), None)) == []
    assert not AnonymousUser().has_perm("org.view_organisation")


def test_restrict_applies_in_views_and_api(client, orgs):
    user = make_user()
    grant(user, Organisation, "view", constraints={"slug": "alpha"})
    client.force_login(user)
    assert client.get(orgs[0].get_absolute_url()).status_code == 200
    assert client.get(orgs[1].get_absolute_url()).status_code == 404
    listing = client.get("/api/org/organisations/").json()
    assert [r["slug"] for r in listing["results"]] == ["alpha"]
    assert client.get(f"/api/org/organisations/{orgs[1].pk}/").status_code == 404
    assert client.get("/api/org/people/").status_code == 403


def test_perm_name():
    assert perm_name(Organisation, "view") == "org.view_organisation"


def test_grant_definitions_are_validated_naming_the_field():
    from django.core.exceptions import ValidationError

    def errors(**kwargs):
        with pytest.raises(ValidationError) as exc:
            ObjectPermission(name="p", **kwargs).full_clean()
        return exc.value.message_dict

    assert "actions" in errors(actions=[])
    assert "actions" in errors(actions="view")
    assert "constraints" in errors(actions=["view"], constraints="slug=alpha")
    assert "constraints" in errors(actions=["view"], constraints=[{"a": 1}, "b"])
    bad_token = errors(actions=["view"], constraints=[{"owner": "$user"}, {"team__in": ["$teams", "$tems"]}])
    assert "$tems" in bad_token["constraints"][0]
    ObjectPermission(
        name="ok", actions=["view"], constraints={"team__in": "$teams", "user": "$user"}
    ).full_clean()
