"""Identity rules: provisioning people, accounts, teams and departments from outside.

SCIM, the LDAP sync and OpenID Connect sign-in all write through these functions, so a
person is created, updated and disabled the same way whichever door they came through.
People are never deleted here: a person who leaves the directory (or is deleted by a SCIM
client) keeps their history, is marked as having left, and their account is deactivated.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from steward.core.permissions import restrict_queryset, user_can
from steward.identity.choices import IdentitySource
from steward.identity.models import ExternalIdentity
from steward.identity.scim import resources, schemas
from steward.identity.scim.errors import ScimError, invalid_value, uniqueness
from steward.identity.scim.patch import apply_patch
from steward.org.choices import PersonStatus
from steward.org.models import Department, Organisation, Person, Team

User = get_user_model()


# --- shared helpers ------------------------------------------------------------------------------
def department_named(name: str) -> Department | None:
    """The department called ``name`` (any case), created in the first organisation if new."""
    name = (name or "").strip()
    if not name:
        return None
    found = Department.objects.filter(name__iexact=name).order_by("id").first()
    if found:
        return found
    organisation = Organisation.objects.order_by("id").first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name="Directory", slug=_free_slug(Organisation, "directory")
        )
    return Department.objects.create(
        organisation=organisation,
        name=name[:200],
        code=_free_slug(Department, slugify(name)[:40] or "dept", "code"),
    )


def _free_slug(model: type, base: str, field: str = "slug") -> str:
    base = base or "x"
    candidate, n = base, 1
    while model.objects.filter(**{field: candidate}).exists():
        n += 1
        candidate = f"{base[:40]}-{n}"
    return candidate


def set_roles(*, user: Any, role_names: set[str], managed: set[str]) -> None:
    """Make the user's membership of the ``managed`` roles equal ``role_names`` (others untouched)."""
    wanted = set(Group.objects.filter(name__in=role_names))
    for group in Group.objects.filter(name__in=managed):
        if group in wanted:
            user.groups.add(group)
        else:
            user.groups.remove(group)


def deactivate_person(*, person: Person) -> None:
    """Mark a person as gone and lock their account; history stays."""
    if person.user_id and person.user.is_active:
        person.user.is_active = False
        person.user.save(update_fields=["is_active"])
    if person.status != PersonStatus.LEFT:
        person.status = PersonStatus.LEFT
        person.save()


# --- SCIM ----------------------------------------------------------------------------------------
def _need(actor: Any, model: type, action: str) -> None:
    if not user_can(actor, model, action):
        raise ScimError(f"You may not {action} {model._meta.verbose_name_plural}.", status=403)


def _scim_link(adapter: resources.Adapter, obj: Any) -> ExternalIdentity:
    link = ExternalIdentity.objects.filter(source=IdentitySource.SCIM, **{adapter.link_field: obj}).first()
    return link or ExternalIdentity(source=IdentitySource.SCIM, **{adapter.link_field: obj})


def _save_link(adapter: resources.Adapter, obj: Any, attrs: dict, external_id: str | None, base: str) -> None:
    link = _scim_link(adapter, obj)
    link.external_id = external_id or ""
    link.disabled = False
    link.last_seen = timezone.now()
    # Re-read relations so the snapshot of written columns matches what a GET will show.
    fresh = adapter.model.objects.prefetch_related(*adapter.prefetch).get(pk=obj.pk)
    link.attributes = {"scim": attrs, "columns": resources.written_columns(adapter, fresh, base)}
    link.save()


def _write_user(*, person: Person | None, attrs: dict, actor: Any, base: str) -> Person:
    username = attrs["userName"].strip()
    if not username or len(username) > 150:
        raise invalid_value("userName must be 1 to 150 characters.")
    clash = User.objects.filter(username__iexact=username)
    if person is not None and person.user_id:
        clash = clash.exclude(pk=person.user_id)
    clash_user = clash.first()
    if clash_user is not None:
        revived = Person.objects.filter(
            user=clash_user,
            external_identities__source=IdentitySource.SCIM,
            external_identities__disabled=True,
        ).first()
        if person is None and revived is not None:
            person = revived
        else:
            raise uniqueness(f"userName {username!r} is already taken.")
    email = resources.primary_value(attrs.get("emails")).strip().lower()
    if "@" not in email or len(email) > 254:
        raise invalid_value(f"emails: {email!r} is not an e-mail address.")
    clash_person = Person.objects.filter(email__iexact=email)
    if person is not None:
        clash_person = clash_person.exclude(pk=person.pk)
    if clash_person.exists():
        raise uniqueness(f"The e-mail address {email!r} belongs to another person.")
    name = attrs.get("name") or {}
    enterprise = attrs.get(schemas.ENTERPRISE) or {}
    manager = None
    manager_value = (enterprise.get("manager") or {}).get("value")
    if manager_value:
        manager = (
            restrict_queryset(Person.objects.all(), actor, "view")
            .filter(pk=int(manager_value) if str(manager_value).isdigit() else 0)
            .first()
        )
        if manager is None:
            raise invalid_value(f"manager: there is no user with id {manager_value!r}.")
        if person is not None and manager.pk == person.pk:
            raise invalid_value("manager: a person cannot be their own manager.")
    active = attrs.get("active", True)
    if person is None:
        person = Person()
    account = person.user if person.user_id else User(username=username)
    account.username = username
    account.email = email
    account.is_active = bool(active)
    if not account.pk:
        account.set_unusable_password()
    account.save()
    person.user = account
    person.email = email
    person.first_name = (name.get("givenName") or attrs.get("displayName") or username)[:100]
    person.last_name = (name.get("familyName") or "")[:100]
    person.title = (attrs.get("title") or "")[:200]
    person.phone = resources.primary_value(attrs.get("phoneNumbers"))[:50]
    person.employee_id = (enterprise.get("employeeNumber") or "")[:50]
    person.department = department_named(enterprise.get("department") or "")
    person.manager = manager
    if not active:
        person.status = PersonStatus.LEFT
    elif person.status == PersonStatus.LEFT:
        person.status = PersonStatus.ACTIVE
    person.save()
    return person


