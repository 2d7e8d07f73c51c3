"""Asking to join, withdrawing and asking again in a loop mails the facilitators each
time: the number of requests per person per community is limited."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.memberships import membership_leave, membership_request
from members.models import User
from tests.conftest import make_community

pytestmark = pytest.mark.django_db


@pytest.fixture
def approval_community(site_admin: User, facilitator: User) -> Community:
    return make_community(
        site_admin, facilitator, "ehealth", join_policy=Community.JoinPolicy.APPROVAL
    )


def _ask(community: Community, user: User, text: str = "Mag ik erbij?") -> Membership:
    return membership_request(community=community, user=user, message=text, charter_accepted=True)


def test_withdrawing_and_asking_again_stops_at_the_limit(
    approval_community: Community,
    outsider: User,
    django_capture_on_commit_callbacks,
    settings,
) -> None:
    settings.COP_JOIN_REQUESTS_PER_WINDOW = 3
    for _round in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            _ask(approval_community, outsider)
        membership_leave(community=approval_community, user=outsider)
    mailed = len(mail.outbox)
    assert mailed == 3
    with pytest.raises(ValidationError) as refused:
        _ask(approval_community, outsider, "Spam spam spam")
    assert refused.value.code == "too_many_requests"
    assert len(mail.outbox) == mailed
    assert Membership.objects.get(user=outsider).state == Membership.State.LEFT


def test_a_pending_request_is_kept_once_and_mailed_once(
    approval_community: Community, outsider: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = _ask(approval_community, outsider)
        again = _ask(approval_community, outsider, "Nogmaals")
    assert first.pk == again.pk
    assert Membership.objects.filter(user=outsider).count() == 1
    assert len(mail.outbox) == 1


def test_the_limit_lifts_after_the_window(
    approval_community: Community, outsider: User, settings
) -> None:
    settings.COP_JOIN_REQUESTS_PER_WINDOW = 1
    settings.COP_JOIN_REQUEST_WINDOW_DAYS = 30
    _ask(approval_community, outsider)
    membership_leave(community=approval_community, user=outsider)
    with pytest.raises(ValidationError):
        _ask(approval_community, outsider)
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert _ask(approval_community, outsider).state == Membership.State.REQUESTED


def test_the_join_page_explains_the_limit(
    client: Client, approval_community: Community, outsider: User, settings
) -> None:
    settings.COP_JOIN_REQUESTS_PER_WINDOW = 1
    _ask(approval_community, outsider)
    membership_leave(community=approval_community, user=outsider)
    client.force_login(outsider)
    response = client.post(
        f"/communities/{approval_community.slug}/request/",
        {"message": "Hoi", "accept_charter": "on"},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Membership.objects.get(user=outsider).state == Membership.State.LEFT
