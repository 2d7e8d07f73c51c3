"""Test settings: the production settings module, with the embedded servers started
when DATABASE_URL / REDIS_URL are unset (so a bare `pytest` works), and fast, local
stand-ins for what would leave the process."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-secret-key-not-for-production-use")
os.environ.setdefault("DJANGO_READ_DOT_ENV_FILE", "0")

from cop_platform import embedded

embedded.ensure_services()

from cop_platform.settings import *  # noqa: E402,F403

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
SECURE_HSTS_SECONDS = 0
# Tasks run inline when on-commit callbacks are executed; the worker test turns this off.
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
LOGGING["root"]["level"] = "WARNING"  # noqa: F405
