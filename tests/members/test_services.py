from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from members.models import User
from members.services import users_purge_unverified
from members.tasks import purge_unverified_accounts
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_purge_forgets_old_unverified_sign_ups_only() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        stale = UserFactory(verified=False)
        verified = UserFactory()
        staff = UserFactory(verified=False, is_staff=True)
        with_password = UserFactory(verified=False, password="a-long-passphrase")
    fresh = UserFactory(verified=False)

    assert users_purge_unverified() == 1
    remaining = set(User.objects.values_list("pk", flat=True))
    assert stale.pk not in remaining
    assert {verified.pk, staff.pk, with_password.pk, fresh.pk} <= remaining


def test_purge_task_is_idempotent() -> None:
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        UserFactory(verified=False)
    assert purge_unverified_accounts() == 1
    assert purge_unverified_accounts() == 0
