"""ISHC Manager settings: one module; every deployment difference comes from the environment."""

from pathlib import Path

import environ

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
    "axes",
    "accounts",
    "clubs",
    "members",
    "trainings",
    "funds",
    "month",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
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

# Lock an account (per user name and address) after repeated failed logins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

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
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions are read on every request: from Redis, written through to the database. Only
    # with a cache every web process shares (a per-process cache would keep a logged-out
    # session alive in the other processes).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
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
# The most a club may lend in one loan, in VND.
ISHC_MAX_LOAN_VND = env.int("ISHC_MAX_LOAN_VND", default=50_000_000)

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
    "loggers": {"axes": {"level": "WARNING"}},
}
