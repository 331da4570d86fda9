"""Settings, driven by environment variables.

The embedded default (no variables set) is SQLite in WAL mode and Celery's filesystem broker, so
`make run` works on a bare machine. Production sets DATABASE_URL (PostgreSQL), CELERY_BROKER_URL or
REDIS_URL (Redis), EMAIL_URL, SECRET_KEY and ALLOWED_HOSTS. Every secret may instead be given as a
file path in NAME_FILE (Docker and Kubernetes secrets).
"""

import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("BRM_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()


def env_secret(name: str, default: str | None = None) -> str | None:
    """NAME, or the content of the file named by NAME_FILE, or the default."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {exc}") from exc
    return os.environ.get(name, default)


DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_secret("SECRET_KEY")
# Without a configured key the web server and the Celery processes refuse to start
# (brm/wsgi.py, brm/celery.py) and `check --deploy` fails. Management commands that sign
# nothing (makemigrations, migrate, createsuperuser) run with a throwaway key of this process.
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    SECRET_KEY = (
        "insecure-debug-only-key"  # noqa: S105 - only ever with DJANGO_DEBUG=true
        if DEBUG
        else secrets.token_urlsafe(50)
    )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
BRM_BASE_URL = env.str("BRM_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The right-hand side of calendar UIDs (brm.calendar.ics.event_uid): set it once and keep it, as
# a calendar client takes an invitation with another UID for another meeting.
BRM_CALENDAR_DOMAIN = env.str(
    "BRM_CALENDAR_DOMAIN", default=urlsplit(BRM_BASE_URL).hostname or "localhost"
)

INSTALLED_APPS = [
    "brm.admin.BrmAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "brm.accounts",
    "brm.tenancy",
    "brm.audit",
    "brm.api",
    "brm.outbox",
    "brm.web",
    "brm.pdf",
    "brm.hours",
    "brm.charts",
    "brm.search",
    "customers",
    "agreements",
    "meetings",
    "complaints",
    "satisfaction",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "brm.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "brm.tenancy.middleware.TenantMiddleware",
]

ROOT_URLCONF = "brm.urls"
WSGI_APPLICATION = "brm.wsgi.application"

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
                "brm.tenancy.context_processors.tenancy",
                "brm.web.context_processors.shell",
            ],
        },
    },
]

# Database. The app connects as a role that owns no table and cannot bypass row-level security;
# migrations are run with DATABASE_URL pointing at the owning role (see README, docs/decisions.md).
DATABASE_URL = env_secret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
_db = DATABASES["default"]
if _db["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _db["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing
        # with "database is locked" half-way through a transaction.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # SQLite cannot make a unique constraint with NULLS NOT DISTINCT (a survey answer is one per
    # question and service, the service empty for most questions). A response's answers are
    # written as a whole, replacing the old ones, and SQLite runs one writer at a time.
    SILENCED_SYSTEM_CHECKS = ["models.W047"]
else:
    _db["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
    # psycopg 3 binds parameters on the server and prepares a statement the fifth time a
    # connection runs it; PostgreSQL may then reuse one generic plan instead of planning again.
    # Lists over a whole office are read unprepared, planned for the office at hand
    # (brm.db.plans says why). Behind a pooler that cannot keep prepared statements (PgBouncer
    # before 1.21 in transaction mode), set DATABASE_PREPARE_THRESHOLD=0.
    _prepare = env.int("DATABASE_PREPARE_THRESHOLD", default=5)
    _db["OPTIONS"] = {"server_side_binding": True, "prepare_threshold": _prepare or None}
    db_password = env_secret("DATABASE_PASSWORD")
    if db_password:
        _db["PASSWORD"] = db_password
# A view and everything it renders run in one transaction; the tenant middleware opens the outer
# one (with the tenant set for row-level security), so an error in a view rolls its writes back.
_db["ATOMIC_REQUESTS"] = True
# The role the application runs as; migrations grant it DML on every table (brm.tenancy.rls).
DATABASE_RUNTIME_USER = env.str("DATABASE_RUNTIME_USER", default="brm_app")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

# Cache: Redis when configured (rate limits must be shared by every web process), else local.
REDIS_URL = env_secret("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="brm"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Celery. Embedded default: the filesystem transport in var/broker (no broker process needed).
CELERY_BROKER_URL = env_secret("CELERY_BROKER_URL") or REDIS_URL or "filesystem://"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for sub in ("queue", "processed", "control"):
        (_broker_dir / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "UTC"
# Keep retrying the broker at start-up too (Celery 6 stops doing so by default); the beat
# schedule and queue routes live in brm/celery.py, the outbox's own tunables in brm/outbox/conf.py.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Email
EMAIL_CONFIG = env.email_url_config(env_secret("EMAIL_URL", "consolemail://"))
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="BRM Office <brm-office@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Authentication: one User model, email is the login (django-allauth).
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "brm.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Failed sign-ins are limited per IP and per account (allauth's rate limits use the cache).
ACCOUNT_RATE_LIMITS = {
    "login_failed": env.str("LOGIN_RATE_LIMIT", default="10/m/ip,5/5m/key"),
}
# The survey answer link (/s/<token>/) has no sign-in: opening and answering it is limited per
# address and per link (brm.web.ratelimit). An office behind one NAT address answers together, so
# the per-address rate is generous; tokens carry 256 random bits, so guessing is not the threat.
SURVEY_LINK_RATE_LIMIT = env.str("SURVEY_LINK_RATE_LIMIT", default="300/m/ip,30/m/key")
# Behind a proxy REMOTE_ADDR is the proxy's, so every client would share one per-IP limit. The
# client's address is read from the header only when the operator says how many proxies (the
# right-most X-Forwarded-For entries) or which single header are theirs: anyone can send one.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[BRM Office] "
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "BRM Office"
# Operators (superusers) need an authenticator to open /admin/.
BRM_ADMIN_MFA_REQUIRED = env.bool("BRM_ADMIN_MFA_REQUIRED", default=True)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German")), ("nl", _("Dutch"))]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# The document seal (brm.pdf): a key, its certificate and the issuing CA (the chain sent with
# each seal and the trust root for verifying uploads). `make run` generates local ones under
# var/seal/; production sets these to its own files.
BRM_SEAL_KEY_PATH = env.str("BRM_SEAL_KEY_PATH", default=str(VAR_DIR / "seal" / "seal-key.pem"))
BRM_SEAL_CERT_PATH = env.str("BRM_SEAL_CERT_PATH", default=str(VAR_DIR / "seal" / "seal-cert.pem"))
BRM_SEAL_CHAIN_PATH = env.str("BRM_SEAL_CHAIN_PATH", default=str(VAR_DIR / "seal" / "seal-ca.pem"))

# Stored files (the sealed PDFs of agreements in force), written by the workers and read by the
# web processes: one folder both reach (a shared volume in docker-compose.yml), or set STORAGES
# to an object store. Never served as static files: the download views check who may read them.
MEDIA_ROOT = env.str("MEDIA_ROOT", default=str(VAR_DIR / "media"))

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Security. These hold behind a TLS-terminating proxy; set DJANGO_SECURE_SSL_REDIRECT=false only
# where the app is reached over plain HTTP on a closed network (make run, the compose file).
_https = not DEBUG and env.bool("DJANGO_SECURE", default=True)
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=_https)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=_https)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=_https)
# Load balancers probe over plain HTTP inside the network; a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000 if _https else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=SECURE_HSTS_SECONDS > 0)
# X-Forwarded-Proto is believed only when the operator says a TLS proxy sets it (and the app is
# reachable through that proxy alone); otherwise any client could claim https.
if env.bool("DJANGO_TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): everything from this origin, no inline script or style, no
# eval (htmx is configured for it in base.html), never framed. Bootstrap's CSS draws its icons
# (select arrow, close button, menu toggler) as data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Browser features no page of the app uses, refused for it and anything it could embed
# (brm.security.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = [
    "accelerometer",
    "autoplay",
    "camera",
    "display-capture",
    "geolocation",
    "gyroscope",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint logs every layout step at INFO; its warnings (a refused resource) stay.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# API
# /api/v1/ is key-only: `Authorization: Bearer <key>`, the key chooses the tenant (the middleware
# enters it for the whole request) and its scope (read / write). No session authentication.
INSTALLED_APPS += ["drf_spectacular_sidecar"]  # Swagger UI's files, served locally (no CDN)
MIDDLEWARE += ["brm.api.middleware.ApiKeyMiddleware"]
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "brm.api.authentication.ApiKeyAuthentication",
        "brm.api.authentication.StaffSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["brm.api.permissions.ApiKeyScopePermission"],
    "DEFAULT_THROTTLE_CLASSES": ["brm.api.throttling.ApiKeyRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "brm.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["brm.api.filters.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "brm.api.schema.BrmAutoSchema",
    "EXCEPTION_HANDLER": "brm.api.exceptions.api_exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/min")  # per key
SPECTACULAR_SETTINGS = {
    "TITLE": "BRM Office API",
    "DESCRIPTION": (
        "The REST API of one BRM office. Send `Authorization: Bearer <key>`; the key chooses the "
        "office. Signed in as staff, the browser may call it too, in the office of the last staff "
        "page opened and with the member's role (writes need the `X-CSRFToken` header). "
        "Lists are paginated (`page`, `page_size` up to 200). Every 4xx answer has the "
        'shape `{"error": {"status", "code", "detail", "fields"}}`.'
    ),
    "VERSION": "1",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs hold no tenant data (the code is open source): public.
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Without deep links Swagger UI puts no link inside each operation's toggle button (axe-core:
    # nested-interactive, target-size); its colours are mended by static/css/swagger.css.
    "SWAGGER_UI_SETTINGS": {"deepLinking": False, "displayOperationId": True},
    "COMPONENT_SPLIT_REQUEST": True,
    # Schema generation runs outside any tenant and asks managers for `.none()` only (the model's
    # shape, never rows); the scoped `objects` would raise there.
    "DEFAULT_QUERY_MANAGER": "all_tenants",
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": "customers.models.Level",
        "AgreementVersionStatusEnum": "agreements.api.serializers.VERSION_STATUS",
        "SignatureStatusEnum": "agreements.api.serializers.SIGNATURE_STATUS",
        "ObjectiveStatusEnum": "agreements.api.serializers.OBJECTIVE_STATUS",
        "CadenceStatusEnum": "meetings.api.serializers.CADENCE_STATUS",
        "MeetingStatusEnum": "meetings.api.serializers.MEETING_STATUS",
        "MeetingKindEnum": "meetings.api.serializers.MEETING_KIND",
        "MinutesStatusEnum": "meetings.api.serializers.MINUTES_STATUS",
        "DecisionStatusEnum": "meetings.api.serializers.DECISION_STATUS",
        "DecisionKindEnum": "meetings.api.serializers.DECISION_KIND",
        "ComplaintStatusEnum": "complaints.api.serializers.COMPLAINT_STATUS",
        "CampaignStatusEnum": "satisfaction.api.serializers.CAMPAIGN_STATUS",
        "QuestionKindEnum": "satisfaction.api.serializers.QUESTION_KIND",
        "NoticeStatusEnum": "meetings.api.communication_serializers.NOTICE_STATUS",
        "NoticeKindEnum": "meetings.api.communication_serializers.NOTICE_KIND",
        "NoticeResolveEnum": "meetings.api.communication_serializers.NOTICE_RESOLVE",
        "NoticeUpdateStageEnum": "meetings.api.communication_serializers.UPDATE_STAGE",
        "CommunicationTopicEnum": "meetings.api.communication_serializers.PLAN_TOPIC",
        "CommunicationFrequencyEnum": "meetings.api.communication_serializers.PLAN_FREQUENCY",
        "AudienceRoleEnum": "meetings.api.communication_serializers.AUDIENCE_ROLE",
        "CommunicationChannelEnum": "meetings.api.communication_serializers.CHANNEL",
        "NoticeSourceEnum": "meetings.api.communication_serializers.NOTICE_SOURCE",
        "FrequencyEnum": "meetings.models.Frequency",
        "ChannelEnum": "complaints.models.Complaint.Channel",
    },
}
