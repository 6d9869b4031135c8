"""Settings for Nettverksportalen, driven by environment variables.

Development needs nothing set: SQLite in the project folder, console e-mail, DEBUG on.
Production sets at least ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``;
see README.md for the full list.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


DEBUG = env_bool("DEBUG", True)
# With DEBUG on: the portal's own error pages instead of Django's debug pages (dev.py serve sets
# it; core.middleware.FriendlyErrorsMiddleware). Without DEBUG they are the portal's anyway.
FRIENDLY_ERRORS = env_bool("FRIENDLY_ERRORS", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Before the admin, so that its admin classes and widgets take effect.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "crispy_forms",
    "axes",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "core",
    "network",
    "municipalities",
    "gatherings",
    "measurements",
    "surveys",
]

MIDDLEWARE = [
    # First: the request id for every log line and the response, and the request's latency
    # (core/observability.py, core/metrics.py).
    "core.observability.RequestIdMiddleware",
    "core.metrics.MetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Cross-Origin-Resource-Policy, on static files too.
    "core.middleware.PermissionsPolicyMiddleware",
    # TRACE, OPTIONS and other methods the portal does not use: 405 before anything else.
    "core.middleware.AllowedMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before every middleware that may fail on the database (sessions), so that the page
    # core.errors.server_error answers with then carries these headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Whole pages for anonymous visitors (core/cache.py; on with a shared cache only).
    "core.cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.sessions.AbsoluteSessionLifetimeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The portal's own 404 and 500 pages on a development server with FRIENDLY_ERRORS
    # (dev.py serve); not loaded otherwise.
    "core.middleware.FriendlyErrorsMiddleware",
    # A database that does not answer: the friendly 503 page. Last before axes, so that its
    # process_view marks the moment the view is called.
    "core.middleware.DatabaseUnavailableMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "network.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL)
if _db["ENGINE"] == "django.db.backends.postgresql":
    # Persistent connections; the health check drops a connection that died with a
    # PostgreSQL restart instead of answering 500 on it.
    _db["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)
    _db["CONN_HEALTH_CHECKS"] = True
    _db.setdefault("OPTIONS", {})["connect_timeout"] = env_int("DATABASE_CONNECT_TIMEOUT", 5)
    # Every statement ends before gunicorn's timeout (30 s) kills the worker, so a killed
    # request never leaves its query running; the background worker gets a longer budget from
    # the Procfile. No JIT: it compiles large expressions for seconds and saves nothing here.
    _db["OPTIONS"]["options"] = (
        f"-c statement_timeout={env_int('DB_STATEMENT_TIMEOUT_MS', 25000)} -c jit=off"
    )
elif _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # core.redis_cache.RedisCache that tells the page cache what a render read.
            "BACKEND": "core.cache.PageAwareRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "nettverksportalen"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "core.cache.PageAwareLocMemCache"}}
# Seconds an anonymous visitor's page is kept (core/cache.py; signed-in pages are never
# kept). A change shows at once (the tables a page read are compared on every hit) and a page
# is never served on a later day than it was made (the date is in its key); this is the
# safety net for writes made outside the portal (psql). The page cache needs a cache all
# processes share: off without Redis.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600 if REDIS_URL else 0)
# Rendered fragments views keep themselves (the ministry overview); 0: render everything.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", True)
# core.content_memo refuses a key that holds anything but plain values (a model instance, a
# lazy translation): a check of the code, on in development and in the tests, off in
# production, where it would cost the ministry overview 8 % of its time on every request.
CONTENT_KEY_CHECKS = env_bool("CONTENT_KEY_CHECKS", DEBUG)

# --- Accounts and sessions ------------------------------------------------------------------
AUTH_USER_MODEL = "network.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "network.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "network:login"
LOGIN_REDIRECT_URL = "network:my_pages"
LOGOUT_REDIRECT_URL = "network:home"

# Idle timeout: the session expires this many seconds after the last request.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_TIMEOUT", 8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = True
# Absolute lifetime: a session ends this many seconds after signing in, however active
# (core.sessions.AbsoluteSessionLifetimeMiddleware).
SESSION_ABSOLUTE_LIFETIME = env_int("SESSION_ABSOLUTE_LIFETIME", 12 * 60 * 60)
# Database sessions that slide the idle timeout without a write on every request.
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "core.sessions")
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

# django-axes: lock a username from one address after repeated failures, and an address
# after many failures across usernames, for a while only (core.lockout).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "core.lockout.LockoutHandler"
AXES_RESET_ON_SUCCESS = True
# A failure during a lock-out does not restart the cool-off, so nobody can keep another
# person locked out by retrying their username; the page (HTTP 429) is
# network.views.accounts.lockout.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "network.views.accounts.lockout"
# Behind N reverse proxies that each append to X-Forwarded-For, the client's address is the
# N-th entry from the right (core.http.client_ip_address); 0 means REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "core.http.client_ip_address"

# --- Personal data: retention (manage.py purge_personal_data, docs/privacy.md) --------------
# Diet, allergy and drinks notes: deleted this many days after a gathering's last day.
HEALTH_DATA_RETENTION_DAYS = env_int("HEALTH_DATA_RETENTION_DAYS", 30)
# django-axes' sign-in logs (address, browser): deleted after this many days.
SIGN_IN_LOG_RETENTION_DAYS = env_int("SIGN_IN_LOG_RETENTION_DAYS", 90)
# Invitations never accepted: name and address blanked this many days after they expired.
EXPIRED_INVITATION_RETENTION_DAYS = env_int("EXPIRED_INVITATION_RETENTION_DAYS", 30)
# Where the privacy statement sends questions about personal data.
PRIVACY_EMAIL = os.environ.get("PRIVACY_EMAIL", "personvern@example.org")

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "nb"
LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

# The programme's own texts (names, descriptions, agenda titles) in the three languages
# (django-modeltranslation: <app>/translation.py, core/translated_fields.py). A text empty in
# the page's language shows the Bokmål one, else whichever language has it.
MODELTRANSLATION_DEFAULT_LANGUAGE = "nb"
MODELTRANSLATION_LANGUAGES = ("nb", "nn", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("nb", "nn", "en")}
# Slugs are made from the Bokmål name in the admin.
MODELTRANSLATION_PREPOPULATE_LANGUAGE = "nb"
_LANGUAGE_ENDONYMS = {"nb": "Bokmål", "nn": "Nynorsk", "en": "English"}


def localized_verbose_name(verbose_name, language: str) -> str:
    """«name (Nynorsk)»: the label of a text's column in one language, as in the admin."""
    return f"{verbose_name} ({_LANGUAGE_ENDONYMS[language]})"


MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = localized_verbose_name

# --- Static files and uploads ---------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "/media/"  # never served directly: uploads go through permission-checking views


def object_storage(environ) -> dict:
    """The storage of uploads: the local disk, or with ``S3_BUCKET`` set an S3-compatible
    object store (django-storages). Its objects are private: the portal reads them and serves
    them through its permission-checking views; no bucket URL is ever given out."""
    bucket = environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    endpoint = environ.get("S3_ENDPOINT_URL") or None
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": environ.get("S3_REGION") or None,
            # MinIO, Ceph and most other S3 servers want path-style addresses.
            "addressing_style": environ.get("S3_ADDRESSING_STYLE")
            or ("path" if endpoint else None),
            "location": environ.get("S3_PREFIX", ""),
            "default_acl": None,  # the bucket's own: private
            "file_overwrite": False,  # like the local disk: never replace another upload
            "querystring_auth": True,  # were a URL ever made, it would be signed and expire
            # A download is read from the bucket into memory up to 2 MB, then a temporary file.
            "max_memory_size": 2 * 1024 * 1024,
        },
    }


STORAGES = {
    "default": object_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env_bool("PLAIN_STATIC_STORAGE", False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Bounds of every spreadsheet import (core/spreadsheets.py); each import also has its own file
# size and row limits. An XLSX file is a zip: its members are checked before anything is parsed.
SPREADSHEET_MAX_UNCOMPRESSED_BYTES = env_int("SPREADSHEET_MAX_UNCOMPRESSED_BYTES", 64 * 1024**2)
SPREADSHEET_MAX_MEMBER_BYTES = env_int("SPREADSHEET_MAX_MEMBER_BYTES", 32 * 1024**2)
SPREADSHEET_MAX_PART_BYTES = env_int("SPREADSHEET_MAX_PART_BYTES", 8 * 1024**2)
SPREADSHEET_MAX_PART_ELEMENTS = env_int("SPREADSHEET_MAX_PART_ELEMENTS", 10_000)
SPREADSHEET_MAX_MEMBERS = env_int("SPREADSHEET_MAX_MEMBERS", 500)
SPREADSHEET_MAX_COMPRESSION_RATIO = env_int("SPREADSHEET_MAX_COMPRESSION_RATIO", 200)
SPREADSHEET_MAX_ROWS = env_int("SPREADSHEET_MAX_ROWS", 100_000)
SPREADSHEET_MAX_CELLS = env_int("SPREADSHEET_MAX_CELLS", 2_000_000)
SPREADSHEET_MAX_LINE_CHARS = env_int("SPREADSHEET_MAX_LINE_CHARS", 32 * 1024)

# --- Forms ----------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ("designsystemet",)
CRISPY_TEMPLATE_PACK = "designsystemet"
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Nettverksportalen <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks (README «Background work») -------------------------------------------------
# The database backend by default: ``manage.py db_worker`` runs the tasks. For Redis and RQ,
# set TASKS_BACKEND=django_tasks_rq.RQBackend (and install django-tasks-rq).
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}
#: Tries of one copy of an e-mail before it is recorded as failed, and the first wait (s).
MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 5)
MAIL_RETRY_DELAY = env_int("MAIL_RETRY_DELAY", 60)
#: /healthz answers 503 when the oldest waiting task has waited longer than this (s).
HEALTHZ_MAX_QUEUE_AGE = env_int("HEALTHZ_MAX_QUEUE_AGE", 300)
#: An import of values with more rows than this is written by the background worker.
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)
#: An export of the overview's raw data with more values than this is written by the background
#: worker for ministry and KS staff; its file is kept this many hours.
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 2000)
EXPORT_KEEP_HOURS = env_int("EXPORT_KEEP_HOURS", 24)
#: The portal's address, for links in e-mails the scheduler sends (no request to take it from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
#: Finished task results are deleted after this many days (the scheduler).
TASK_RESULTS_KEEP_DAYS = env_int("TASK_RESULTS_KEEP_DAYS", 14)

