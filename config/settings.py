"""ISHC Manager settings: one module; every deployment difference comes from the environment."""

import ipaddress
from pathlib import Path

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
# A secret key is required whenever DEBUG is off: failing loudly here beats running with a
# guessable key.
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
else:
    SECRET_KEY = env.str("SECRET_KEY")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_celery_beat",
    "simple_history",
    "config.apps.AxesConfig",  # "axes", under a Vietnamese name in the admin
    "csp",
    "django_otp",
    "config.apps.TotpConfig",  # django_otp.plugins.otp_totp
    "config.apps.StaticOtpConfig",  # django_otp.plugins.otp_static
    "accounts",
    "clubs",
    "members",
    "trainings",
    "funds",
    "month",
    "association",
    "elders",
    "campaigns",
    "reports",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages compressed for phones on 3G (docs/offline.md: the budget, and why BREACH is not a
    # worry here: Django masks the CSRF token anew in every response and pads the gzip header
    # at random; static files come compressed from WhiteNoise).
    "django.middleware.gzip.GZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Writes the accesses to sensitive data a request noted, once its response is ready.
    "accounts.access_log.middleware.AccessLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # After authentication: a signed-in session's idle time starts again (accounts.sessions);
    # a second sign-in step still due comes before any page (accounts.two_factor).
    "accounts.middleware.SessionIdleMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    # Last, as django-axes asks: it watches the outcome of authentication.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "accounts.context_processors.access",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'ishc.sqlite3'}"),
}
DATABASES["default"].setdefault("ATOMIC_REQUESTS", False)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, a Celery worker and beat may share the file: wait for locks, use WAL.
    DATABASES["default"].setdefault(
        "OPTIONS",
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL;",
        },
    )
    # SQLite (development) cannot keep "one report upward per area, kind and period" when the
    # half is empty (``nulls_distinct=False``); the service checks it before saving
    # (reports/periodic_services.py) and PostgreSQL enforces it. Say so once, here, instead of
    # on every command.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.UserWithAreaBackend",
    # Sessions signed in before the backend above existed name this one.
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock sign-in after repeated failures (accounts.lockout): for one user name from one address
# after AXES_FAILURE_LIMIT, for an address alone (every user name tried from it) after
# ISHC_LOGIN_ADDRESS_FAILURE_LIMIT: offices and phone networks put many people behind one address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
ISHC_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("ISHC_LOGIN_ADDRESS_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "accounts.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# The reverse proxies (addresses or networks) whose TRUSTED_PROXY_HEADER names the client's
# address. Empty: every request is taken to come straight from its client (REMOTE_ADDR).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
for _proxy in TRUSTED_PROXIES:
    ipaddress.ip_network(_proxy, strict=False)  # a mistyped address fails at start
TRUSTED_PROXY_HEADER = env.str("TRUSTED_PROXY_HEADER", default="X-Forwarded-For")

# A signed-in session ends after this many idle minutes (accounts.sessions): staff and viewers
# work on shared office PCs; club leaders sign in on their own phones, on meeting days.
ISHC_SESSION_IDLE_MINUTES = env.int("ISHC_SESSION_IDLE_MINUTES", default=30)
ISHC_SESSION_IDLE_MINUTES_LEADER = env.int("ISHC_SESSION_IDLE_MINUTES_LEADER", default=8 * 60)
# A session nobody signed in to (none is kept for long) ends as a staff session does.
SESSION_COOKIE_AGE = ISHC_SESSION_IDLE_MINUTES * 60

# Two-step sign-in (accounts.two_factor): an authenticator app's codes (TOTP) and recovery
# codes. Required of provincial staff and administrators when on; anyone may turn it on.
ISHC_REQUIRE_2FA = env.bool("ISHC_REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = "ISHC Manager"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Language, time, formats ---------------------------------------------------------------
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="vi")
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]  # each in its own language
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files: Bootstrap, htmx and Chart.js come from npm (package.json) at set-up -----
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
    # IndexedDB for the record sheet's drafts kept on the phone (static/js/offline-sheet.js).
    ("vendor/dexie", BASE_DIR / "node_modules" / "dexie" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
MEDIA_URL = "/media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

FORM_RENDERER = "config.ui.WidgetRenderer"
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email -------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ISHC Manager <noreply@localhost>")
# Seconds an SMTP conversation may hang: a reminder is "sending" for at most this long.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Celery: Redis when REDIS_URL is set; otherwise in-process, or a local folder transport ---
REDIS_URL = env.str("REDIS_URL", default="")
# Without Redis, `make run` sets CELERY_BROKER_URL=filesystem:// so that a local worker and beat
# run beside the web server; with neither, tasks run in-process (eagerly).
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = CELERY_BROKER_URL == "memory://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue = BASE_DIR / "var" / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue / "queue"),
        "data_folder_out": str(_queue / "queue"),
        "processed_folder": str(_queue / "processed"),
        # Kombu's exchange table: a "control/" folder in the working directory otherwise.
        "control_folder": str(_queue / "control"),
        "store_processed": False,
    }
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}

