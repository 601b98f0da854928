"""Identity rules: provisioning people, accounts, teams and departments from outside.

SCIM, the LDAP sync and OpenID Connect sign-in all write through these functions, so a
person is created, updated and disabled the same way whichever door they came through.
People are never deleted here: a person who leaves the directory (or is deleted by a SCIM
client) keeps their history, is marked as having left, and their account is deactivated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from steward.core.permissions import restrict_queryset, user_can
from steward.identity.choices import IdentitySource, SyncOutcome
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


# --- LDAP / Active Directory -----------------------------------------------------------------------
PERSON_FIELDS = ("first_name", "last_name", "email", "title", "phone", "employee_id")


@dataclass
class SyncReport:
    """What a directory sync did (or, in a dry run, would do)."""

    directory: str
    dry_run: bool
    ok: bool = True
    error: str = ""
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    disabled: list[str] = field(default_factory=list)
    teams_added: list[str] = field(default_factory=list)
    teams_updated: list[str] = field(default_factory=list)
    teams_emptied: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def text(self) -> str:
        head = f"{self.directory}: {'dry run, nothing saved' if self.dry_run else 'synchronised'}"
        if not self.ok:
            return f"{self.directory}: failed, nothing changed: {self.error}"
        lines = [head]
        for label, items in (
            ("people added", self.added),
            ("people updated", self.updated),
            ("people disabled", self.disabled),
            ("teams added", self.teams_added),
            ("teams updated", self.teams_updated),
            ("teams emptied", self.teams_emptied),
            ("entries skipped", self.skipped),
        ):
            lines.append(f"  {label}: {len(items)}")
            lines.extend(f"    - {item}" for item in items)
        return "\n".join(lines)


def _values_from_entry(directory: Any, entry: Any) -> dict[str, str]:
    values = {
        name: entry.first(directory.attribute(name))[:limit]
        for name, limit in (
            ("first_name", 100),
            ("last_name", 100),
            ("title", 200),
            ("phone", 50),
            ("employee_id", 50),
        )
    }
    values["email"] = entry.first(directory.attribute("email")).lower()
    if not values["first_name"] and not values["last_name"]:
        values["first_name"] = entry.first(directory.attribute("username"))[:100]
    return values


def _link_for(directory: Any, dn: str, **target: Any) -> ExternalIdentity | None:
    return ExternalIdentity.objects.filter(
        source=IdentitySource.LDAP, directory=directory, subject=dn.lower(), **target
    ).first()


def upsert_directory_person(
    *, directory: Any, entry: Any, now: Any = None
) -> tuple[Person | None, str, list[str]]:
    """Create or update the person (and account) for a directory entry.

    Returns (person, what happened: "added"/"updated"/"same"/"skipped", changed field names).
    A person is matched by their link to this entry, else adopted by e-mail address.
    """
    now = now or timezone.now()
    values = _values_from_entry(directory, entry)
    username = entry.first(directory.attribute("username"))[:150]
    if not values["email"] or "@" not in values["email"] or not username:
        return None, "skipped", [f"no {'e-mail' if username else 'user name'}"]
    link = _link_for(directory, entry.dn, person__isnull=False)
    person = link.person if link else Person.objects.filter(email__iexact=values["email"]).first()
    created = person is None
    person = person or Person()
    changed = [k for k, v in values.items() if getattr(person, k) != v]
    for key, value in values.items():
        setattr(person, key, value)
    department = department_named(entry.first(directory.attribute("department")))
    if department is not None and person.department_id != department.pk:
        person.department = department
        changed.append("department")
    if person.status == PersonStatus.LEFT:
        person.status = PersonStatus.ACTIVE
        changed.append("status")
    if created or changed:
        person.save()
    account = person.user
    if account is None:
        account = User.objects.filter(username__iexact=username).first() or User(username=username)
        if not account.pk:
            account.set_unusable_password()
    if not account.is_active or account.email != values["email"] or not account.pk:
        account.is_active = True
        account.email = values["email"]
        account.save()
    if person.user_id != account.pk:
        person.user = account
        person.save()
    link = link or ExternalIdentity(
        source=IdentitySource.LDAP, directory=directory, subject=entry.dn.lower(), person=person
    )
    link.disabled = False
    link.last_seen = now
    link.attributes = {"manager": entry.first(directory.attribute("manager")).lower()}
    link.save()
    return person, "added" if created else ("updated" if changed else "same"), changed


def roles_for_groups(role_map: dict[str, list[str]], groups: list[Any], group_name_attr: str) -> set[str]:
    roles: set[str] = set()
    for group in groups:
        for key in (group.dn.lower(), group.first(group_name_attr).lower()):
            for mapped, names in role_map.items():
                if mapped.lower() == key:
                    roles.update(names)
    return roles


def managed_roles(role_map: dict[str, list[str]]) -> set[str]:
    return {name for names in role_map.values() for name in names}


def ldap_sync(*, directory: Any, dry_run: bool = False) -> SyncReport:
    """Mirror a directory's users and groups into people, teams and departments.

    Everything is read first; if the directory cannot be reached or searched nothing is
    changed and the report says why. Then, in one transaction: people are added or updated
    (accounts too), managers linked, people no longer in the directory disabled (never
    deleted), teams mirrored from groups and roles set from the role map. A dry run does
    all of it and rolls back, so its report is exactly what a real run would do.
    """
    from steward.identity import ldap

    report = SyncReport(directory=directory.name, dry_run=dry_run)
    try:
        conn = ldap.connect(directory)
        try:
            users = ldap.search(
                conn, directory.user_base_dn, directory.user_filter, ldap.person_attributes(directory)
            )
            groups = (
                ldap.search(
                    conn, directory.group_base_dn, directory.group_filter, ldap.group_attributes(directory)
                )
                if directory.group_base_dn
                else []
            )
        finally:
            conn.unbind()
    except ldap.DirectoryError as exc:
        report.ok, report.error = False, str(exc)
        _record_outcome(directory, report)
        return report
    with transaction.atomic():
        _apply_sync(directory, users, groups, report)
        if dry_run:
            transaction.set_rollback(True)
    _record_outcome(directory, report)
    return report


def _apply_sync(directory: Any, users: list[Any], groups: list[Any], report: SyncReport) -> None:
    now = timezone.now()
    by_dn: dict[str, Person] = {}
    for entry in users:
        person, outcome, changed = upsert_directory_person(directory=directory, entry=entry, now=now)
        if person is None:
            report.skipped.append(f"{entry.dn} ({', '.join(changed)})")
            continue
        by_dn[entry.dn.lower()] = person
        if outcome == "added":
            report.added.append(f"{person} <{person.email}>")
        elif outcome == "updated":
            report.updated.append(f"{person}: {', '.join(changed)}")
    for entry in users:
        person = by_dn.get(entry.dn.lower())
        if person is None:
            continue
        manager = by_dn.get(entry.first(directory.attribute("manager")).lower())
        if manager is not None and manager.pk == person.pk:
            manager = None
        if person.manager_id != (manager.pk if manager else None):
            person.manager = manager
            person.save()
            report.updated.append(f"{person}: manager")
    gone = ExternalIdentity.objects.filter(
        source=IdentitySource.LDAP, directory=directory, person__isnull=False, disabled=False
    ).exclude(subject__in=list(by_dn))
    for link in gone.select_related("person__user"):
        deactivate_person(person=link.person)
        link.disabled = True
        link.save()
        report.disabled.append(f"{link.person} <{link.person.email}>")
    seen_groups = set()
    members_of: dict[int, set[str]] = {}
    for entry in groups:
        name = entry.first(directory.attribute("group_name"))[:200]
        if not name:
            report.skipped.append(f"{entry.dn} (no name)")
            continue
        link = _link_for(directory, entry.dn, team__isnull=False)
        team = link.team if link else Team.objects.filter(name__iexact=name).first()
        created = team is None
        if team is None:
            team = Team(name=name, slug=_free_slug(Team, slugify(name)[:90] or "team"))
        description = entry.first(directory.attribute("group_description"))
        if created or team.name != name or team.description != description:
            if (
                not created
                and team.name != name
                and Team.objects.filter(name__iexact=name).exclude(pk=team.pk).exists()
            ):
                report.skipped.append(f"{entry.dn} (team name {name!r} taken)")
                continue
            team.name, team.description = name, description
            team.save()
        members = [
            by_dn[m.lower()] for m in entry.all(directory.attribute("group_members")) if m.lower() in by_dn
        ]
        before = set(team.members.values_list("pk", flat=True))
        if before != {p.pk for p in members}:
            team.members.set(members)
            if not created:
                report.teams_updated.append(f"{team}: {len(members)} members")
        if created:
            report.teams_added.append(f"{team} ({len(members)} members)")
        link = link or ExternalIdentity(
            source=IdentitySource.LDAP, directory=directory, subject=entry.dn.lower(), team=team
        )
        link.disabled, link.last_seen = False, now
        link.save()
        seen_groups.add(entry.dn.lower())
        for dn in (m.lower() for m in entry.all(directory.attribute("group_members"))):
            members_of.setdefault(by_dn[dn].pk, set()).add(entry.dn.lower()) if dn in by_dn else None
    stale = ExternalIdentity.objects.filter(
        source=IdentitySource.LDAP, directory=directory, team__isnull=False, disabled=False
    ).exclude(subject__in=list(seen_groups))
    for link in stale.select_related("team"):
        link.team.members.clear()
        link.disabled = True
        link.save()
        report.teams_emptied.append(str(link.team))
    if directory.role_map:
        group_by_dn = {g.dn.lower(): g for g in groups}
        managed = managed_roles(directory.role_map)
        for person in by_dn.values():
            if person.user_id:
                person_groups = [group_by_dn[d] for d in members_of.get(person.pk, set())]
                roles = roles_for_groups(directory.role_map, person_groups, directory.attribute("group_name"))
                set_roles(user=person.user, role_names=roles, managed=managed)


def _record_outcome(directory: Any, report: SyncReport) -> None:
    """Keep the outcome on the directory and tell event rules (webhooks, notifications)."""
    from steward.core import events

    if report.dry_run:
        return
    type(directory).objects.filter(pk=directory.pk).update(
        last_sync=timezone.now(),
        last_sync_outcome=SyncOutcome.OK if report.ok else SyncOutcome.FAILED,
        last_sync_report=report.text()[:20000],
    )
    counts = {
        k: len(getattr(report, k)) for k in ("added", "updated", "disabled", "teams_added", "teams_emptied")
    }
    events.emit(
        events.Event(
            name="identity.directory.synced" if report.ok else "identity.directory.sync_failed",
            model="identity.ldapdirectory",
            object_id=directory.pk,
            object_repr=str(directory),
            object_url=directory.get_absolute_url(),
            data={"error": report.error, **counts},
        )
    )


def ldap_login(*, username: str, password: str) -> Any:
    """The account of a directory user whose password the directory accepts, else None.

    The person is created or refreshed from the entry and their roles follow the directory
    groups named in the role map. An unreachable directory is skipped (local accounts work).
    """
    from steward.identity import ldap

    if not username or not password:
        return None
    for directory in ldap.directories(purpose="login"):
        try:
            conn = ldap.connect(directory)
            try:
                entry = ldap.find_user(directory, conn, username)
                if entry is None:
                    continue
                try:
                    ldap.connect(directory, user=entry.dn, password=password).unbind()
                except ldap.DirectoryError:
                    return None
                groups = ldap.groups_of(directory, conn, entry.dn)
            finally:
                conn.unbind()
        except ldap.DirectoryError as exc:
            ldap.logger.warning("LDAP sign-in skipped %s: %s", directory.name, exc)
            continue
        with transaction.atomic():
            person, _outcome, _changed = upsert_directory_person(directory=directory, entry=entry)
            if person is None or person.user is None:
                return None
            if directory.role_map:
                roles = roles_for_groups(directory.role_map, groups, directory.attribute("group_name"))
                set_roles(user=person.user, role_names=roles, managed=managed_roles(directory.role_map))
        return person.user
    return None


# --- OpenID Connect --------------------------------------------------------------------------------
class SignInRefused(Exception):
    """The provider vouched for someone Steward will not let in; the message says why."""


def oidc_sign_in(*, provider: Any, claims: dict[str, Any]) -> Any:
    """The account for verified OpenID ``claims``: by subject, else by e-mail, else created (if allowed)."""
    subject = str(claims.get("sub") or "")
    email = str(claims.get(provider.claim("email")) or "").strip().lower()
    with transaction.atomic():
        link = (
            ExternalIdentity.objects.filter(
                source=IdentitySource.OIDC,
                directory=None,
                subject=f"{provider.slug}:{subject}",
                person__isnull=False,
            )
            .select_related("person__user")
            .first()
        )
        person = (
            link.person if link else (Person.objects.filter(email__iexact=email).first() if email else None)
        )
        if person is None:
            if not provider.create_users:
                raise SignInRefused(f"No person with the e-mail address {email or '(none)'} is known here.")
            if "@" not in email:
                raise SignInRefused("The provider sent no e-mail address.")
            person = Person(email=email)
        if person.pk and person.status == PersonStatus.LEFT:
            raise SignInRefused(f"{person} has left the organisation.")
        first = str(claims.get(provider.claim("first_name")) or "")[:100]
        last = str(claims.get(provider.claim("last_name")) or "")[:100]
        changed = False
        for attribute, value in (("first_name", first), ("last_name", last)):
            if value and getattr(person, attribute) != value:
                setattr(person, attribute, value)
                changed = True
        if not person.first_name and not person.last_name:
            person.first_name, changed = email.split("@")[0][:100], True
        if changed or person.pk is None:
            person.save()
        account = person.user
        if account is None:
            username = str(claims.get(provider.claim("username")) or email)[:150]
            if User.objects.filter(username__iexact=username).exists():
                username = email[:150]
            account = User.objects.filter(username__iexact=username).first()
            if account is None:
                account = User(username=username, email=email)
                account.set_unusable_password()
                account.save()
            person.user = account
            person.save()
        if not account.is_active:
            raise SignInRefused(f"The account of {person} is deactivated.")
        link = link or ExternalIdentity(
            source=IdentitySource.OIDC, subject=f"{provider.slug}:{subject}", person=person
        )
        link.last_seen = timezone.now()
        link.attributes = {
            k: v for k, v in claims.items() if k in ("sub", "email", "name", provider.claim("roles"))
        }
        link.save()
        if provider.role_map:
            raw = claims.get(provider.claim("roles")) or []
            values = {str(v).lower() for v in (raw if isinstance(raw, list) else [raw])}
            roles = {
                name for key, names in provider.role_map.items() if key.lower() in values for name in names
            }
            set_roles(user=account, role_names=roles, managed=managed_roles(provider.role_map))
    return account
