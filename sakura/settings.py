"""The one settings module, driven by environment variables (django-environ).

With no environment at all it runs the embedded default of `make run`: SQLite, Celery
eager, mail to the console, DEBUG on. Production sets DJANGO_DEBUG=false, DATABASE_URL,
REDIS_URL, DJANGO_SECRET_KEY, PERSONAL_DATA_KEY, DJANGO_ALLOWED_HOSTS and the mail settings.
"""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=True)
# Published with the code: for `make run` only (see "Keys" below and sakura/checks.py).
DEVELOPMENT_SECRET_KEY = "local-development-only-secret-key-change-me-in-production-0123456789"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=DEVELOPMENT_SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
# The portal's public address: links in mail, and the verification address each letter prints
# (and re-issues on change). Required in production: a default there would print a wrong one.
SITE_URL = env.str("SITE_URL", default="")
if not SITE_URL:
    if not DEBUG and not env.bool("DJANGO_TESTING", default=False):
        raise ImproperlyConfigured(
            "SITE_URL must be set when DJANGO_DEBUG is false: it is the portal's public address "
            "(e.g. https://portal.example.org), printed in every letter's QR code and used in "
            "the links of every mail."
        )
    SITE_URL = "http://127.0.0.1:8000"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_countries",
    "django_filters",
    "django_htmx",
    "template_partials",
    "localflavor",
    "rules.apps.AutodiscoverRulesConfig",
    "sakura",
    "accounts",
    "institutions",
    "programs",
    "applications",
    "reviews",
    "notifications",
    "participants",
    "letters",
    "nominations",
    "insights",
    "reports",
    "screening",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A NUL character in the address or query answers 400 (PostgreSQL refuses it: a 500).
    "common.middleware.RefuseNulCharactersMiddleware",
    # Axes last, as its documentation asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sakura.urls"
FORM_RENDERER = "common.forms.FormRenderer"
WSGI_APPLICATION = "sakura.wsgi.application"

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
                "csp.context_processors.nonce",
                "sakura.context_processors.roles",
            ],
            "builtins": ["sakura.templatetags.sakura", "rules.templatetags.rules"],
        },
    },
    {
        # Form fields and the rows of long tables (sakura/templating.py); Django's own form
        # templates come from django.forms' jinja2 directory.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {"environment": "sakura.templating.environment"},
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Persistent connections in production: a new PostgreSQL connection per request costs the
# web process and the server more than most pages' queries; checked before each request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=0 if DEBUG else 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The planner's price of reading a page out of order, against in order: PostgreSQL's 4
    # is for spinning disks. On SSDs, with the pages' working set in memory, 1.1 lets it use
    # the indexes the pages filter on (a call's review assignments: 18 → 2 ms at ten-year
    # scale, where 4 reads all of them). Set per connection, so no server change is needed.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c random_page_cost={env.float('DATABASE_RANDOM_PAGE_COST', default=1.1)}"
    )
    # Parameters sent apart from the SQL, and a query run a fifth time on a connection
    # prepared there (psycopg's prepare_threshold): later runs skip planning, which for the
    # editor's plan (nine tables joined) took 1 ms of the server's 1.1. Off behind a pooler
    # that shares server connections between clients (PgBouncer in transaction mode).
    if env.bool("DATABASE_PREPARED_STATEMENTS", default=True):
        DATABASES["default"]["OPTIONS"].setdefault("server_side_binding", True)
        DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            # Django's Redis cache, failing soft (common/cache.py): with Redis down, pages
            # work as with an empty cache. See "Faults" below for the timeouts.
            "BACKEND": "common.cache.FailSoftRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="sakura"),
            "OPTIONS": {
                "socket_connect_timeout": env.float("CACHE_CONNECT_TIMEOUT", default=0.5),
                "socket_timeout": env.float("CACHE_SOCKET_TIMEOUT", default=0.5),
            },
        }
    }
    # Sessions are read from Redis, written to both (the database stays their record): one
    # query less on every page. Redis down, they are read from the database.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis when REDIS_URL is set; otherwise tasks run eagerly in the web process,
