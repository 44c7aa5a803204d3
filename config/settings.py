"""Casework settings: one module, behaviour switched by environment variables."""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
TESTING = env_bool("CASEWORK_TESTING") or Path(sys.argv[0]).name in {"pytest", "py.test"}
# Production defaults (secure cookies, HTTPS, hashed static files) unless developing or testing.
PRODUCTION = not DEBUG and not TESTING
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("Set SECRET_KEY (or DJANGO_DEBUG=1 for development).")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"
# Personal numbers at rest (casework.crypto, docs/encryption.md): comma-separated Fernet keys,
# the first encrypts, all decrypt. Development and tests use a fixed insecure key; in production
# a missing or malformed key is a system check error (casework.E002), not an import error.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
if not FIELD_ENCRYPTION_KEY and not PRODUCTION:
    # base64 of b"casework-insecure-dev-key-32byte": casework.crypto.INSECURE_DEVELOPMENT_KEY
    FIELD_ENCRYPTION_KEY = "Y2FzZXdvcmstaW5zZWN1cmUtZGV2LWtleS0zMmJ5dGU="

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "config.staticfiles.CaseworkStaticFilesConfig",
    "django.contrib.humanize",
    "django_filters",
    "django_tables2",
    "viewflow",
    "viewflow.workflow",
    "casework",
    "workflows",
    "notifications",
    "reports",
    "supervision",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casework.middleware.CookieLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "casework.logins.SessionLimitsMiddleware",
    "casework.logins.PasswordChangeRequiredMiddleware",
    "casework.middleware.NoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # last: turns a login refused for too many failures into the lockout page
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
                "casework.context_processors.navigation",
                "notifications.context_processors.bell",
            ],
        },
    },
]

# Database: DATABASE_URL picks it; SQLite next to the code is the embedded default.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take SQLite's write lock at BEGIN, which makes every
    # atomic block (and so viewflow's flow lock) serialise writers instead of
    # failing with "database is locked" half-way through.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "casework.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# AxesStandaloneBackend first: it refuses a (username, address) pair that is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# dates read 2026-05-11 in both languages, everywhere (config/formats/)
FORMAT_MODULE_PATH = "config.formats"
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
# files served at the site's root (the favicon.ico that browsers ask for without a link)
WHITENOISE_ROOT = BASE_DIR / "config" / "root"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Logins (docs/logins.md): failures are counted per (username, address) pair, so neither a
# stranger typing a caseworker's name elsewhere nor a shared office address locks anyone out
# for good; a locked pair may try again after the cool-off.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = int(os.environ.get("CASEWORK_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("CASEWORK_LOGIN_COOLOFF_MINUTES", "15")))
# a try while locked out does not push the end of the cool-off further
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "casework.logins.locked_out"
AXES_USERNAME_CALLABLE = "casework.logins.throttled_username"
# logins are recorded once, as ExportLog rows (casework.logins): not again in axes' access log
AXES_DISABLE_ACCESS_LOG = True
# casework.logins writes one line per login, failure and lockout; axes' own lines would repeat them
AXES_VERBOSE = False
# the address of a login (casework.logins.client_address): the connection's, or behind
# CASEWORK_PROXY_COUNT proxies (nginx in front: 1) the entry the outermost proxy appended to
# X-Forwarded-For (entries further left come from the client and are not believed)
CASEWORK_PROXY_COUNT = int(
    os.environ.get("CASEWORK_PROXY_COUNT", "1" if env_bool("SECURE_PROXY_SSL_HEADER") else "0")
)
AXES_CLIENT_IP_CALLABLE = "casework.logins.client_address"

# Sessions end after CASEWORK_SESSION_IDLE_MINUTES without a request and, whatever the
# activity, CASEWORK_SESSION_MAX_HOURS after the login (casework.logins.SessionLimitsMiddleware).
CASEWORK_SESSION_IDLE = timedelta(
    minutes=float(os.environ.get("CASEWORK_SESSION_IDLE_MINUTES", "30"))
)
CASEWORK_SESSION_MAX = timedelta(hours=float(os.environ.get("CASEWORK_SESSION_MAX_HOURS", "12")))
# the cookie and the stored session outlive the idle limit by the minute in which the last
# request is not written down (the middleware's own check is the exact one)
SESSION_COOKIE_AGE = int(CASEWORK_SESSION_IDLE.total_seconds()) + 120

