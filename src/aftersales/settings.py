"""The one settings module. Everything comes from the environment, with defaults safe for a laptop."""

import json
import os
from decimal import Decimal
from pathlib import Path

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
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

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
    "aftersales.shell",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
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
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aftersales.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "600")),
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

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The database cache, so every worker process sees the same entries (the portal's failed-lookup
# limiter counts in it; decision 33). Its table is made after each `migrate` (portal/apps.py).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "aftersales_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = []
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

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