# which is what `make run` wants on a machine with nothing else installed.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "Asia/Tokyo"
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# --- Faults: a broker that is down, a worker that is killed (README "Faults and recovery") ---
# A task is acknowledged when it has finished, not when a worker takes it: a worker killed
# mid-task (SIGKILL, out of memory, a container stopped) leaves its message unacknowledged,
# and Redis hands it to another worker once CELERY_VISIBILITY_TIMEOUT has passed (a pool
# child that dies is noticed at once: its message goes back to the queue). Each worker takes
# one message at a time, so a dead worker holds back one task, not a prefetched handful.
# Every task is idempotent (letters by their data's fingerprint, the outbox by claiming the
# row), so a task that runs again changes nothing. A task must finish well within the
# visibility timeout, and no countdown may exceed it (letters.tasks.backoff stays under).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=300)
# Publishing fails fast when the broker is down (no retries, 1 s at most, half a second to
# connect): the work is in the database and the beat sweeps queue it again (common/tasks.py).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # Publishing connects once (a worker's own connection retries: broker_connection_*).
    "max_retries": 0,
    "socket_connect_timeout": env.float("CELERY_BROKER_SOCKET_CONNECT_TIMEOUT", default=0.5),
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # Workers look for messages of dead workers every tenth of the timeout.
    "unacked_restore_interval": max(1, CELERY_VISIBILITY_TIMEOUT // 10),
    "unacked_restore_throttle": 1,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = CELERY_BROKER_TRANSPORT_OPTIONS["socket_connect_timeout"]
# --- end of Faults ---

CELERY_BEAT_SCHEDULE = {
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    "sweep-letters": {"task": "letters.tasks.sweep_letters", "schedule": 60.0},
    "remind-drafts": {"task": "applications.tasks.remind_drafts", "schedule": 6 * 3600.0},
    "remind-reviewers": {
        "task": "reviews.tasks.remind_reviewers",
        "schedule": 6 * 3600.0,
    },
    "remind-reports": {"task": "reports.tasks.remind_reports", "schedule": 12 * 3600.0},
    "apply-retention": {
        "task": "participants.tasks.apply_retention",
        "schedule": crontab(hour=3, minute=30),  # CELERY_TIMEZONE: 03:30 JST
    },
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if env.bool("DJANGO_TESTING", default=False):
    # Thousands of test users: a fast hash in tests only (never in production).
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"

# django-allauth: email is the login; nobody signs up on their own (see accounts.adapter).
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Sakura Exchange] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Failed sign-ins are counted and locked by django-axes alone (below), not twice.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Sakura Exchange Portal"
# One 30-second step either side: phones whose clocks drift a little still work.
MFA_TOTP_TOLERANCE = 1
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"

# django-axes: lock an account after repeated failed sign-ins.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.axes.username_from_request"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# django-csp: no inline script or style anywhere, so the policy stays strict.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ja", _("Japanese"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded files are private: no MEDIA_URL route exists; views check permission and stream them.
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
# A Fernet key (base64, 32 bytes) for passport numbers; required with DEBUG off (see "Keys"
# below); under `make run` derived from SECRET_KEY when unset.
PERSONAL_DATA_KEY = env.str("PERSONAL_DATA_KEY", default="")
# Retention of personal data (participants.domain.retention; README "What personal data is kept").
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=5)
AUDIT_LOG_RETENTION_YEARS = env.int("AUDIT_LOG_RETENTION_YEARS", default=5)
SIGN_IN_LOG_DAYS = env.int("SIGN_IN_LOG_DAYS", default=30)
NOTIFICATION_RETENTION_DAYS = env.int("NOTIFICATION_RETENTION_DAYS", default=365)
# The staff dashboard's figures are recomputed at most this often (or on demand).
DASHBOARD_CACHE_SECONDS = env.int("DASHBOARD_CACHE_SECONDS", default=600)
MAX_IMPORT_BYTES = env.int("MAX_IMPORT_BYTES", default=2 * 1024 * 1024)
MAX_ATTACHMENT_BYTES = env.int("MAX_ATTACHMENT_BYTES", default=10 * 1024 * 1024)
# Export-control screening: a partner's name scoring this much (0–100, rapidfuzz) against a
# name on the End User List is a match that staff must resolve before approval.
SCREENING_MATCH_THRESHOLD = env.int("SCREENING_MATCH_THRESHOLD", default=88)
# Letters, attachments and report photos. The local file system under MEDIA_ROOT by default
# (`make run`, one machine); with S3_BUCKET set, private S3-compatible object storage that web
# hosts and workers share. Nothing is public either way: downloads go through the views'
# permission checks, which stream the file.
S3_BUCKET = env.str("S3_BUCKET", default="")
DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env.str("S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("S3_REGION", default="") or None,
            "access_key": env.str("S3_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("S3_SECRET_ACCESS_KEY", default="") or None,
            "location": env.str("S3_PREFIX", default=""),
            "default_acl": "private",
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": 60,
        },
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or env.bool("DJANGO_TESTING", default=False)
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# EMAIL_URL, e.g. smtp+tls://user:password@mail.example.org:587; the console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Sakura Exchange <no-reply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security: `manage.py check --deploy` passes with DJANGO_DEBUG=false.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG and env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# --- Security: public pages, second factor, keys, health (issue 13) ---
# Letter checks per address per minute on the public verification page (/verify/<reference>/).
VERIFY_LETTER_PER_MINUTE = env.int("VERIFY_LETTER_PER_MINUTE", default=20)
# /healthz shows the database, Redis and Celery checks only to a program officer or to a
# monitor sending `Authorization: Bearer <HEALTHZ_TOKEN>`; empty: no token opens them.
HEALTHZ_TOKEN = env.str("HEALTHZ_TOKEN", default="")

# Keys: the development key is published with the code, so anyone could sign sessions and
# password-reset links with it, and a passport key derived from it protects nothing. With DEBUG
# off the portal does not start without its own secret key and a separate, valid Fernet key
# for personal data; `check --deploy` fails on the same (sakura/checks.py).
if not DEBUG:
    if SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set to 50 or more random characters when DJANGO_DEBUG is "
            "false (python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not PERSONAL_DATA_KEY:
        raise ImproperlyConfigured(
            "PERSONAL_DATA_KEY must be set to its own Fernet key when DJANGO_DEBUG is false "
            '(python3 -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())").'
        )
if PERSONAL_DATA_KEY:
    try:
        Fernet(PERSONAL_DATA_KEY)
    except ValueError as error:
        raise ImproperlyConfigured(
            f"PERSONAL_DATA_KEY is not a Fernet key (32 url-safe base64-encoded bytes): {error}"
        ) from error

# Second factor: a wrong code is a failed sign-in for django-axes (AccessAttempt and the
# AccessFailureLog rows accounts.second_factor counts); codes are refused for AXES_COOLOFF once
# a person has entered SECOND_FACTOR_FAILURE_LIMIT wrong ones (from any address), or an address
# has sent SECOND_FACTOR_ADDRESS_FAILURE_LIMIT (for anyone). allauth's own limiter is off with
# ACCOUNT_RATE_LIMITS["login_failed"] (it would count password failures a second time).
MFA_FORMS = {
    "authenticate": "accounts.forms.AuthenticateForm",
    "reauthenticate": "accounts.forms.ReauthenticateForm",
}
SECOND_FACTOR_FAILURE_LIMIT = env.int("SECOND_FACTOR_FAILURE_LIMIT", default=5)
SECOND_FACTOR_ADDRESS_FAILURE_LIMIT = env.int("SECOND_FACTOR_ADDRESS_FAILURE_LIMIT", default=20)
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The codes tried are not kept in the sign-in records (nor are passwords, which axes drops).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# The lockout page says for how long.
AXES_LOCKOUT_CALLABLE = "accounts.axes.lockout_response"
# --- end of the issue 13 security block ---

# The survey after the stay: a plan's or a call's results are shown from this many answers on,
# so that no one person's scores or comments can be read off them.
SURVEY_MIN_ANSWERS = env.int("SURVEY_MIN_ANSWERS", default=3)
