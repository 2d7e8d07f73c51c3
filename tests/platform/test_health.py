import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_reports_database_and_redis_ok(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_health_is_503_when_redis_is_unreachable(client: Client, settings) -> None:
    settings.CACHE_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "redis": "unreachable"}


@pytest.mark.django_db
def test_health_is_503_when_the_database_is_unreachable(client: Client, monkeypatch) -> None:
    from django.db import connection

    def broken_cursor(*args: object, **kwargs: object) -> None:
        raise connection.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unreachable"


def test_health_refuses_post(client: Client) -> None:
    assert client.post("/health/").status_code == 405
