"""Settings for mypy's Django plugin. It reads the apps and models and connects to
nothing, so no embedded servers are started: mypy ends with os._exit, which skips the
exit handlers that would stop them again (tests/settings.py starts them for pytest)."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "type-checking-only-secret-key-not-for-production")
os.environ.setdefault("DJANGO_READ_DOT_ENV_FILE", "0")

from cop_platform.settings import *  # noqa: F403
