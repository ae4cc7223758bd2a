"""Kvinnofrid settings: one module, every environment variable declared in the block below.

With no environment at all the portal runs embedded: SQLite under var/, Celery tasks run eagerly
in process, e-mail goes to the console and media files live under var/media. Production sets
DATABASE_URL (PostgreSQL), CELERY_BROKER_URL (Redis), SECRET_KEY, ALLOWED_HOSTS and DEBUG=false.
"""

from pathlib import Path

import django_stubs_ext
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

# Admin classes, forms and querysets are generic in the type stubs (ModelAdmin[Plan]); this makes
# those subscripts work at run time too.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# ---------------------------------------------------------------------------------------------
# Environment variables: name=(type, default). `make install` writes a local .env with DEBUG=true
# and a random SECRET_KEY for development; real deployments set these in the environment.
# ---------------------------------------------------------------------------------------------
env = environ.Env(
    DEBUG=(bool, False),
    SECRET_KEY=(str, ""),
    ALLOWED_HOSTS=(list, ["127.0.0.1", "localhost"]),
    CSRF_TRUSTED_ORIGINS=(list, []),
    DATABASE_URL=(str, f"sqlite:///{VAR_DIR / 'kvinnofrid.sqlite3'}"),
    DATABASE_CONN_MAX_AGE=(int, 60),
    CACHE_URL=(str, "locmemcache://kvinnofrid"),
    CELERY_BROKER_URL=(str, ""),
    CELERY_RESULT_BACKEND=(str, ""),
    EMAIL_URL=(str, "consolemail://"),
    DEFAULT_FROM_EMAIL=(str, "Kvinnofrid <noreply@kvinnofrid.example>"),
    SITE_URL=(str, "http://127.0.0.1:8000"),
    MEDIA_ROOT=(str, str(VAR_DIR / "media")),
    STATIC_ROOT=(str, str(BASE_DIR / "staticfiles")),
    SECURE_SSL_REDIRECT=(bool, None),
    SECURE_HSTS_SECONDS=(int, None),
    SECURE_HSTS_PRELOAD=(bool, True),
    SECURE_PROXY_SSL_HEADER=(bool, False),
    SESSION_IDLE_SECONDS=(int, 30 * 60),
    AXES_FAILURE_LIMIT=(int, 5),
    AXES_COOLOFF_MINUTES=(int, 15),
    LOGIN_FAILURE_LIMIT_PER_IP=(int, 30),
    PASSWORD_RESET_LIMIT_PER_IP=(int, 10),
    PASSWORD_RESET_LIMIT_PER_ADDRESS=(int, 3),
    REPORT_BUILD_SOFT_TIME_LIMIT=(int, 300),
    REPORT_BUILD_STALE_MINUTES=(int, 10),
    REPORT_BUILD_LEASE_SECONDS=(int, 0),
    REMINDER_DAYS_BEFORE=(list, [14, 3]),
    LOG_LEVEL=(str, "INFO"),
    ACCESSIBILITY_CONTACT_EMAIL=(str, "tillganglighet@kvinnofrid.example"),
    # e-ID login through the county's OpenID Connect provider (README "e-legitimation"); the
    # login page offers it only when OIDC_ISSUER and OIDC_CLIENT_ID are set.
    OIDC_ISSUER=(str, ""),
    OIDC_CLIENT_ID=(str, ""),
    OIDC_CLIENT_SECRET=(str, ""),
    OIDC_SCOPES=(str, "openid email profile"),
    # Coordinators and administrators who log in with a password must pass a TOTP code.
    OTP_REQUIRED=(bool, True),
    # counts of persons below this are shown as "färre än N" (kvinnofrid/core/small_numbers.py)
    SMALL_NUMBER_THRESHOLD=(int, 5),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DEBUG")
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is false (run `make install` for a local .env)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-debug"  # noqa: S105
ALLOWED_HOSTS = env("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL").rstrip("/")

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
    "axes",
    "kvinnofrid.core",
    "kvinnofrid.directory",
    "kvinnofrid.accounts",
    "agreements",
    "actionplans",
    "followup",
    "kvinnofrid.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kvinnofrid.core.middleware.SlidingSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "kvinnofrid.core.middleware.NoStoreForAuthenticatedMiddleware",
    "kvinnofrid.core.middleware.RestoreTypedTextMiddleware",
    "axes.middleware.AxesMiddleware",
    "kvinnofrid.accounts.two_factor.SecondFactorMiddleware",
]

ROOT_URLCONF = "kvinnofrid.urls"
WSGI_APPLICATION = "kvinnofrid.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kvinnofrid.core.context_processors.navigation",
                "kvinnofrid.accounts.context_processors.home_county",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL")}
