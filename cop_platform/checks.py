"""System checks of the platform's own deployment configuration (`check --deploy`)."""

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks

from cop_platform.secret_keys import is_repository_key


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key_is_not_from_the_repository(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Settings refuse such a key with DEBUG off; this catches one set by another route
    (a settings module of the operator's own, DEBUG left on by mistake)."""
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(is_repository_key(key) for key in keys):
        return [
            checks.Error(
                "SECRET_KEY (or one of SECRET_KEY_FALLBACKS) is a key from the repository.",
                hint="Generate a new DJANGO_SECRET_KEY; see .env.example.",
                id="cop.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_cookies_use_the_host_prefix(
    app_configs: Sequence[AppConfig] | None, **kwargs: Any
) -> list[checks.CheckMessage]:
    names = {settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    if not all(name.startswith("__Host-") for name in names):
        return [
            checks.Warning(
                "The session and CSRF cookies lack the __Host- prefix.",
                hint="Serve over HTTPS with DJANGO_SESSION_COOKIE_SECURE on (the default).",
                id="cop.W001",
            )
        ]
    return []
