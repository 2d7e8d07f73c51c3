"""The one settings module. Every value comes from the environment (see .env.example,
the operator's manual); defaults are safe for production except where noted.

Without DATABASE_URL / REDIS_URL the embedded servers are started by the entry points
(`make run`, the test run), which then set these variables; settings never start
processes. DJANGO_DEV_TOOLS adds the development app (devtools: demo data, benchmarks);
production leaves it off.
"""

from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("COP_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()
if (BASE_DIR / ".env").is_file() and env.bool("DJANGO_READ_DOT_ENV_FILE", default=True):
    env.read_env(BASE_DIR / ".env")

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="" if not DEBUG else "dev-only-insecure-key")
if not SECRET_KEY:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (see .env.example).")
if not DEBUG:
    from cop_platform.secret_keys import refuse_repository_key

    # A key that is in the repository signs nothing: anyone could forge sessions with it.
    refuse_repository_key(SECRET_KEY)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SITE_ID = 1

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    # Two-factor authentication: an authenticator app (TOTP) and recovery codes.
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "csp",
    "django_ratelimit",
    "taggit",
    # Project apps, layered in this order (import-linter enforces it).
    "members",
    "outbox",
    "communities",
    "discussions",
    "meetings",
    "value_cycles",
    "facilitation",
    # Deployment checks of the platform's own configuration (cop_platform/checks.py).
    "cop_platform.apps.PlatformConfig",
]
# Demo data, benchmarks and their hello view: `make run`, `make bench*` and the test
# settings turn this on; production never does (the Docker image lacks the package).
DEV_TOOLS = env.bool("DJANGO_DEV_TOOLS", default=False)
if DEV_TOOLS:
    INSTALLED_APPS.append("devtools")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "cop_platform.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "cop_platform.middleware.PrivateCacheMiddleware",
    "members.middleware.UserPreferencesMiddleware",
    "members.middleware.SessionRenewalMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Answers django-ratelimit's Ratelimited with RATELIMIT_VIEW (HTTP 429).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # After authentication and htmx: sends whoever must use two factors and has not set
    # them up to the set-up page (COP_MFA_REQUIRED_FOR_STAFF).
    "communities.mfa.MFARequiredMiddleware",
]

ROOT_URLCONF = "cop_platform.urls"
WSGI_APPLICATION = "cop_platform.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "discussions.context_processors.notifications",
                "facilitation.context_processors.console",
            ],
        },
    },
]

