"""The one settings module. Everything comes from the environment, with defaults safe for a laptop."""

import json
import os
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("AFTERSALES_VAR_DIR", PROJECT_DIR / "var"))
(VAR_DIR / "static").mkdir(
    parents=True, exist_ok=True
)  # the embedded database and static files live here


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
# The built-in key, for development only: `aftersales serve` refuses it when DEBUG is off. The key
# is SECRET_KEY from the environment, else the file var/secret_key (`make run` writes a random one
# on its first run), else this one (decision 51).
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY_FILE = VAR_DIR / "secret_key"
SECRET_KEY = (
    os.environ.get("SECRET_KEY", "").strip()
    or (SECRET_KEY_FILE.read_text().strip() if SECRET_KEY_FILE.is_file() else "")
    or DEVELOPMENT_SECRET_KEY
)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

# HTTPS (README "Running in production", decision 51). Off by default, so `make run` works on
# http://127.0.0.1; behind a TLS proxy turn them on and `aftersales check --deploy` is clean.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# The header the TLS proxy sets to "https" (e.g. X-Forwarded-Proto). Only Django reads it: `serve`
# trusts no forwarded header by itself. Set it only when the proxy always sets or overwrites it.
_proxy_tls_header = os.environ.get("PROXY_TLS_HEADER", "").strip().upper().replace("-", "_")
_proxy_tls_header = _proxy_tls_header.removeprefix("HTTP_")
SECURE_PROXY_SSL_HEADER = (f"HTTP_{_proxy_tls_header}", "https") if _proxy_tls_header else None
SECURE_REFERRER_POLICY = os.environ.get("SECURE_REFERRER_POLICY", "same-origin")
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' scripts locally (no CDN)
    "django_tasks",
    "django_tasks_db",
    "aftersales.core",
    "aftersales.dispatch",
    "aftersales.customers",
    "aftersales.catalog",
    "aftersales.warranty",
    "aftersales.tickets",
    "aftersales.complaints",
    "aftersales.workorders",
    "aftersales.followups",
    "aftersales.knowledge",
    "aftersales.field",
    "aftersales.desk",
    "aftersales.notifications",
    "aftersales.portal",
    "aftersales.reports",
    "aftersales.privacy",
    "aftersales.shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "aftersales.core.middleware.ContentSecurityPolicyMiddleware",
    "aftersales.core.middleware.ApiErrorFormatMiddleware",
    "aftersales.core.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "aftersales.core.sessions.IdleSessionMiddleware",
    "aftersales.core.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "aftersales.shell.urls"
WSGI_APPLICATION = "aftersales.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "aftersales.shell.context_processors.navigation",
            ],
        },
    },
]

# SQLite under var/ by default; DATABASE_URL (e.g. postgres://…) for production and CI.
# A connection is kept per process (`serve`'s sync workers run one request at a time), checked
# before reuse: the web server holds at most WEB_CONCURRENCY connections (decision 50).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aftersales.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + busy timeout + IMMEDIATE transactions: concurrent writers wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Plan for solid-state storage (PostgreSQL's default random_page_cost of 4 is a spinning
    # disk's): with it, one center's closed jobs newest first are read from their
    # (center, status, id) index, not by walking every newer job (decision 81). No JIT: its
    # compiling cost 20–60 ms a statement on the reports' few-hundred-millisecond statements
    # and saved nothing (decision 84). Options named in DATABASE_URL win.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c random_page_cost=1.1 -c jit=off"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache, so every worker process sees the same entries (the limiters of failed
# logins and of the portal's lookups count in it; decisions 33, 55). Its table is made after
# each `migrate` (core/apps.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "aftersales_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# Argon2 with its parameters pinned (100 MiB a hash, one hash at a time per sync web worker:
# core.hashers, decision 63); PBKDF2 hashes made before still verify.
PASSWORD_HASHERS = [
    "aftersales.core.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Every password set (adduser, the admin, a user's own change) passes Django's four validators:
# not like the username or name, at least PASSWORD_MIN_LENGTH characters, not a common password,
# not all digits (decision 55).
PASSWORD_MIN_LENGTH = int(os.environ.get("PASSWORD_MIN_LENGTH", "8"))
AUTH_PASSWORD_VALIDATORS: list[dict[str, Any]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "aftersales.core.accounts.MinimumLengthValidator",  # Django's, translated
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Failed logins (decision 55): a username that failed LOGIN_FAILURES_PER_USER times from one
# client within LOGIN_FAILURE_WINDOW_MINUTES is refused from that client — even with the right
# password — until the oldest of them leaves the window; a client that failed
# LOGIN_FAILURES_PER_CLIENT times, whatever the usernames, likewise. Never per username alone.
LOGIN_FAILURES_PER_USER = int(os.environ.get("LOGIN_FAILURES_PER_USER", "5"))
LOGIN_FAILURES_PER_CLIENT = int(os.environ.get("LOGIN_FAILURES_PER_CLIENT", "30"))
LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("LOGIN_FAILURE_WINDOW_MINUTES", "15"))
# A staff session ends after this long without activity (decision 56): SESSION_IDLE_MINUTES at a
# desk (等保 practice), FIELD_SESSION_HOURS on a technician's phone (the working day).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
FIELD_SESSION_HOURS = int(os.environ.get("FIELD_SESSION_HOURS", "12"))

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# The Content-Security-Policy on every answer (core.middleware; docs/api.md, decision 52). Scripts
# and style sheets only from the app's own files: no page needs an inline script, eval or an
# inline <style> (the admin and the API's docs page included). Style attributes are allowed (the
# dispatch board places each job with style="left:…"); images may be data: URLs (the signature
# pad paints a kept signature back from one). Set the variable to replace the whole policy, or
# to an empty value to send none (e.g. when the proxy in front sets its own).
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
).strip()

