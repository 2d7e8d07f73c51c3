"""Secret keys that are, or once were, written in this repository.

Such a key is public: with it anyone forges session cookies, CSRF tokens, password-reset
and one-click links. Settings refuse to load with one when DEBUG is off, and the deploy
check `cop.E001` reports it (also for a key still starting with the placeholder's
"change-me" marker). tests/test_deployment.py fails when a key is committed that this
list does not name.
"""

from django.core.exceptions import ImproperlyConfigured

PLACEHOLDER_MARKER = "change-me"

REPOSITORY_KEYS = frozenset(
    {
        # .env.example's placeholder.
        "CHANGE-ME-df-_iSIekP_lg1e38n5gCQDkKaIUxn5kt3zDYhilTHU5z9MmXpvbTO_tpdLD40oV",
        # The development default of settings.py (DEBUG only).
        "dev-only-insecure-key",
        # Keys that tests, type checking, benchmarks and the image build once used.
        "tests-only-secret-key-not-for-production-use",
        "type-checking-only-secret-key-not-for-production",
        "bench-only-secret-key",
        "worker-test-secret-key",
        "collectstatic-only-build-time-key-not-used-at-run-time",
    }
)


def is_repository_key(key: str) -> bool:
    """True for a key from the repository, or one still marked as the placeholder."""
    return key in REPOSITORY_KEYS or key.strip().lower().startswith(PLACEHOLDER_MARKER)


def refuse_repository_key(key: str) -> None:
    """Raise ImproperlyConfigured for a key that is in the repository."""
    if is_repository_key(key):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is a key from the repository (such as .env.example's "
            "placeholder): generate a new one, e.g. with "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