# ---------------------------------------------------------------------------
# Database and Redis
# ---------------------------------------------------------------------------
DATABASES = {"default": env.db_url("DATABASE_URL", default="postgres:///cop_platform")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Postgres' JIT compiler costs hundreds of milliseconds on a misestimated query and saves
# nothing on the short queries of a web page.
DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Planning the thread page's queries took longer than running them: with server-side
# binding psycopg prepares a statement once it has run `prepare_threshold` times on a
# connection, and Postgres reuses its plan. Behind a transaction-mode pooler (PgBouncer
# before 1.21) prepared statements break: set DATABASE_PREPARE_THRESHOLD= (empty) there.
DATABASES["default"]["OPTIONS"]["server_side_binding"] = True
_prepare_threshold = env.str("DATABASE_PREPARE_THRESHOLD", default="5")
DATABASES["default"]["OPTIONS"]["prepare_threshold"] = (
    int(_prepare_threshold) if _prepare_threshold else None
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# redis://host:port/db for a server, unix:///path/redis.socket for the embedded one.
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# The cache and Celery's broker may live apart (a broker with persistence, a cache
# without); each defaults to REDIS_URL.
CACHE_URL = env.str("CACHE_URL", default=REDIS_URL)

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": "cop",
        "TIMEOUT": 300,
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
# Members open a link from a chat app weeks later: a session lasts 60 days, and a visit
# on a later day starts the 60 days again (members.middleware.SessionRenewalMiddleware:
# at most one session write per member per day, not one per request).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_DAYS", default=60) * 24 * 60 * 60
SESSION_RENEW_ON_USE = env.bool("DJANGO_SESSION_RENEW_ON_USE", default=True)

# ---------------------------------------------------------------------------
# Celery (broker on Redis; JSON only; see cop_platform/celery.py)
# ---------------------------------------------------------------------------
_broker_url = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# kombu spells a Redis unix socket redis+socket://.
CELERY_BROKER_URL = (
    _broker_url.replace("unix://", "redis+socket://", 1)
    if _broker_url.startswith("unix://")
    else _broker_url
)
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=120)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# acks_late needs a visibility timeout longer than the longest task.
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Europe/Amsterdam"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# CELERY_BEAT_SCHEDULE is declared in cop_platform/celery.py, next to the app.

# ---------------------------------------------------------------------------
# Accounts (django-allauth): email is the identifier, login by emailed code first
# ---------------------------------------------------------------------------
AUTH_USER_MODEL = "members.User"
# Django's and allauth's backends, loading the user with their community access
# (communities.backends). Sessions made with the plain backends sign in again once.
AUTHENTICATION_BACKENDS = [
    "communities.backends.ModelBackend",
    "communities.backends.AuthenticationBackend",
    # Sessions remember the backend that signed them in; these two stay listed (after
    # the two that replace them, so they never sign anyone in first) so that sessions
    # from before the access-loading backends keep working. Their users read their
    # access in one query of its own.
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
# No password at sign-up: the emailed code verifies the address and signs the person in.
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupForm"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS_ENABLED = env.bool("ACCOUNT_RATE_LIMITS_ENABLED", default=True)
ACCOUNT_RATE_LIMITS = (
    False
    if not ACCOUNT_RATE_LIMITS_ENABLED
    else {
        # allauth's defaults, tightened for the code request a stranger can trigger.
        "login_failed": "10/m/ip,5/5m/key",
        "request_login_code": "20/m/ip,3/m/key",
        "signup": "20/m/ip",
        "confirm_email": "1/3m/key",
        "reset_password": "20/m/ip,5/m/key",
        "change_email": "1/m/user",
    }
)
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# Two-factor authentication (allauth.mfa): an authenticator app plus recovery codes for
# everyone who wants it, from their account page. Passkeys (WebAuthn) stay off: they need
# JavaScript, and every page here works without.
MFA_ADAPTER = "communities.mfa.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Site admins, and facilitators of a confidential community, must set it up before
# anything else (communities.mfa.MFARequiredMiddleware). On in production; off with
# DJANGO_DEBUG, so the demo's admin and facilitators log in with the emailed code alone.
COP_MFA_REQUIRED_FOR_STAFF = env.bool("COP_MFA_REQUIRED_FOR_STAFF", default=not DEBUG)
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if not DEBUG else "http"

# Single sign-on through an organisation's own identity provider (OpenID Connect: Entra
# ID, Keycloak, Google Workspace...). Without COP_OIDC_SERVER_URL nothing of it exists:
# no app, no URLs, no button. An account is linked only through an address the provider
# says it verified; an unverified claim never signs anyone into an existing account.
COP_OIDC_SERVER_URL = env.str("COP_OIDC_SERVER_URL", default="")
if COP_OIDC_SERVER_URL:
    from django.core.exceptions import ImproperlyConfigured

    _oidc_client_id = env.str("COP_OIDC_CLIENT_ID", default="")
    _oidc_secret = env.str("COP_OIDC_CLIENT_SECRET", default="")
    if not (_oidc_client_id and _oidc_secret):
        raise ImproperlyConfigured(
            "COP_OIDC_SERVER_URL needs COP_OIDC_CLIENT_ID and COP_OIDC_CLIENT_SECRET."
        )
    INSTALLED_APPS += ["allauth.socialaccount", "allauth.socialaccount.providers.openid_connect"]
    SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": env.str("COP_OIDC_PROVIDER_ID", default="sso"),
                    # Shown on the button as it is: the operator writes it in the
                    # language(s) of the organisation ("Inloggen met je Acme-account").
                    "name": env.str("COP_OIDC_BUTTON_LABEL", default="SSO"),
                    "client_id": _oidc_client_id,
                    "secret": _oidc_secret,
                    "settings": {"server_url": COP_OIDC_SERVER_URL},
                }
            ],
        }
    }
    SOCIALACCOUNT_ADAPTER = "members.social.SocialAccountAdapter"
    # Sign in to the account whose address the provider verified, and link the two.
    SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
    SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
    SOCIALACCOUNT_EMAIL_REQUIRED = True
    SOCIALACCOUNT_STORE_TOKENS = False
    # The button posts (with CSRF) straight to the provider; a GET only asks to confirm.
    SOCIALACCOUNT_LOGIN_ON_GET = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---------------------------------------------------------------------------