# --- Caches ------------------------------------------------------------------------------
# Redis is a cache, not a place where anything lives only: the backend (config.cache) answers
# "not cached" when Redis cannot be reached, so pages are built from the database meanwhile.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # An unreachable Redis costs a page at most this long, then is skipped for a while.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            # Two sites (or two benchmark databases, bench/http_pages.py) on one Redis database.
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default=""),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database only (one primary-key read a request). Not cached_db: while
# Redis is unreachable, signing out could not drop the cached copy, and the session would come
# back to life with Redis.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# How long the signed-in user is kept in the cache between requests (seconds; only with a
# cache every process shares: saving or deleting a user drops it at once).
ISHC_USER_CACHE_SECONDS = env.int("ISHC_USER_CACHE_SECONDS", default=60 if REDIS_URL else 0)
# How long a user's menu and a rendered dashboard are kept (seconds). Dashboards read the
# summaries, which are refreshed every minute and drop the cached pages when they change.
ISHC_NAV_CACHE_SECONDS = env.int("ISHC_NAV_CACHE_SECONDS", default=300)
ISHC_DASHBOARD_CACHE_SECONDS = env.int("ISHC_DASHBOARD_CACHE_SECONDS", default=60)

# --- Domain settings ---------------------------------------------------------------------
# Age from which a member counts as "older" in composition figures (Law on the Elderly: 60;
# many clubs count 55).
ISHC_OLDER_AGE = env.int("ISHC_OLDER_AGE", default=60)
# Day of the next month by which a club's monthly report is due.
ISHC_REPORT_DEADLINE_DAY = env.int("ISHC_REPORT_DEADLINE_DAY", default=5)
# Allow a month's report to be submitted from the day of its last meeting (otherwise only
# once the month has ended).
ISHC_REPORT_FROM_LAST_MEETING = env.bool("ISHC_REPORT_FROM_LAST_MEETING", default=False)
# Reports upward (six-month and annual reviews): due so many days after the period's end,
# a commune's to its province, a province's to the central association.
ISHC_PERIODIC_COMMUNE_DAYS = env.int("ISHC_PERIODIC_COMMUNE_DAYS", default=10)
ISHC_PERIODIC_PROVINCE_DAYS = env.int("ISHC_PERIODIC_PROVINCE_DAYS", default=20)
# A club-founding pipeline waiting this many days at one step is "stalled" (association).
ISHC_FOUNDING_STALL_DAYS = env.int("ISHC_FOUNDING_STALL_DAYS", default=60)
# A member export of more rows than this is built by a worker, with progress and a download
# link (members/exports.py); smaller ones are written in the request.
ISHC_MEMBER_EXPORT_INLINE_ROWS = env.int("ISHC_MEMBER_EXPORT_INLINE_ROWS", default=500)
# The most a club may lend in one loan, in VND.
ISHC_MAX_LOAN_VND = env.int("ISHC_MAX_LOAN_VND", default=50_000_000)
# The largest amount any form accepts, in VND, unless the field sets its own limit.
ISHC_MAX_AMOUNT_VND = env.int("ISHC_MAX_AMOUNT_VND", default=10**12)
# The most one club activity may cost, in VND.
ISHC_MAX_ACTIVITY_COST_VND = env.int("ISHC_MAX_ACTIVITY_COST_VND", default=500_000_000)
# A loan above this monthly rate (%) asks the leader to confirm it.
ISHC_LOAN_RATE_CONFIRM_ABOVE = env.float("ISHC_LOAN_RATE_CONFIRM_ABOVE", default=3.0)
# Plausibility of an activity: guests beyond the club's members, and people helped.
ISHC_ACTIVITY_GUESTS_MAX = env.int("ISHC_ACTIVITY_GUESTS_MAX", default=500)
ISHC_MAX_BENEFICIARIES = env.int("ISHC_MAX_BENEFICIARIES", default=5000)
# The longest home-care visit, in minutes.
ISHC_MAX_VISIT_MINUTES = env.int("ISHC_MAX_VISIT_MINUTES", default=480)
# Days a row of the access log of sensitive data is kept (a nightly task deletes older rows).
ISHC_ACCESS_LOG_DAYS = env.int("ISHC_ACCESS_LOG_DAYS", default=365)
# Days a write-once key is remembered (a repeat within them answers like the first post).
# 90: a record sheet saved on a phone with no signal may be sent weeks later (docs/offline.md).
ISHC_IDEMPOTENCY_KEY_DAYS = env.int("ISHC_IDEMPOTENCY_KEY_DAYS", default=90)
# The most members one Excel import may hold (a larger file is refused: split it).
ISHC_IMPORT_MAX_ROWS = env.int("ISHC_IMPORT_MAX_ROWS", default=5000)
# A member import still queued or running this long after it started lost its task or its
# worker: it is marked failed and can be run again. Longer than the task's 10-minute limit.
ISHC_IMPORT_STALE_MINUTES = env.int("ISHC_IMPORT_STALE_MINUTES", default=15)

