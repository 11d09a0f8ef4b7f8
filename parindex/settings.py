"""Settings, from environment variables only (see docs/configuration.md).

Development defaults let a fresh clone run at once: DEBUG on, SQLite under ``var/``.
Production-critical values have no default once DEBUG is off.
"""

import datetime
import os
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PARINDEX_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_secret(name: str, default: str | None = None) -> str | None:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE``."""
    if path := os.environ.get(f"{name}_FILE"):
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_secret("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is false")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "ninja",
    "parindex.core",
    "parindex.accounts",
    "parindex.audit",
    "parindex.organizations",
    "parindex.criteria",
    "parindex.periods",
    "parindex.assessments",
    "parindex.season",
    "parindex.notices",
    "parindex.documents",
    "parindex.results",
    "parindex.evidence",
    "parindex.surveys",
    "parindex.teams",
    "parindex.remediation",
    "parindex.plans",
    "parindex.tools",
    "parindex.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages: idle timeout, then the second-factor rules.
    "parindex.accounts.middleware.IdleTimeoutMiddleware",
    "parindex.accounts.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires: turns a locked-out login into its lockout response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "parindex.urls"
WSGI_APPLICATION = "parindex.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "parindex" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
            ],
        },
    },
]

# Database: SQLite file under var/ by default; PostgreSQL (production) when DATABASE_URL is set.
if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url, conn_max_age=0)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {})
        if env_bool("DB_POOL", True):
            # Django's native psycopg pool: the biggest easy throughput win (docs/performance.md).
            DATABASES["default"]["OPTIONS"]["pool"] = {
                "min_size": env_int("DB_POOL_MIN", 2),
                "max_size": env_int("DB_POOL_MAX", 10),
            }
    if replica_url := os.environ.get("DATABASE_REPLICA_URL"):
        # A streaming replica: public pages read published results from it (alias "replica",
        # see parindex/core/replica.py). Parsed like default, with default's options (its own
        # pool) under the URL's; the test runner never creates a database on it (MIRROR).
        replica = dj_database_url.parse(replica_url, conn_max_age=0)
        options = {**DATABASES["default"].get("OPTIONS", {}), **replica.get("OPTIONS", {})}
        replica["OPTIONS"] = options
        replica["TEST"] = {"MIRROR": "default"}
        DATABASES["replica"] = replica
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "parindex.sqlite3"),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;",
            },
            # A file, not SQLite's shared in-memory database: browser tests run the live
            # server in another thread, and in-memory tables lock instead of waiting.
            "TEST": {"NAME": str(VAR_DIR / "test-parindex.sqlite3")},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "todo"  # Việc cần làm (an explicit ?next= wins)
LOGOUT_REDIRECT_URL = "/"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses locked-out logins before checking them
    "django.contrib.auth.backends.ModelBackend",
]
# Login lock-out (django-axes): after LOGIN_FAILURE_LIMIT failures for one user name from one
# address, that pair is locked for LOGIN_LOCKOUT_MINUTES.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env_int("PROXY_COUNT", 0)
OTP_TOTP_ISSUER = "parindex"
# Roles that must sign in with a second factor (TOTP): "chair", "observer", "appraiser",
# "unit_leader", "unit_staff" and "superuser" (any superuser account). Empty: optional for all.
TWO_FACTOR_REQUIRED_ROLES = env_list(
    "TWO_FACTOR_REQUIRED_ROLES", "" if DEBUG else "chair,superuser"
)
# A session ends after this many minutes without a request, and at the latest after
# SESSION_MAX_HOURS; a password-reset link is valid for PASSWORD_RESET_MINUTES.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("SESSION_MAX_HOURS", 12) * 3600
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 60) * 60

# Argon2id at OWASP's minimum profile (19 MiB, 2 passes, 1 lane: docs/configuration.md);
# hashes made with other parameters (Django's Argon2 defaults, PBKDF2) still verify and are
# re-hashed with these at the account's next successful sign-in.
PASSWORD_HASHERS = [
    "parindex.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
PASSWORD_ARGON2_MEMORY_KIB = env_int("PASSWORD_ARGON2_MEMORY_KIB", 19456)
PASSWORD_ARGON2_TIME_COST = env_int("PASSWORD_ARGON2_TIME_COST", 2)
PASSWORD_ARGON2_PARALLELISM = env_int("PASSWORD_ARGON2_PARALLELISM", 1)
# Password hashes computed at once per process (0: no limit); see docs/configuration.md.
PASSWORD_ARGON2_CONCURRENCY = env_int("PASSWORD_ARGON2_CONCURRENCY", 1)
if not (
    1 <= PASSWORD_ARGON2_TIME_COST <= 100
    and 1 <= PASSWORD_ARGON2_PARALLELISM <= 64
    and 8 * PASSWORD_ARGON2_PARALLELISM <= PASSWORD_ARGON2_MEMORY_KIB <= 4 * 1024 * 1024
    and PASSWORD_ARGON2_CONCURRENCY >= 0
):
    raise ImproperlyConfigured(
        "PASSWORD_ARGON2_TIME_COST must be 1-100, PASSWORD_ARGON2_PARALLELISM 1-64 and "
        "PASSWORD_ARGON2_MEMORY_KIB between 8 x PARALLELISM and 4194304 (4 GiB), "
        "PASSWORD_ARGON2_CONCURRENCY 0 or more"
    )
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["parindex.formats"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "parindex" / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded and generated files: MEDIA_ROOT, or an S3-compatible store with STORAGE_BACKEND=s3
# (STORAGE_S3_* variables, docs/configuration.md "Object storage"; parindex/core/storage_config.py).
from parindex.core.storage_config import (  # noqa: E402
    default_storage_setting,
    presign_seconds,
    presigned_downloads,
)

STORAGE_S3_PRESIGNED_DOWNLOADS = presigned_downloads()
STORAGE_S3_PRESIGN_SECONDS = presign_seconds()
STORAGES = {
    "default": default_storage_setting(),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "imports", "reports"],
    }
}
# Jobs that survive a dead worker (parindex/jobs, docs/configuration.md): a `parindex worker`
# renews its lease every third of JOBS_LEASE_SECONDS; a running job whose worker's lease ran
# out is run again after JOBS_RETRY_BACKOFF_SECONDS x 2^(attempt - 1), or failed with a
# Vietnamese reason after JOBS_MAX_ATTEMPTS attempts (transient errors retry the same way).
JOBS_LEASE_SECONDS = env_int("JOBS_LEASE_SECONDS", 30)
JOBS_MAX_ATTEMPTS = env_int("JOBS_MAX_ATTEMPTS", 3)
JOBS_RETRY_BACKOFF_SECONDS = env_int("JOBS_RETRY_BACKOFF_SECONDS", 30)
if JOBS_LEASE_SECONDS < 2 or JOBS_MAX_ATTEMPTS < 1 or JOBS_RETRY_BACKOFF_SECONDS < 0:
    raise ImproperlyConfigured(
        "JOBS_LEASE_SECONDS must be at least 2, JOBS_MAX_ATTEMPTS at least 1 and "
        "JOBS_RETRY_BACKOFF_SECONDS zero or more"
    )

if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "parindex.core.cache.RedisCache",
            "LOCATION": redis_url,
        }
    }
    # Sessions in the shared cache: no database query per request for the session.
    SESSION_ENGINE = "parindex.core.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security. Cookies are secure unless DEBUG; HTTPS is terminated by the reverse proxy.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# HSTS preload is an opt-in decision of the domain's owner (hstspreload.org), not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

from django.utils.csp import CSP  # noqa: E402  (needs settings helpers above)

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)
CRITERIA_IMPORT_MAX_BYTES = env_int("CRITERIA_IMPORT_MAX_BYTES", 5 * 1024 * 1024)
# Imports: limits every XLSX/CSV/JSON reader applies (parindex/core/bounded.py), in the web
# process and in the worker, before the memory is used.
IMPORT_MAX_UNPACKED_BYTES = env_int("IMPORT_MAX_UNPACKED_BYTES", 256 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 2_000_000)
IMPORT_MAX_COLUMNS = env_int("IMPORT_MAX_COLUMNS", 512)
IMPORT_MAX_FIELD_CHARS = env_int("IMPORT_MAX_FIELD_CHARS", 32_767)
IMPORT_MAX_INTEGER_DIGITS = env_int("IMPORT_MAX_INTEGER_DIGITS", 30)
# Signed evidence: accept SHA-1 signatures and signer certificates without nonRepudiation,
# both common in Vietnamese certificates still in use (see evidence/signatures.py).
EVIDENCE_SIGNATURE_ALLOW_SHA1 = env_bool("EVIDENCE_SIGNATURE_ALLOW_SHA1", True)
EVIDENCE_SIGNATURE_REQUIRE_NON_REPUDIATION = env_bool(
    "EVIDENCE_SIGNATURE_REQUIRE_NON_REPUDIATION", False
)
# Revocation (CRL/OCSP) of signer certificates: fetched by the background check only, each
# request bounded in time; false = never fetch (verdicts then say "chưa kiểm tra được thu hồi"
# unless cached data is still fresh). See evidence/revocation.py.
EVIDENCE_REVOCATION_FETCH = env_bool("EVIDENCE_REVOCATION_FETCH", True)
EVIDENCE_REVOCATION_TIMEOUT_SECONDS = float(
    os.environ.get("EVIDENCE_REVOCATION_TIMEOUT_SECONDS", "8")
)
# Documents: LibreOffice makes the PDFs (from the same DOCX people download); each worker
# process keeps its own LibreOffice profile under DOCUMENTS_WORK_DIR.
DOCUMENTS_SOFFICE = os.environ.get("DOCUMENTS_SOFFICE", "")
DOCUMENTS_CONVERT_TIMEOUT = env_int("DOCUMENTS_CONVERT_TIMEOUT", 300)
DOCUMENTS_WORK_DIR = Path(os.environ.get("DOCUMENTS_WORK_DIR", VAR_DIR / "lo-profiles"))

# Email: the console in development; SMTP in production (a local MTA on port 25 unless
# EMAIL_HOST names a relay).
MAILERS: dict[str, dict[str, Any]]
if DEBUG and not os.environ.get("EMAIL_HOST"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": env_secret("EMAIL_HOST_PASSWORD", "") or "",
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            },
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "parindex@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # pyHanko logs every untrusted or modified signature with a traceback; the result
        # is kept in the evidence's signature report instead.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
}