# Content-Security-Policy (django-csp): scripts only from this site's static files, no inline
# script or event handler; inline style attributes (bar widths, table cells) stay allowed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Security: safe defaults in production, each switchable for a deployment behind a proxy.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
if env_bool("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Background jobs (roster imports): "thread" in the web process, "celery" with a broker,
# "sync" inline (tests). Progress bars read the cache, so Celery needs Redis there too.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CASEWORK_JOBS = os.environ.get(
    "CASEWORK_JOBS", "sync" if TESTING else ("celery" if CELERY_BROKER_URL else "thread")
)
# A complete roster that would list more than this share of the county's open cases as
# left-list candidates asks the importer to confirm that first (0.2: 20%).
CASEWORK_LEFT_LIST_CONFIRM_SHARE = float(os.environ.get("CASEWORK_LEFT_LIST_CONFIRM_SHARE", "0.2"))
# Periodic work (manage.py run_periodic from cron, or Celery beat's casework.run_periodic):
# beat's interval, and how long a run waits for one still running elsewhere before it skips.
# A county's WeCom group robot address must start with this (WeCom's own webhook; a proxy's
# address where the servers reach the internet through one)
CASEWORK_WECOM_WEBHOOK_PREFIX = os.environ.get(
    "CASEWORK_WECOM_WEBHOOK_PREFIX", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key="
)
CASEWORK_PERIODIC_MINUTES = float(os.environ.get("CASEWORK_PERIODIC_MINUTES", "5"))
CASEWORK_PERIODIC_WAIT = float(os.environ.get("CASEWORK_PERIODIC_WAIT", "120"))
# where a task's result is kept (none unless set, e.g. redis://127.0.0.1:6379/1)
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# When the quarterly re-surveys (generated at each quarter's start) are due: "quarter_end", the
# quarter's last working day, or a number N, its N-th working day.
CASEWORK_RESURVEY_DUE = os.environ.get("CASEWORK_RESURVEY_DUE", "quarter_end")
# A monthly report is due by the end of the 3rd of the next month; when that day is not a working
# day, by the next working day (on by default: October's 3rd falls in the National Day holiday).
CASEWORK_REPORT_DEADLINE_NEXT_WORKING_DAY = env_bool(
    "CASEWORK_REPORT_DEADLINE_NEXT_WORKING_DAY", True
)
# An export of at most this many rows answers its file within the request; a larger one is
# written in the background (a progress page, then a download link). Its file is kept encrypted
# under MEDIA_ROOT/exports for its asker only and deleted after CASEWORK_EXPORT_KEEP_HOURS.
CASEWORK_EXPORT_INLINE_MAX_ROWS = int(os.environ.get("CASEWORK_EXPORT_INLINE_MAX_ROWS", "5000"))
CASEWORK_EXPORT_KEEP_HOURS = float(os.environ.get("CASEWORK_EXPORT_KEEP_HOURS", "24"))
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded rosters: the largest file kept (the rest of a larger one is read and dropped, never
# stored), the most rows read, and the most an .xlsx may unpack to (checked before unpacking).
CASEWORK_UPLOAD_MAX_MB = float(os.environ.get("CASEWORK_UPLOAD_MAX_MB", "20"))
CASEWORK_UPLOAD_MAX_ROWS = int(os.environ.get("CASEWORK_UPLOAD_MAX_ROWS", "100000"))
CASEWORK_XLSX_MAX_UNZIPPED_MB = float(os.environ.get("CASEWORK_XLSX_MAX_UNZIPPED_MB", "100"))
FILE_UPLOAD_HANDLERS = [
    "casework.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# E-mail (notifications): SMTP from the environment; without EMAIL_HOST, e-mails are printed to
# the console (development) or kept in memory (tests).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL")
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "casework@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
DJANGO_TABLES2_PAGE_RANGE = 7

# A refused request (403, 400) writes one line through "casework.refusals" (casework.views),
# "403 user=<id> path=<path>", instead of Django's warning with a traceback.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # every line masks the ID and mobile numbers it would carry (casework.logs)
    "formatters": {
        "line": {
            "()": "casework.logs.MaskingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        }
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # weasyprint reports each step of every PDF (and of its own start) at INFO
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

if TESTING:
    # the tests create hundreds of users; a fast hash keeps them quick (never outside tests)
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The home pages' charts read summaries a periodic job takes per place (reports.snapshots);
# the targets and the month comparison are re-taken when older than this many minutes.
CASEWORK_DASHBOARD_REFRESH_MINUTES = int(os.environ.get("CASEWORK_DASHBOARD_REFRESH_MINUTES", "15"))