# Customer messages (docs/api.md "Customer messages and the sweep"). SMS_BACKEND "fake" records
# what would have been sent (laptop, demo, tests); "http" posts to SMS_GATEWAY_URL.
SMS_BACKEND = os.environ.get("SMS_BACKEND", "fake")
SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
SMS_GATEWAY_KEY = os.environ.get("SMS_GATEWAY_KEY", "")
SMS_SIGN = os.environ.get("SMS_SIGN", os.environ.get("COMPANY_NAME", "Aftersales"))
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "aftersales@localhost")
# The web server ends a request that runs longer than this (seconds); an Idempotency-Key whose
# request died mid-flight may be retried a little after it (`aftersales serve`, core.idempotency).
REQUEST_TIMEOUT = int(os.environ.get("REQUEST_TIMEOUT", "60"))
# The worker's timer sweep runs this often (seconds).
SWEEP_INTERVAL = int(os.environ.get("SWEEP_INTERVAL", "60"))

# Phone numbers without a country prefix are read as numbers of this region.
PHONE_REGION = os.environ.get("PHONE_REGION", "CN")
# Where customers reach the portal (no login): the links in customer messages start with it.
PORTAL_URL = os.environ.get("PORTAL_URL", "http://127.0.0.1:8000").rstrip("/")
# How many proxies in front of the app each append the client's address to X-Forwarded-For
# (0: none, REMOTE_ADDR is the client). The portal's failed-lookup limit counts per client.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# The company's name as staff say it to customers (call-ahead script, messages).
COMPANY_NAME = os.environ.get("COMPANY_NAME", "Aftersales")
# Assignment suggestions: weights overriding dispatch.rules.Weights, as JSON
# (e.g. {"per_job_that_day": -10}).
DISPATCH_WEIGHTS = json.loads(os.environ.get("DISPATCH_WEIGHTS") or "{}")
# API bearer tokens live this many hours.
API_TOKEN_TTL_HOURS = int(os.environ.get("API_TOKEN_TTL_HOURS", "720"))
# A complaint compensation (discount, refund) above this amount needs a branch manager's approval.
COMPLAINT_APPROVAL_ABOVE = Decimal(os.environ.get("COMPLAINT_APPROVAL_ABOVE", "200.00"))
# "We answer within N working days": the default promise when a complaint is acknowledged.
COMPLAINT_PROMISE_WORKING_DAYS = int(os.environ.get("COMPLAINT_PROMISE_WORKING_DAYS", "3"))
# An unresolved complaint goes to the branch manager this many hours before its promised answer.
COMPLAINT_ESCALATE_BEFORE_HOURS = float(os.environ.get("COMPLAINT_ESCALATE_BEFORE_HOURS", "4"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Nightly backups (docs/operations.md "Backups", decision 66): `aftersales worker` takes one into
# BACKUP_DIR after BACKUP_AT each day (local "HH:MM"; empty: none) and keeps the newest BACKUP_KEEP.
BACKUP_AT = os.environ.get("BACKUP_AT", "").strip()
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", VAR_DIR / "backups"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "7"))

# A list page's export (docs/api.md "Exports", decision 83): at most EXPORT_INLINE_MAX_ROWS rows
# download at once; a longer list is written by `aftersales worker` into EXPORT_DIR (not in the
# media, so not in the backups), where the file is kept EXPORT_KEEP_DAYS days for its download.
EXPORT_INLINE_MAX_ROWS = int(os.environ.get("EXPORT_INLINE_MAX_ROWS", "5000"))
EXPORT_DIR = Path(os.environ.get("EXPORT_DIR", VAR_DIR / "exports"))
EXPORT_KEEP_DAYS = int(os.environ.get("EXPORT_KEEP_DAYS", "7"))
