"""Settings come from the environment; see README.md, "Configuration"."""

import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlparse

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("Set SECRET_KEY in the environment (DEBUG is off).")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "axes",
    "annotator.corpus",
    "annotator.annotations",
    "annotator.classroom",
    "annotator.assist",
    "annotator.discussion",
    "annotator.lti",
    "annotator.privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers sign-in attempts from a locked-out client.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sign-in throttling: five wrong passwords for one username from one address lock that
# pair out for 15 minutes. Classrooms share one address, so the username is part of the key.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "annotator.urls"
CSRF_FAILURE_VIEW = "annotator.jsonapi.csrf_failure"
WSGI_APPLICATION = "annotator.wsgi.application"

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
                "annotator.classroom.context_processors.roles",
                "annotator.discussion.context_processors.activity",
                "annotator.lti.context_processors.grade_problems",
            ],
        },
    }
]


def database_from_url(url):
    """Turn DATABASE_URL into Django's DATABASES entry (sqlite:///path or postgres://...)."""
    sqlite_options = {
        "transaction_mode": "IMMEDIATE",
        # WAL lets readers go on while one writer writes; the busy timeout makes a
        # second writer wait instead of failing at once with "database is locked".
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "timeout": 20,
    }
    if not url:
        (BASE_DIR / "var").mkdir(exist_ok=True)
        # Tests run on a real file too (not SQLite's in-memory default), so WAL and
        # locking behave as in production.
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "var" / "annotator.sqlite3",
                "OPTIONS": sqlite_options, "TEST": {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}}
    parts = urlparse(url)
    if parts.scheme == "sqlite":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parts.path) or ":memory:",
                "OPTIONS": sqlite_options}
    if parts.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": 60,
        }
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(f"DATABASE_URL scheme {parts.scheme!r} is not supported (use sqlite or postgres).")


DATABASES = {"default": database_from_url(os.environ.get("DATABASE_URL", ""))}

# Memory caches of this process. Drawn article bodies are large and few; claim cards are
# small and many, so they get a cache of their own and do not push the bodies out. Card
# keys cover what a card shows but not its template's text, so with DEBUG on (editing
# templates) cards are drawn afresh every time.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bodies"},
    "fragments": {
        "BACKEND": "django.core.cache.backends.dummy.DummyCache" if DEBUG
        else "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "fragments",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
# Argon2id first: memory-hard, so stronger against guessing on graphics cards, and it costs a
# sign-in about 0.2 s of one core where PBKDF2 at Django's iteration count costs 0.35 s, which
# is what limits how many students a bell can sign in at once (README "Serving in
# production"). Older PBKDF2 hashes still sign in and are rewritten as Argon2 when they do.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# An archived class's student work is deleted this many days after the teacher archived it
# (`manage.py purge_expired`, run from cron; README "Privacy and data").
RETENTION_DAYS = int(os.environ.get("RETENTION_DAYS", "30"))
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
PLAIN_STATIC = DEBUG or env_bool("PLAIN_STATIC", False)
# Without collectstatic (development and tests) whitenoise serves straight from the apps.
WHITENOISE_USE_FINDERS = PLAIN_STATIC
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if PLAIN_STATIC
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# One upload limit for every request body; the API answers 413 past it.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
NOTE_MAX_LENGTH = 10_000

# Security headers. HTTPS-only settings are on whenever DEBUG is off, unless HTTPS=0
# (a server on loopback with no TLS in front of it).
HTTPS = env_bool("HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
# With HTTPS=0 (loopback, no TLS) exactly the TLS-only checks are expected to fail.
SILENCED_SYSTEM_CHECKS = [] if HTTPS else ["security.W004", "security.W008", "security.W012", "security.W016"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# No inline script and no eval anywhere: a note that slips past the sanitizer still
# cannot run. htmx is configured to match in templates/base.html.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
