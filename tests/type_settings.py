"""Settings for mypy's Django plugin. It reads the apps and models and connects to
nothing, so no embedded servers are started: mypy ends with os._exit, which skips the
exit handlers that would stop them again (tests/settings.py starts them for pytest)."""

import os
import secrets

# A committed key is refused (cop_platform/secret_keys.py).
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_READ_DOT_ENV_FILE", "0")

from cop_platform.settings import *  # noqa: F403
