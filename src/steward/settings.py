"""Django settings for Steward, read from environment variables only (see steward.conf)."""

from __future__ import annotations

import sys
from pathlib import Path

import dj_database_url

from steward.conf import (
    data_dir,
    email_settings,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key,
)

DATA_DIR = data_dir()
SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("STEWARD_DEBUG", False)
ALLOWED_HOSTS = env_list("STEWARD_ALLOWED_HOSTS", "127.0.0.1,localhost")
WEBHOOK_ALLOWED_NETWORKS = env_list("STEWARD_WEBHOOK_ALLOWED_NETWORKS", "")
TESTING = "pytest" in sys.modules or env_bool("STEWARD_TESTING", False)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "steward.core",
    "steward.org",
    "steward.strategy",
    "steward.cmdb",
    "steward.itsm",
    "steward.projects",
    "steward.identity",
    "steward.grc",
    "steward.security",
    "steward.finance",
    "steward.talent",
    "steward.innovation",
]
if TESTING:
    # A small app whose models exercise framework features (workflows…) no domain model uses yet.
    INSTALLED_APPS.append("steward.utilities.testing.testapp")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "steward.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "steward.core.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "steward.core.middleware.UserTimezoneMiddleware",
]

ROOT_URLCONF = "steward.urls"
WSGI_APPLICATION = "steward.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "steward.core.context_processors.steward",
            ],
            "builtins": ["steward.core.templatetags.steward"],
        },
    }
]

# --- database -------------------------------------------------------------------------------
_default_db = f"sqlite:///{DATA_DIR / 'steward.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env_str("STEWARD_DATABASE_URL", _default_db), conn_max_age=0)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue on the 20 s busy
        # timeout instead of failing with "database is locked" when a read upgrades to a write.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- cache, jobs ----------------------------------------------------------------------------
REDIS_URL = env_str("STEWARD_REDIS_URL", "")
# The per-token API rate limit counts every request, so it has its own cache: Redis when
# configured (one count for all processes); otherwise each web process counts in memory and
# allows its share of the rate (rate / STEWARD_WEB_WORKERS), so the total stays the configured
# rate. The file cache wrote and renamed a file per request. Login and token-guessing lock-outs
# are written only on failures and stay in the default cache, shared by every worker.
# See docs/adr/0025-rate-limit-store.md.
WEB_WORKERS = 1 if TESTING else max(1, env_int("STEWARD_WEB_WORKERS", 2))  # tests run in one process
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
        "throttle": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "throttle",
        },
    }
elif TESTING:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }
else:
    # Shared by every gunicorn worker on the host, so login throttles hold across processes.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        },
        "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "throttle"},
    }

JOB_LEASE_SECONDS = max(1, env_int("STEWARD_JOB_LEASE_SECONDS", 60))
JOB_RETRY_SECONDS = max(0, env_int("STEWARD_JOB_RETRY_SECONDS", 30))

if TESTING:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
elif REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    INSTALLED_APPS.append("django_rq")  # the RQ backend's worker command and queue wiring
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- auth -----------------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "steward.core.permissions.ObjectPermissionBackend",
    "steward.identity.backends.LDAPBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
