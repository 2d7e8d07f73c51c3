"""One-click answers from emails: signed, expiring, once."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from communities.models import Community
from meetings.links import MAX_AGE_SECONDS, rsvp_path
from meetings.models import Rsvp
from members.models import User
from tests.meetings.helpers import plan

pytestmark = pytest.mark.django_db


def test_a_link_asks_first_and_answers_on_post_without_a_login(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    path = rsvp_path(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    client = Client()
    assert client.get(path).status_code == 200
    assert not Rsvp.objects.exists()  # a mail scanner opening the link answers nothing
    response = client.post(path)
    assert response.status_code == 200
    assert Rsvp.objects.get(meeting=meeting, user=member).answer == "yes"


def test_a_link_works_once(community: Community, facilitator: User, member: User) -> None:
    meeting = plan(community, facilitator)
    path = rsvp_path(meeting=meeting, user=member, answer=Rsvp.Answer.NO)
    assert Client().post(path).status_code == 200
    Rsvp.objects.filter(user=member).update(answer="yes")
    second = Client().post(path)
    assert second.status_code == 400
    assert Rsvp.objects.get(user=member).answer == "yes"


def test_an_expired_link_changes_nothing(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator, starts_at=timezone.now() + timedelta(days=60))
    path = rsvp_path(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    with time_machine.travel(timezone.now() + timedelta(seconds=MAX_AGE_SECONDS + 60)):
        response = Client().post(path)
    assert response.status_code == 400
    assert not Rsvp.objects.exists()


def test_a_tampered_link_changes_nothing(
    community: Community, facilitator: User, member: User, core_member: User
) -> None:
    meeting = plan(community, facilitator)
    path = rsvp_path(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    token = path.rstrip("/").split("/")[-1]
    forged = path.replace(token, token[:-3] + ("abc" if not token.endswith("abc") else "xyz"))
    assert Client().post(forged).status_code == 400
    assert Client().get(forged).status_code == 400
    assert not Rsvp.objects.exists()


def test_a_link_stops_working_for_someone_who_left(
    community: Community, facilitator: User, member: User, site_admin: User
) -> None:
    from communities.models import Membership
    from communities.services.memberships import membership_remove

    meeting = plan(community, facilitator)
    path = rsvp_path(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    membership_remove(membership=Membership.objects.get(user=member), by=site_admin)
    assert Client().post(path).status_code == 400
    assert not Rsvp.objects.exists()