def _write_group(*, team: Team | None, attrs: dict, actor: Any) -> Team:
    name = attrs["displayName"].strip()
    if not name or len(name) > 200:
        raise invalid_value("displayName must be 1 to 200 characters.")
    clash = Team.objects.filter(name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    clash_team = clash.first()
    if clash_team is not None:
        hidden = ExternalIdentity.objects.filter(source=IdentitySource.SCIM, team=clash_team, disabled=True)
        if team is None and hidden.exists():
            team = clash_team
        else:
            raise uniqueness(f"displayName {name!r} is already taken.")
    members = []
    visible = restrict_queryset(Person.objects.all(), actor, "view")
    for member in attrs.get("members", []):
        if member.get("type") not in (None, "User"):
            raise invalid_value("members: only users can be members (nested groups are not supported).")
        value = str(member.get("value") or "")
        found = visible.filter(pk=int(value)).first() if value.isdigit() else None
        if found is None:
            raise invalid_value(f"members: there is no user with id {value!r}.")
        members.append(found)
    if team is None:
        team = Team(slug=_free_slug(Team, slugify(name)[:90] or "team"))
    team.name = name
    team.save()
    team.members.set(members)
    return team


@transaction.atomic
def scim_create(*, adapter: resources.Adapter, data: Any, actor: Any, base: str) -> Any:
    """POST /Users or /Groups."""
    _need(actor, adapter.model, "add")
    attrs, external_id = resources.normalise(adapter.schema, data, extension_allowed=adapter.extension)
    obj = _write(adapter, None, attrs, actor, base)
    _save_link(adapter, obj, attrs, external_id, base)
    return obj


def _write(adapter: resources.Adapter, obj: Any, attrs: dict, actor: Any, base: str) -> Any:
    if adapter is resources.USERS:
        return _write_user(person=obj, attrs=attrs, actor=actor, base=base)
    return _write_group(team=obj, attrs=attrs, actor=actor)


def _client_view(adapter: resources.Adapter, obj: Any, base: str) -> dict:
    body = adapter.represent(obj, base)
    for key in ("meta", "id", "groups"):
        body.pop(key, None)
    for member in body.get("members", []):
        member.pop("$ref", None)
    manager = (body.get(schemas.ENTERPRISE) or {}).get("manager")
    if isinstance(manager, dict):
        manager.pop("displayName", None)
    return body


@transaction.atomic
def scim_replace(*, adapter: resources.Adapter, obj: Any, data: Any, actor: Any, base: str) -> Any:
    """PUT: the body replaces every writable attribute."""
    _need(actor, adapter.model, "change")
    attrs, external_id = resources.normalise(adapter.schema, data, extension_allowed=adapter.extension)
    obj = _write(adapter, obj, attrs, actor, base)
    _save_link(adapter, obj, attrs, external_id, base)
    return obj


@transaction.atomic
def scim_patch(*, adapter: resources.Adapter, obj: Any, data: Any, actor: Any, base: str) -> Any:
    """PATCH: apply the operations to what the client reads, then store it like a PUT."""
    _need(actor, adapter.model, "change")
    current = _client_view(adapter, obj, base)
    patched = apply_patch(adapter.schema, current, data)
    attrs, external_id = resources.normalise(adapter.schema, patched, extension_allowed=adapter.extension)
    obj = _write(adapter, obj, attrs, actor, base)
    _save_link(adapter, obj, attrs, external_id, base)
    return obj


@transaction.atomic
def scim_delete(*, adapter: resources.Adapter, obj: Any, actor: Any) -> None:
    """DELETE: the record disappears from SCIM but stays in Steward with its history.

    A person is marked as having left and their account is deactivated; a team loses its
    members. Creating the same userName or displayName again brings the record back.
    """
    _need(actor, adapter.model, "delete")
    link = _scim_link(adapter, obj)
    link.disabled = True
    link.last_seen = timezone.now()
    link.save()
    if adapter is resources.USERS:
        deactivate_person(person=obj)
    else:
        obj.members.clear()
