"""Sessions last 60 days and are renewed by use, once a day."""

from datetime import datetime, timedelta

import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone

from members.models import User


def test_a_session_lasts_sixty_days_by_default() -> None:
    assert settings.SESSION_COOKIE_AGE == 60 * 24 * 60 * 60


def _expiry(client: Client) -> datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_visit_on_a_later_day_renews_the_session_once(client: Client, member: User) -> None:
    with override_settings(SESSION_RENEW_ON_USE=True):
        client.force_login(member)
        client.get("/")
        first = _expiry(client)
        client.get("/")
        assert _expiry(client) == first  # the same day: no second write
        with time_machine.travel(timezone.now() + timedelta(days=30)):
            client.get("/")
            renewed = _expiry(client)
        assert renewed >= first + timedelta(days=29)