# Email
# ---------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CoP platform <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
_email = env.email_url("EMAIL_URL", default="smtp://127.0.0.1:25")
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
# Emails from the outbox (outbox.services): replies go to an address nobody reads, and
# the footer says so.
COP_SITE_NAME = env.str("COP_SITE_NAME", default="CoP platform")
COP_EMAIL_REPLY_TO = env.str("COP_EMAIL_REPLY_TO", default="noreply@localhost")
# One-click links in emails (mute, stop these emails) work this many days.
COP_EMAIL_LINK_DAYS = env.int("COP_EMAIL_LINK_DAYS", default=60)
# A transient SMTP failure is retried after COP_EMAIL_RETRY_SECONDS, doubling each
# time, COP_EMAIL_MAX_ATTEMPTS attempts in all.
COP_EMAIL_MAX_ATTEMPTS = env.int("COP_EMAIL_MAX_ATTEMPTS", default=6)
COP_EMAIL_RETRY_SECONDS = env.int("COP_EMAIL_RETRY_SECONDS", default=60)
# Events about one thread within this many seconds go out as one email.
COP_EMAIL_GROUP_SECONDS = env.int("COP_EMAIL_GROUP_SECONDS", default=300)
# Digests go out at this hour of the morning in each recipient's time zone.
COP_DIGEST_HOUR = env.int("COP_DIGEST_HOUR", default=7)
# A question without an answer after COP_NUDGE_AFTER_DAYS days is put to up to three
# members whose expertise matches; nobody gets more than one such nudge per
# COP_NUDGE_INTERVAL_DAYS days.
COP_NUDGE_AFTER_DAYS = env.int("COP_NUDGE_AFTER_DAYS", default=3)
COP_NUDGE_INTERVAL_DAYS = env.int("COP_NUDGE_INTERVAL_DAYS", default=7)
# Used by cop_platform.mail.ConsoleAndFileBackend (make run): one .eml file per message.
EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# ---------------------------------------------------------------------------
# Internationalisation and time zones: store UTC, show in the viewer's zone
# ---------------------------------------------------------------------------
LANGUAGE_CODE = env.str("DJANGO_LANGUAGE_CODE", default="nl")
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One date format per language ("1 dec. 2026" / "1 Dec 2026"): cop_platform/formats.
FORMAT_MODULE_PATH = ["cop_platform.formats"]
USE_I18N = True
TIME_ZONE = env.str("DJANGO_TIME_ZONE", default="Europe/Amsterdam")
USE_TZ = True

# ---------------------------------------------------------------------------
# Static and media files
# ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media")))
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

# ---------------------------------------------------------------------------
# Security (production defaults; `make run` turns DEBUG on and relaxes the HTTPS ones)
# ---------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
# Only behind a reverse proxy that sets X-Forwarded-Proto itself; trusting it otherwise
# lets any client claim HTTPS.
if env.bool("DJANGO_BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# __Host- cookies are sent only over HTTPS, for this host and path "/" alone: no subdomain
# or plain-HTTP page can set or shadow them. Browsers refuse them without Secure, so
# development over http keeps the plain names.
if SESSION_COOKIE_SECURE:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Content-Security-Policy (django-csp): scripts and styles come from this site's static
# files only, plus whatever carries the per-response nonce; nothing inline, no eval, no
# frames. htmx is configured in base.html to need neither eval nor inline styles.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [NONE],
    }
}
# Powerful browser features this site never uses, switched off for every page and for
# anything a page might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
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
        "usb",
    )
}
# HSTS preload is the operator's opt-in (DJANGO_SECURE_HSTS_PRELOAD) because it is hard
# to undo; without this, `check --deploy` would fail every deployment that has not.
# django-ratelimit names only django-redis among Redis caches; Django's own RedisCache
# does the atomic add/incr it needs.
SILENCED_SYSTEM_CHECKS = ["security.W021", "django_ratelimit.W001"]