LOGIN_MAX_FAILURES = env_int("STEWARD_LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_SECONDS = env_int("STEWARD_LOGIN_LOCKOUT_SECONDS", 900)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("STEWARD_SECURE_COOKIES", False)
# Behind TLS: HSTS (seconds; 0 = off), redirect plain HTTP, and trust the proxy's X-Forwarded-Proto.
SECURE_HSTS_SECONDS = env_int("STEWARD_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0 and env_bool("STEWARD_HSTS_PRELOAD", False)
SECURE_SSL_REDIRECT = env_bool("STEWARD_SSL_REDIRECT", False)
if env_bool("STEWARD_TRUST_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}

# --- i18n, time -----------------------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = env_str("STEWARD_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- static and uploaded files --------------------------------------------------------------
STATIC_URL = "/static/"
# Third-party assets built by frontend/build.mjs (gitignored); our own live in core/static/.
STATICFILES_DIRS = [Path(__file__).resolve().parent / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even before the first collectstatic
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
MAX_UPLOAD_BYTES = env_int("STEWARD_MAX_UPLOAD_MB", 25) * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or TESTING
        else "whitenoise.storage.CompressedStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING

# --- mail -----------------------------------------------------------------------------------
MAILERS = {"default": email_settings("locmem://" if TESTING else env_str("STEWARD_EMAIL_URL", "console://"))}
STEWARD_BASE_URL = env_str("STEWARD_BASE_URL", "").rstrip("/")
ITSM_AUTO_CLOSE_DAYS = env_int("STEWARD_ITSM_AUTO_CLOSE_DAYS", 7)
DISCOVERY_STALE_DAYS = env_int("STEWARD_DISCOVERY_STALE_DAYS", 7)
DISCOVERY_MAX_BYTES = env_int("STEWARD_DISCOVERY_MAX_MB", 20) * 1024 * 1024
CMDB_METRICS_RAW_DAYS = env_int("STEWARD_CMDB_METRICS_RAW_DAYS", 7)
CMDB_METRICS_HOURLY_DAYS = env_int("STEWARD_CMDB_METRICS_HOURLY_DAYS", 90)
CMDB_METRICS_DAILY_DAYS = env_int("STEWARD_CMDB_METRICS_DAILY_DAYS", 730)
CMDB_FORECAST_WINDOW_DAYS = env_int("STEWARD_CMDB_FORECAST_WINDOW_DAYS", 30)
# Impact analysis walks a per-process copy of the relationship graph (ADR 31: about 20 MiB per
# million relationships); off, it walks the database one level at a time.
CMDB_IMPACT_IN_MEMORY = env_bool("STEWARD_CMDB_IMPACT_IN_MEMORY", True)
CMDB_CAPACITY_HORIZON_DAYS = env_int("STEWARD_CMDB_CAPACITY_HORIZON_DAYS", 90)
CMDB_LIFECYCLE_WINDOW_DAYS = env_int("STEWARD_CMDB_LIFECYCLE_WINDOW_DAYS", 90)
FINANCE_PURCHASE_APPROVAL_THRESHOLD = env_int("STEWARD_FINANCE_PURCHASE_APPROVAL_THRESHOLD", 10000)
MAIL_IMAP_HOST = env_str("STEWARD_MAIL_IMAP_HOST", "")
MAIL_IMAP_PORT = env_int("STEWARD_MAIL_IMAP_PORT", 993)
MAIL_IMAP_SSL = env_bool("STEWARD_MAIL_IMAP_SSL", True)
MAIL_USERNAME = env_str("STEWARD_MAIL_USERNAME", "")
MAIL_FOLDER = env_str("STEWARD_MAIL_FOLDER", "INBOX")
MAIL_ADDRESS = env_str("STEWARD_MAIL_ADDRESS", "")
MAIL_UNKNOWN_SENDERS = env_str("STEWARD_MAIL_UNKNOWN_SENDERS", "create_person")
ITSM_SURVEY_DAYS = env_int("STEWARD_ITSM_SURVEY_DAYS", 14)
PROJECTS_ITSM_HOURS_PER_ITEM = env_int("STEWARD_PROJECTS_ITSM_HOURS_PER_ITEM", 2)
BASE_CURRENCY = env_str("STEWARD_BASE_CURRENCY", "EUR").strip().upper()
DEFAULT_FROM_EMAIL = env_str("STEWARD_DEFAULT_FROM_EMAIL", "steward@localhost")

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "steward.core.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["steward.core.api.permissions.ObjectActionPermission"],
    "DEFAULT_FILTER_BACKENDS": [
        "steward.core.api.filters.FilterBackend",
        "steward.core.api.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "steward.core.api.pagination.StewardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["steward.core.api.authentication.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": env_str("STEWARD_API_RATE", "6000/min")},
    "EXCEPTION_HANDLER": "steward.core.api.exceptions.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
# drf-spectacular warns when two models' choice sets share a field name (status, type…); the
# schema stays correct with the suffixed enum names it picks, so the warning is noise.
SILENCED_SYSTEM_CHECKS = ["drf_spectacular.W001"]
SPECTACULAR_SETTINGS = {
    "TITLE": "Steward API",
    "DESCRIPTION": "REST API of Steward, the open IT management platform.",
    "VERSION": "1.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "steward.core.api.schema.collapse_nullable_any",
    ],
}

DJANGO_TABLES2_TEMPLATE = "core/table.html"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {"steward": {"level": "INFO"}},
}