# --- Meeting reminders -------------------------------------------------------------------
# Days before a meeting at which members are reminded (a club may set its own).
ISHC_REMINDER_LEAD_DAYS = env.list("ISHC_REMINDER_LEAD_DAYS", cast=int, default=[3, 1])
# Hour of the day (local time) at which a reminder falls due on its lead day.
ISHC_REMINDER_SEND_HOUR = env.int("ISHC_REMINDER_SEND_HOUR", default=8)
# A reminder not sent within this many hours of falling due is stale: skipped, never sent late.
ISHC_REMINDER_MAX_AGE_HOURS = env.int("ISHC_REMINDER_MAX_AGE_HOURS", default=24)
ISHC_REMINDER_MAX_ATTEMPTS = env.int("ISHC_REMINDER_MAX_ATTEMPTS", default=5)
# A reminder left "sending" this long by a worker that died is retried.
ISHC_REMINDER_SENDING_TIMEOUT_MINUTES = env.int("ISHC_REMINDER_SENDING_TIMEOUT_MINUTES", default=10)
# No reminder is sent between these local times; it waits for the morning.
ISHC_QUIET_HOURS = env.str("ISHC_QUIET_HOURS", default="21:00-07:00")
# The address of the site as users reach it: the link in a notification's e-mail
# (docs/notifications.md).
ISHC_SITE_URL = env.str("ISHC_SITE_URL", default="http://127.0.0.1:8000")
# The collation names are sorted with on PostgreSQL (config/collation.py): ICU's Vietnamese.
# Empty: the column's own order (a server built without ICU).
ISHC_NAME_COLLATION = env.str("ISHC_NAME_COLLATION", default="vi-VN-x-icu")
# SMS: "console" (log, the default) or "http" (a gateway configured below).
ISHC_SMS_BACKEND = env.str("ISHC_SMS_BACKEND", default="console")
ISHC_SMS_CONSOLE_FILE = env.str("ISHC_SMS_CONSOLE_FILE", default="")
ISHC_SMS_CONSOLE_DELAY = env.float("ISHC_SMS_CONSOLE_DELAY", default=0.0)
ISHC_SMS_GATEWAY_URL = env.str("ISHC_SMS_GATEWAY_URL", default="")
ISHC_SMS_GATEWAY_TOKEN = env.str("ISHC_SMS_GATEWAY_TOKEN", default="")
ISHC_SMS_GATEWAY_TIMEOUT = env.float("ISHC_SMS_GATEWAY_TIMEOUT", default=10.0)
ISHC_SMS_SENDER = env.str("ISHC_SMS_SENDER", default="HOINCT")
# The member reminder; placeholders {club} {time} {date} {place}.
ISHC_SMS_TEMPLATE = env.str("ISHC_SMS_TEMPLATE", default="")
# Most Vietnamese gateways need plain ASCII; 160 characters (70 with diacritics) per SMS.
ISHC_SMS_STRIP_DIACRITICS = env.bool("ISHC_SMS_STRIP_DIACRITICS", default=True)
ISHC_SMS_MAX_LENGTH = env.int("ISHC_SMS_MAX_LENGTH", default=160)
ISHC_SMS_MAX_LENGTH_UNICODE = env.int("ISHC_SMS_MAX_LENGTH_UNICODE", default=70)

# --- Security ----------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# Scripts only from our own static files (no inline script, no eval). Styles: files, plus
# style attributes (computed widths and heights); browsers that know style-src-elem refuse
# inline <style> elements too, except one carrying the response's nonce: the record sheet's
# first stylesheet on a phone that does not hold the file yet (month/templatetags/
# sheet_styles.py; the nonce is in the header only of a response that used it). data: images
# are Bootstrap's form icons.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'", NONCE],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the app never uses, off for every page (config.middleware).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
    CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# /healthz is probed over plain HTTP by load balancers.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "axes": {"level": "WARNING"},
        # Each SMS of the console backend is a log line at INFO; `make run` keeps them in
        # ISHC_SMS_CONSOLE_FILE and sets this to WARNING, so the terminal stays readable.
        "month.reminders.channels": {"level": env.str("ISHC_SMS_LOG_LEVEL", default="INFO")},
    },
}
