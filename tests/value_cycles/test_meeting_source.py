"""A meeting as the source of value: "This helped", "What will you do with this?"
(I'll use this) and "I used this" from the meeting page."""

from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from discussions.models import Thread
from members.models import User
from tests.meetings.helpers import plan
from value_cycles.emails import follow_up_source_title
from value_cycles.models import Cycle, FollowUp, ValueEvent

pytestmark = pytest.mark.django_db


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _past(community: Community, facilitator: User):  # type: ignore[no-untyped-def]
    return plan(community, facilitator, starts_at=timezone.now() - timedelta(days=2))


def test_this_helped_on_a_meeting_is_one_event_with_the_meeting_as_source(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = _past(community, facilitator)
    url = reverse("value_cycles:meeting-helped", kwargs={"meeting_id": meeting.pk})
    client = _login(member)
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a second tap changes nothing
    event = ValueEvent.objects.get(member=member)
    assert event.cycle == Cycle.IMMEDIATE and event.source_meeting == meeting
    assert event.source_kind == "meeting"


def test_what_will_you_do_with_this_asks_later_on_the_same_chain(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = _past(community, facilitator)
    client = _login(member)
    client.post(reverse("value_cycles:meeting-helped", kwargs={"meeting_id": meeting.pk}))
    response = client.post(
        reverse("value_cycles:meeting-will-use", kwargs={"meeting_id": meeting.pk}),
        {"capital": "human", "why_it_helped": "Nieuwe werkvorm", "tier": 20},
    )
    assert response.status_code == 302
    helped, will_use = ValueEvent.objects.filter(member=member).order_by("cycle")
    assert will_use.cycle == Cycle.POTENTIAL and will_use.chain == helped.chain
    follow_up = FollowUp.objects.get(event=will_use)
    assert follow_up.source_meeting == meeting
    # The follow-up email names the meeting (it named nothing for a meeting source).
    assert follow_up_source_title(follow_up) == meeting.title


def test_the_meeting_page_offers_value_capture_to_members_once_it_has_begun(
    community: Community, facilitator: User, member: User, sponsor: User
) -> None:
    later = plan(community, facilitator)
    held = _past(community, facilitator)
    helped = reverse("value_cycles:meeting-helped", kwargs={"meeting_id": held.pk})
    assert helped in _login(member).get(held.get_absolute_url()).content.decode()
    assert (
        reverse("value_cycles:meeting-helped", kwargs={"meeting_id": later.pk})
        not in _login(member).get(later.get_absolute_url()).content.decode()
    )


def test_who_may_not_see_the_meeting_cannot_log_value_on_it(
    community: Community, facilitator: User, outsider: User
) -> None:
    meeting = _past(community, facilitator)
    url = reverse("value_cycles:meeting-helped", kwargs={"meeting_id": meeting.pk})
    assert _login(outsider).post(url).status_code == 404
    assert not ValueEvent.objects.exists()


def test_an_event_has_at_most_one_source_meetings_included(
    community: Community, facilitator: User, member: User, thread: Thread
) -> None:
    meeting = _past(community, facilitator)
    with pytest.raises(IntegrityError):
        ValueEvent.objects.create(
            member=member,
            community=community,
            cycle=Cycle.APPLIED,
            what_changed="x",
            source_thread=thread,
            source_meeting=meeting,
        )