# ---------------------------------------------------------------------------
# Logging: to stderr, for the process manager to collect
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------
# Community rules
# ---------------------------------------------------------------------------
# Members active in a community for fewer than COP_NEW_MEMBER_DAYS days may post at most
# COP_NEW_MEMBER_POSTS_PER_DAY threads and replies per 24 hours there.
COP_NEW_MEMBER_DAYS = env.int("COP_NEW_MEMBER_DAYS", default=7)
COP_NEW_MEMBER_POSTS_PER_DAY = env.int("COP_NEW_MEMBER_POSTS_PER_DAY", default=10)
# "Did it make a difference?" is asked COP_VALUE_FOLLOW_UP_DAYS days after an accepted
# answer or an "I'll use this"; its one-click link works for COP_VALUE_FOLLOW_UP_LINK_DAYS.
COP_VALUE_FOLLOW_UP_DAYS = env.int("COP_VALUE_FOLLOW_UP_DAYS", default=21)
COP_VALUE_FOLLOW_UP_LINK_DAYS = env.int("COP_VALUE_FOLLOW_UP_LINK_DAYS", default=30)
# Each request to join mails the facilitators: one person asks one community at most
# COP_JOIN_REQUESTS_PER_WINDOW times per COP_JOIN_REQUEST_WINDOW_DAYS days.
COP_JOIN_REQUESTS_PER_WINDOW = env.int("COP_JOIN_REQUESTS_PER_WINDOW", default=3)
COP_JOIN_REQUEST_WINDOW_DAYS = env.int("COP_JOIN_REQUEST_WINDOW_DAYS", default=30)
# A proposed community is founded by itself once this many people said "I'd join"
# (0: only a site admin founds one).
COP_PROPOSAL_FOUND_AT = env.int("COP_PROPOSAL_FOUND_AT", default=0)

# Rate limits (members/ratelimits.py names the rules and how to use them): counted in
# the shared Redis cache, answered with HTTP 429 and templates/429.html.
COP_RATE_LIMITS = {
    "post": "1/10s",
    "invitation": "20/d",
    "reaction": "60/m",
    "flag": "10/h",
    "search": "30/m",
    "mentions": "120/m",
    "upload": "10/h",
    "email_link": "30/h",
    "calendar_feed": "60/h",
    "value_tap": "60/h",
    # The console's personal emails, per facilitator: requests to answer, and notes to
    # quiet members (each note goes to up to 50 people).
    "console_ask": "30/d",
    "console_nudge": "5/d",
    "proposal": "3/d",
    "export": "3/d",
    "erasure": "10/h",
    # Pages of communities open to the public, per address, for visitors not signed in.
    "public_read": "120/m",
    **env.dict("COP_RATE_LIMITS", default={}),
}
RATELIMIT_USE_CACHE = "default"
# One answer to "which address is this client" for our limits and allauth's: behind the
# reverse proxy every request comes from the proxy, so all strangers would share one
# bucket. The proxy appends the client's address to X-Forwarded-For; the count says how
# many proxies (from the right) we trust to have done so. 0: REMOTE_ADDR.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)
RATELIMIT_IP_META_KEY = "members.ratelimits.client_ip"

# Retention (nightly purge tasks in cop_platform/celery.py): days an invitation is kept
# after it expired, was accepted or withdrawn; days audit events and notifications live.
COP_RETENTION_INVITATION_DAYS = env.int("COP_RETENTION_INVITATION_DAYS", default=90)
COP_RETENTION_AUDIT_DAYS = env.int("COP_RETENTION_AUDIT_DAYS", default=730)
COP_RETENTION_NOTIFICATION_DAYS = env.int("COP_RETENTION_NOTIFICATION_DAYS", default=180)
# Days a member's data export can be downloaded once made (its file is then deleted).
COP_EXPORT_DAYS = env.int("COP_EXPORT_DAYS", default=7)
RATELIMIT_VIEW = "members.ratelimits.ratelimited_view"
RATELIMIT_ENABLE = env.bool("COP_RATE_LIMITS_ENABLED", default=True)

ADMINS = [("Admin", a) for a in env.list("DJANGO_ADMINS", default=[])]
# Functions of higher apps that add to the community home's context, so that
# communities never imports them: each takes (viewer, community), returns a dict.
COMMUNITY_HOME_CONTEXT = [
    "discussions.views.community_home.community_home_context",
    "meetings.selectors.community_home_context",
    "facilitation.selectors.console.community_home_context",
]
# Annotations higher apps add to the thread page's thread query, so that its page shows
# them without a query of its own and discussions never imports those apps: each takes
# no argument and returns {name: expression}. They must not depend on the viewer (the
# query is compiled once per process) and may only show what every reader of the thread
# may see.
THREAD_PAGE_ANNOTATIONS = ["meetings.selectors.thread_page_annotations"]
