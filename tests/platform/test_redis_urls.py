"""The cache and Celery's broker can live on different Redis servers (a broker with
persistence, a cache without): CACHE_URL and CELERY_BROKER_URL, each defaulting to
REDIS_URL."""

import pytest

from tests.platform.production_probe import production_probe

PROBE = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'cache': s.CACHES['default']['LOCATION'], 'broker': s.CELERY_BROKER_URL, "
    "'cache_url': s.CACHE_URL}))"
)


def _settings(**urls: str) -> dict[str, str]:
    return production_probe(PROBE, unset=["REDIS_URL", "CACHE_URL", "CELERY_BROKER_URL"], **urls)


def test_cache_and_broker_default_to_redis_url() -> None:
    found = _settings(REDIS_URL="redis://redis.example:6379/3")
    assert found["cache"] == found["broker"] == "redis://redis.example:6379/3"


def test_cache_and_broker_can_be_set_apart() -> None:
    found = _settings(
        REDIS_URL="redis://unused.example:6379/0",
        CACHE_URL="redis://cache.example:6379/1",
        CELERY_BROKER_URL="redis://broker.example:6379/2",
    )
    assert found["cache"] == found["cache_url"] == "redis://cache.example:6379/1"
    assert found["broker"] == "redis://broker.example:6379/2"


def test_a_unix_socket_is_spelled_for_the_broker_as_kombu_reads_it() -> None:
    found = _settings(REDIS_URL="unix:///run/redis/redis.sock")
    assert found["cache"] == "unix:///run/redis/redis.sock"
    assert found["broker"] == "redis+socket:///run/redis/redis.sock"


@pytest.mark.django_db
def test_health_pings_the_cache_and_the_broker_wherever_they_are(client, settings) -> None:
    reachable = settings.CACHE_URL
    settings.CACHE_URL = "redis://127.0.0.1:1/0"
    assert client.get("/health/").json()["checks"]["redis"] == "unreachable"
    settings.CACHE_URL, settings.CELERY_BROKER_URL = reachable, "redis://127.0.0.1:1/0"
    assert client.get("/health/").json()["checks"]["redis"] == "unreachable"
    settings.CELERY_BROKER_URL = reachable
    assert client.get("/health/").status_code == 200