# --- Security -------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    # The __Host- prefix binds the cookies to this exact host over HTTPS.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    if env_bool("USE_X_FORWARDED_PROTO", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# --- Logging, error reports, metrics --------------------------------------------------------
# LOG_FORMAT=json: one JSON object a line, each with the request id and the user id (never a
# name, an e-mail or an IP address), and a "request" record per request
# (core/observability.py). The text format is the message alone, as before.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").strip().lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "core.observability.RequestContextFilter"}},
    "formatters": {
        "json": {"()": "core.observability.JsonFormatter"},
        "text": {"format": "%(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_context"],
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "axes": {"level": "WARNING"},
        # WeasyPrint's font subsetting (the final report's PDF) tells of every table it drops.
        "fontTools": {"level": "WARNING"},
        # The per-request record: in JSON logs only (the development server prints its own).
        "portal.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

# SENTRY_DSN: errors are reported to Sentry, personal data taken out (core/observability.py).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    from core.observability import init_sentry

    init_sentry(
        SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", ""),
        release=os.environ.get("SENTRY_RELEASE", ""),
    )

# /metrics for Prometheus (core/metrics.py): 404 unless one of these lets the caller in.
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")
for _allowed in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_allowed, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_IPS: {_allowed!r} is not an IP address or network."
        ) from None

# --- Portal ---------------------------------------------------------------------------------
PORTAL_NAME = "Nettverksportalen"
# Reputation survey: answers through a survey's open link («åpen lenke») from one client
# address per window (seconds), counted on the shared cache (surveys/services.py).
SURVEY_OPEN_LINK_LIMIT = env_int("SURVEY_OPEN_LINK_LIMIT", 5)
SURVEY_OPEN_LINK_WINDOW = env_int("SURVEY_OPEN_LINK_WINDOW", 60 * 60)
ACCESSIBILITY_EMAIL = os.environ.get("ACCESSIBILITY_EMAIL", "tilgjengelighet@example.org")

# --- Benchmark (bench/run.py only) ----------------------------------------------------------
# The hello-world page and the X-Query-Count header (core/benchmark.py); never in production.
BENCHMARK = env_bool("BENCHMARK", False)
if BENCHMARK:
    MIDDLEWARE.insert(0, "core.benchmark.QueryCountMiddleware")