# Rendered page fragments are cached until the next write in their county
# (kvinnofrid/core/fragments.py). A per-process cache (the default) suits one process; with several
# workers use a shared one, e.g. Redis (CACHE_URL=rediscache://127.0.0.1:6379/1), so a write in
# one worker invalidates the fragments of all.
CACHES = {"default": env.cache_url("CACHE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env("DATABASE_CONN_MAX_AGE")
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Never checks a password: only the OIDC callback logs users in through it.
    "kvinnofrid.accounts.oidc.OidcBackend",
]
# Argon2id first (Django's hasher at OWASP's baseline cost, see the module); hashes made by the
# others (PBKDF2 before) are rehashed with it at login.
PASSWORD_HASHERS = [
    "kvinnofrid.accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# OpenID Connect (kvinnofrid/accounts/oidc.py): discovery from the issuer's
# /.well-known/openid-configuration, authorization code flow with PKCE and a nonce.
OIDC_ISSUER = env("OIDC_ISSUER").rstrip("/")
OIDC_CLIENT_ID = env("OIDC_CLIENT_ID")
OIDC_CLIENT_SECRET = env("OIDC_CLIENT_SECRET")
OIDC_SCOPES = env("OIDC_SCOPES")
# Two-factor (kvinnofrid/accounts/two_factor.py): TOTP for coordinators, national admins and
# superusers whose session a password opened. Turn off only for local experiments.
OTP_REQUIRED = env("OTP_REQUIRED")

# django-axes: lock out a username + IP pair after repeated failures, for a fixed cool-off.
AXES_FAILURE_LIMIT = env("AXES_FAILURE_LIMIT")
AXES_COOLOFF_TIME = env("AXES_COOLOFF_MINUTES") / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Spraying one password over many usernames: an IP with this many failed logins (any usernames)
# within the cool-off time is refused (kvinnofrid/accounts/limits.py). Higher than the
# per-username limit, as a whole office may share one address.
LOGIN_FAILURE_LIMIT_PER_IP = env("LOGIN_FAILURE_LIMIT_PER_IP")
# Password-reset requests per IP and per e-mail address in a window (counted in the cache).
PASSWORD_RESET_LIMIT_PER_IP = env("PASSWORD_RESET_LIMIT_PER_IP")
PASSWORD_RESET_LIMIT_PER_ADDRESS = env("PASSWORD_RESET_LIMIT_PER_ADDRESS")
PASSWORD_RESET_LIMIT_WINDOW_SECONDS = 3600

# Sessions live in the database. The idle timeout slides: SlidingSessionMiddleware renews a
# logged-in session at most once per SESSION_REFRESH_SECONDS (not a write per request).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env("SESSION_IDLE_SECONDS")
SESSION_REFRESH_SECONDS = 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Internationalisation: Swedish first, English second.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("Engelska"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d"]
FORMAT_MODULE_PATH = ["kvinnofrid.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT")
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
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
# Folder with the CSS, fonts and images the PDF renderer may read (nothing else is fetched).
REPORT_ASSET_DIR = BASE_DIR / "static" / "report"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Only the keys the URL actually sets (Django 6.1 deprecates unused EMAIL_* defaults noisily).
EMAIL_CONFIG = {k: v for k, v in env.email_url("EMAIL_URL").items() if v not in ("", None)}
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL")
# Where the accessibility statement sends feedback about accessibility problems.
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL")
SMALL_NUMBER_THRESHOLD = env("SMALL_NUMBER_THRESHOLD")

# Celery: without a broker URL every task runs eagerly in process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL") or "memory://"
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND") or None
CELERY_TASK_ALWAYS_EAGER = not env("CELERY_BROKER_URL")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_IMPORTS = ["followup.reports.tasks"]
# Task names are explicit (``name=`` on each task) so moving code does not break queued messages.
CELERY_TASK_ROUTES = {"followup.build_report": {"queue": "pdf"}}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
REPORT_BUILD_SOFT_TIME_LIMIT = env("REPORT_BUILD_SOFT_TIME_LIMIT")
REPORT_BUILD_STALE_MINUTES = env("REPORT_BUILD_STALE_MINUTES")
# Without a broker (the embedded default) a PDF build runs in a background thread of the web
# process, off the request; it claims its ReportBuild row as a worker does (followup.reports.flow).
REPORT_BUILD_IN_THREAD = env.bool("REPORT_BUILD_IN_THREAD", default=not env("CELERY_BROKER_URL"))
# A running build holds a lease on its row until this many seconds after it was claimed; a build
# whose lease ran out (its worker died) is claimed again by the next delivery. 0 = the task's hard
# time limit, the longest a live worker may render.
REPORT_BUILD_LEASE_SECONDS = env("REPORT_BUILD_LEASE_SECONDS") or REPORT_BUILD_SOFT_TIME_LIMIT + 60
# Redis hands an unacknowledged message (acks_late; its worker was killed) to another worker after
# ``visibility_timeout``. It matches the lease, plus a margin, so a message is never handed out
# again while its build is still leased to a live worker. Every task here runs far shorter.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 0,
    "socket_connect_timeout": 1,
    "visibility_timeout": REPORT_BUILD_LEASE_SECONDS + 10,
    # Look for abandoned messages every 30 s (kombu's default is every 100 s).
    "unacked_restore_interval": 30,
    "unacked_restore_throttle": 1,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "send-reminders": {"task": "followup.send_reminders", "schedule": 24 * 3600},
    "sweep-report-builds": {"task": "followup.sweep_report_builds", "schedule": 300},
    "send-expiry-notices": {"task": "actionplans.send_expiry_notices", "schedule": 24 * 3600},
    "retention-run": {"task": "followup.retention_run", "schedule": 24 * 3600},
}
REMINDER_DAYS_BEFORE = [int(d) for d in env("REMINDER_DAYS_BEFORE")]

# Security. Production (DEBUG=false) gets the strict values unless the environment says otherwise.
SECURE_SSL_REDIRECT = (
    env("SECURE_SSL_REDIRECT") if env("SECURE_SSL_REDIRECT") is not None else not DEBUG
)
SECURE_HSTS_SECONDS = (
    env("SECURE_HSTS_SECONDS")
    if env("SECURE_HSTS_SECONDS") is not None
    else (0 if DEBUG else 31_536_000)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Consent to the browsers' HSTS preload list (only takes effect once the apex domain is submitted).
SECURE_HSTS_PRELOAD = env("SECURE_HSTS_PRELOAD")
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, set SECURE_PROXY_SSL_HEADER=true.
if env("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_FAILURE_VIEW = "kvinnofrid.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL")},
    "loggers": {
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "ERROR"},
    },
}
