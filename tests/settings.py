"""Test settings: the production settings module with the development tools installed,
and fast, local stand-ins for what would leave the process.

Importing them starts nothing: without DATABASE_URL / REDIS_URL, the test run starts
the embedded servers from a pytest hook (tests/embedded_servers.py) before these are
read. mypy's Django plugin reads this module too.
"""

import os
import secrets

# A fresh key per run: a committed key is refused (cop_platform/secret_keys.py).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_READ_DOT_ENV_FILE", "0")
os.environ.setdefault("DJANGO_DEV_TOOLS", "1")
# Single sign-on is installed, so its URLs and tables exist; tests/members/test_oidc.py
# points it at a provider of its own on loopback. Nothing listens at this address.
os.environ.setdefault("COP_OIDC_SERVER_URL", "http://127.0.0.1:9/oidc")
os.environ.setdefault("COP_OIDC_CLIENT_ID", "cop-tests")
os.environ.setdefault("COP_OIDC_CLIENT_SECRET", "cop-tests-secret")
os.environ.setdefault("COP_OIDC_BUTTON_LABEL", "Acme ID")

from cop_platform.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# Off, so pinned query counts do not depend on the day a session was last renewed;
# tests/members/test_sessions.py turns it on.
SESSION_RENEW_ON_USE = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
# Over plain http the browser refuses __Host- cookies.
SESSION_COOKIE_NAME = "sessionid"
CSRF_COOKIE_NAME = "csrftoken"
SECURE_HSTS_SECONDS = 0
# Tasks run inline when on-commit callbacks are executed; the worker test turns this off.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Limits are off unless a test turns them on (tests/security/test_rate_limits.py): many
# tests post twice within seconds. django-ratelimit wants a shared cache; one locmem
# cache per test process is shared enough.
RATELIMIT_ENABLE = False
# Off, so the site admin and facilitator personas need no authenticator in every test;
# tests/members/test_mfa.py turns it on.
COP_MFA_REQUIRED_FOR_STAFF = False
SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "django_ratelimit.E003"]  # noqa: F405
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
