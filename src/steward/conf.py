"""Typed helpers that read Steward's settings from environment variables.

Every setting Steward reads is declared in ``SETTINGS`` below, with its default and a one-line
description; ``docs/configuration.md`` is generated from the same table, so the code and the
documentation cannot drift apart.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "STEWARD_DATA_DIR",
        "./var",
        "Folder for the embedded database, uploaded files, the secret key and the cache.",
    ),
    Setting(
        "STEWARD_DATABASE_URL",
        "sqlite:///$STEWARD_DATA_DIR/steward.sqlite3",
        "Database URL, e.g. postgres://user@127.0.0.1:5432/steward. SQLite runs in WAL mode.",
    ),
    Setting(
        "STEWARD_SECRET_KEY",
        "(generated into $STEWARD_DATA_DIR/secret_key on first start)",
        "Django's signing key. Never commit one.",
    ),
    Setting("STEWARD_DEBUG", "false", "Debug pages and verbose errors. Never on in production."),
    Setting(
        "STEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost", "Comma-separated host names this server answers to."
    ),
    Setting(
        "STEWARD_REDIS_URL",
        "(unset)",
        "When set (redis://127.0.0.1:6379/0) the cache, rate limits and job queue move to Redis/RQ.",
    ),
    Setting(
        "STEWARD_EMAIL_URL",
        "console://",
        "Outgoing mail: console://, smtp://user:pass@host:25, smtp+tls://… (STARTTLS, port 587 unless given), "
        "smtps://… (port 465), or file:///path.",
    ),
    Setting("STEWARD_TIME_ZONE", "UTC", "Default IANA time zone for display (users may choose their own)."),
    Setting("STEWARD_DEFAULT_FROM_EMAIL", "steward@localhost", "Sender address of outgoing mail."),
    Setting("STEWARD_SECURE_COOKIES", "false", "Mark session and CSRF cookies Secure (turn on behind TLS)."),
    Setting(
        "STEWARD_HSTS_SECONDS",
        "0",
        "Behind TLS: send Strict-Transport-Security for this many seconds (31536000 = a year; 0 = off).",
    ),
    Setting(
        "STEWARD_HSTS_PRELOAD",
        "false",
        "Add `preload` to HSTS (only once the domain is on the preload list).",
    ),
    Setting("STEWARD_SSL_REDIRECT", "false", "Behind TLS: redirect plain-HTTP requests to HTTPS."),
    Setting(
        "STEWARD_TRUST_FORWARDED_PROTO",
        "false",
        "Trust the reverse proxy's X-Forwarded-Proto header to tell HTTPS requests (only behind one).",
    ),
    Setting("STEWARD_LOGIN_MAX_FAILURES", "5", "Failed logins per user and address before a lock-out."),
    Setting("STEWARD_LOGIN_LOCKOUT_SECONDS", "900", "How long a lock-out lasts."),
    Setting("STEWARD_API_RATE", "6000/min", "Requests allowed per API token (e.g. 100/s, 6000/min)."),
    Setting("STEWARD_MAX_UPLOAD_MB", "25", "Largest attachment accepted, in MiB."),
    Setting(
        "STEWARD_WEBHOOK_ALLOWED_NETWORKS",
        "(empty)",
        "Comma-separated addresses or CIDR networks webhooks may reach although they are loopback, "
        "private, link-local or otherwise non-public (e.g. `10.20.0.0/16`). Public addresses are "
        "always allowed; everything else is refused unless listed.",
    ),
    Setting(
        "STEWARD_BASE_URL",
        "(unset)",
        "Public address of this site (https://steward.example.org), for links in emails.",
    ),
    Setting("STEWARD_BIND", "127.0.0.1:8000", "Address `steward run` listens on."),
    Setting(
        "STEWARD_WEB_WORKERS",
        "2",
        "Gunicorn worker processes started by `steward run`. Without Redis each counts API requests "
        "in memory and allows this share of `STEWARD_API_RATE`.",
    ),
    Setting(
        "STEWARD_JOB_LEASE_SECONDS",
        "60",
        "A job worker silent (no heartbeat) for this long is taken for dead: its running jobs are "
        "failed or retried.",
    ),
    Setting(
        "STEWARD_JOB_RETRY_SECONDS", "30", "Delay before a failed job's first retry; doubles per attempt."
    ),
    Setting(
        "STEWARD_ITSM_AUTO_CLOSE_DAYS", "7", "Days a resolved incident waits before it closes by itself."
    ),
    Setting(
        "STEWARD_LOCAL_LOGIN",
        "(unset: the sign-in settings page decides, default on)",
        "`false` turns local password sign-in off (superusers keep theirs); `true` forces it on.",
    ),
    Setting(
        "STEWARD_SCIM_ENABLED",
        "(unset: the sign-in settings page decides, default on)",
        "`false` turns the SCIM endpoint /scim/v2/ off; `true` forces it on.",
    ),
    Setting(
        "STEWARD_LDAP_URI",
        "(unset)",
        'ldap:// or ldaps:// address of a directory to sign in against and mirror (adds the directory "Environment").',
    ),
    Setting(
        "STEWARD_LDAP_ENABLED",
        "true",
        "Whether the environment's directory is used at all.",
    ),
    Setting(
        "STEWARD_LDAP_BIND_DN",
        "(unset: anonymous bind)",
        "Service account DN that searches the directory.",
    ),
    Setting(
        "STEWARD_LDAP_BIND_PASSWORD",
        "(unset)",
        "Its password (also the default variable UI-configured directories read their password from).",
    ),
    Setting(
        "STEWARD_LDAP_USER_BASE_DN",
        "(unset)",
        "Where people are searched, e.g. ou=people,dc=example,dc=org.",
    ),
    Setting(
        "STEWARD_LDAP_USER_FILTER",
        "(objectClass=inetOrgPerson)",
        "Which entries are people (Active Directory: (&(objectClass=user)(objectCategory=person))).",
    ),
    Setting(
        "STEWARD_LDAP_GROUP_BASE_DN",
        "(unset: no teams)",
        "Where groups are searched; each group becomes a team.",
    ),
    Setting(
        "STEWARD_LDAP_GROUP_FILTER",
        "(objectClass=groupOfNames)",
        "Which entries are groups (Active Directory: (objectClass=group)).",
    ),
    Setting(
        "STEWARD_LDAP_ATTRIBUTE_MAP",
        "{}",
        'JSON object overriding directory attribute names, e.g. {"username": "sAMAccountName"} (see docs/identity.md).',
    ),
    Setting(
        "STEWARD_LDAP_ROLE_MAP",
        "{}",
        'JSON object mapping a directory group (cn or DN) to Steward role names, e.g. {"it-admins": ["Administrators"]}.',
    ),
    Setting(
        "STEWARD_LDAP_START_TLS",
        "false",
        "Upgrade ldap:// connections with StartTLS.",
    ),
    Setting(
        "STEWARD_LDAP_TLS_VERIFY",
        "true",
        "Verify the directory's TLS certificate.",
    ),
    Setting(
        "STEWARD_OIDC_ISSUER",
        "(unset)",
        'Issuer URL of an OpenID Connect provider to offer on the sign-in page (adds the provider "sso").',
    ),
    Setting(
        "STEWARD_OIDC_NAME",
        "Single sign-on",
        "Name shown on its sign-in button.",
    ),
    Setting(
        "STEWARD_OIDC_CLIENT_ID",
        "(unset)",
        "Client id registered at the provider; the redirect URI is <site>/login/oidc/callback/.",
    ),
    Setting(
        "STEWARD_OIDC_CLIENT_SECRET",
        "(unset: public client, PKCE only)",
        "Client secret registered at the provider.",
    ),
    Setting(
        "STEWARD_OIDC_CREATE_USERS",
        "false",
        "Create a person and account on first sign-in (otherwise only known e-mail addresses may sign in).",
    ),
    Setting(
        "STEWARD_OIDC_ROLE_MAP",
        "{}",
        "JSON object mapping values of the groups claim to Steward role names.",
    ),
    Setting(
        "STEWARD_DISCOVERY_STALE_DAYS",
        "7",
        "Days after which a discovered configuration item not reported again counts as stale.",
    ),
    Setting(
        "STEWARD_DISCOVERY_MAX_MB",
        "20",
        "Largest discovery payload or scan file (agent JSON, nmap or FusionInventory XML) accepted, in MiB.",
    ),
    Setting(
        "STEWARD_CMDB_METRICS_RAW_DAYS",
        "7",
        "Days raw metric samples are kept before they become hourly averages.",
    ),
    Setting(
        "STEWARD_CMDB_METRICS_HOURLY_DAYS",
        "90",
        "Days hourly metric averages are kept before they become daily ones.",
    ),
    Setting("STEWARD_CMDB_METRICS_DAILY_DAYS", "730", "Days daily metric averages are kept."),
    Setting(
        "STEWARD_CMDB_FORECAST_WINDOW_DAYS", "30", "Days of metric history the capacity trend is fitted on."
    ),
    Setting(
        "STEWARD_CMDB_CAPACITY_HORIZON_DAYS",
        "90",
        "The capacity report lists items predicted to cross within this.",
    ),
    Setting(
        "STEWARD_CMDB_LIFECYCLE_WINDOW_DAYS",
        "90",
        "Days before a warranty, end-of-life or end-of-support date an item enters the lifecycle window.",
    ),
    Setting(
        "STEWARD_FINANCE_PURCHASE_APPROVAL_THRESHOLD",
        "10000",
        "Purchase requests up to this total (in their currency) may be approved by a purchase approver; "
        "above it only by a finance approver.",
    ),
    Setting(
        "STEWARD_MAIL_IMAP_HOST",
        "(unset)",
        "IMAP server the service desk polls for new mail (a Mailbox row set up in the UI wins).",
    ),
    Setting("STEWARD_MAIL_IMAP_PORT", "993", "Port of that IMAP server."),
    Setting("STEWARD_MAIL_IMAP_SSL", "true", "Connect to the IMAP server over TLS."),
    Setting("STEWARD_MAIL_USERNAME", "(unset)", "IMAP user name of the service desk mailbox."),
    Setting("STEWARD_MAIL_PASSWORD", "(unset)", "IMAP password of the service desk mailbox (never stored)."),
    Setting("STEWARD_MAIL_FOLDER", "INBOX", "IMAP folder read for new messages."),
    Setting(
        "STEWARD_MAIL_ADDRESS",
        "(unset)",
        "The service desk's address: callers write to it and ticket mail is sent from it.",
    ),
    Setting(
        "STEWARD_MAIL_UNKNOWN_SENDERS",
        "create_person",
        "Mail from an address no person has: create_person, accept (no caller) or reject.",
    ),
    Setting(
        "STEWARD_ITSM_SURVEY_DAYS",
        "14",
        "Days the satisfaction-survey link sent after a resolution stays valid.",
    ),
    Setting(
        "STEWARD_BASE_CURRENCY",
        "EUR",
        "ISO 4217 currency that finance reports, budgets and allocations are expressed in.",
    ),  # fmt: skip
    Setting(
        "STEWARD_PROJECTS_ITSM_HOURS_PER_ITEM",
        "2",
        "Capacity planning: hours a week each open incident or fulfilment task assigned to a person is "
        "expected to take (current and future weeks; past weeks use the time logged).",
    ),
)


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"{name}: expected true or false, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{name}: expected a whole number, got {value!r}") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def data_dir() -> Path:
    path = Path(env_str("STEWARD_DATA_DIR", "./var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def secret_key(directory: Path) -> str:
    """Return the signing key: from the environment, else a key generated once into the data dir."""
    key = os.environ.get("STEWARD_SECRET_KEY")
    if key:
        return key
    key_file = directory / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        # Another process (a second gunicorn worker) created it first: use its key, not ours.
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def email_settings(url: str) -> dict[str, object]:
    """Translate STEWARD_EMAIL_URL into the default entry of Django's MAILERS setting."""
    from urllib.parse import unquote, urlparse

    parsed = urlparse(url)
    scheme = parsed.scheme
    backends = "django.core.mail.backends"
    if scheme == "console":
        return {"BACKEND": f"{backends}.console.EmailBackend"}
    if scheme == "locmem":
        return {"BACKEND": f"{backends}.locmem.EmailBackend"}
    if scheme == "file":
        return {"BACKEND": f"{backends}.filebased.EmailBackend", "OPTIONS": {"file_path": parsed.path}}
    if scheme in {"smtp", "smtp+tls", "smtps"}:
        try:
            port = parsed.port
        except ValueError:
            raise ValueError(f"STEWARD_EMAIL_URL: the port in {url!r} is not a number") from None
        return {
            "BACKEND": f"{backends}.smtp.EmailBackend",
            "OPTIONS": {
                "host": parsed.hostname or "localhost",
                "port": port or {"smtps": 465, "smtp+tls": 587}.get(scheme, 25),
                "username": unquote(parsed.username or ""),
                "password": unquote(parsed.password or ""),
                "use_tls": scheme == "smtp+tls",
                "use_ssl": scheme == "smtps",
            },
        }
    raise ValueError(f"STEWARD_EMAIL_URL: unsupported scheme {scheme!r}")
