"""Calendar files and the personal feed, parsed back with icalendar."""

import zoneinfo
from datetime import datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from communities.models import Community, Membership
from communities.services.memberships import membership_remove
from meetings.models import CalendarFeed, Rsvp
from meetings.services.calendar import calendar_feed_create, calendar_feed_revoke
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.rsvps import rsvp_set
from members.models import User
from tests.conftest import make_community
from tests.meetings.helpers import AMSTERDAM, plan

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> list:
    return [c for c in Calendar.from_ical(body).walk("VEVENT")]


def _ics(client: Client, meeting_id: int) -> bytes:
    response = client.get(reverse("meetings:meeting-ics", kwargs={"meeting_id": meeting_id}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return response.content


@time_machine.travel(datetime(2026, 10, 20, 9, 0, tzinfo=AMSTERDAM), tick=False)
def test_a_meeting_after_the_clocks_go_back_keeps_its_local_time(
    client: Client, community: Community, facilitator: User, member: User
) -> None:
    # Planned in summer time (UTC+2) for 10:00 after the change to winter time (UTC+1).
    start = datetime(2026, 11, 3, 10, 0, tzinfo=AMSTERDAM)
    meeting = plan(community, facilitator, starts_at=start)
    client.force_login(member)
    body = _ics(client, meeting.pk)
    calendar = Calendar.from_ical(body)
    [event] = _events(body)
    dtstart = event.decoded("dtstart")
    assert dtstart == start
    assert dtstart.astimezone(zoneinfo.ZoneInfo("UTC")).hour == 9
    assert dtstart.astimezone(AMSTERDAM).hour == 10
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert str(event["uid"]) == meeting.uid


def test_uid_stays_sequence_rises_and_cancel_says_cancelled(
    client: Client, community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    client.force_login(member)
    [before] = _events(_ics(client, meeting.pk))
    meeting = meeting_update(meeting=meeting, by=facilitator, place="Amersfoort")
    [changed] = _events(_ics(client, meeting.pk))
    meeting_cancel(meeting=meeting, by=facilitator)
    [cancelled] = _events(_ics(client, meeting.pk))
    assert str(before["uid"]) == str(changed["uid"]) == str(cancelled["uid"])
    assert [e.decoded("sequence") for e in (before, changed, cancelled)] == [0, 1, 2]
    assert str(changed["location"]) == "Amersfoort"
    assert (str(before["status"]), str(cancelled["status"])) == ("CONFIRMED", "CANCELLED")


def test_the_calendar_file_has_the_online_link_only_for_those_with_a_place(
    client: Client, community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator, online_link="https://meet.example.org/geheim")
    client.force_login(member)
    assert b"meet.example.org" not in _ics(client, meeting.pk)
    rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    assert b"meet.example.org" in _ics(client, meeting.pk)


def _feed(client: Client, token: str) -> bytes:
    response = client.get(reverse("meetings:calendar-feed", kwargs={"token": token}))
    assert response.status_code == 200
    return response.content


def test_the_feed_lists_ones_communities_and_needs_no_session(
    community: Community,
    facilitator: User,
    member: User,
    site_admin: User,
    django_assert_num_queries,
) -> None:
    other = make_community(site_admin, facilitator, "other", is_confidential=True, is_listed=False)
    plan(community, facilitator, title="Mijn bijeenkomst")
    plan(other, facilitator, title="Geheime bijeenkomst")
    token = calendar_feed_create(user=member)
    with django_assert_num_queries(4):  # the feed's owner, memberships, meetings, places
        body = _feed(Client(), token)
    assert [str(e["summary"]) for e in _events(body)] == ["Mijn bijeenkomst"]
    assert CalendarFeed.objects.get(user=member).token_hash != token


def test_a_member_who_left_a_confidential_community_no_longer_sees_its_meetings(
    community: Community, facilitator: User, site_admin: User
) -> None:
    secret = make_community(
        site_admin, facilitator, "geheim", is_confidential=True, is_listed=False
    )
    from tests.conftest import _with_role

    person = _with_role(secret, site_admin, Membership.Role.MEMBER)
    plan(secret, facilitator, title="Schadecasus")
    token = calendar_feed_create(user=person)
    assert len(_events(_feed(Client(), token))) == 1
    membership_remove(
        membership=Membership.objects.get(user=person, community=secret), by=site_admin
    )
    assert b"Schadecasus" not in _feed(Client(), token)


def test_a_revoked_or_replaced_feed_address_stops_working(member: User) -> None:
    old = calendar_feed_create(user=member)
    new = calendar_feed_create(user=member)
    url = reverse("meetings:calendar-feed", kwargs={"token": old})
    assert Client().get(url).status_code == 404
    _feed(Client(), new)
    calendar_feed_revoke(user=member)
    assert Client().get(reverse("meetings:calendar-feed", kwargs={"token": new})).status_code == 404


def test_the_feed_settings_page_shows_a_new_address_once(client: Client, member: User) -> None:
    client.force_login(member)
    url = reverse("meetings:calendar-feed-settings")
    created = client.post(url, {"action": "create"})
    assert b"/calendar/" in created.content
    again = client.get(url)
    assert b".ics" not in again.content
    assert CalendarFeed.objects.filter(user=member, revoked_at__isnull=True).count() == 1
    client.post(url, {"action": "revoke"})
    assert not CalendarFeed.objects.filter(user=member, revoked_at__isnull=True).exists()


def test_past_meetings_stay_in_the_feed_for_a_year(
    community: Community, facilitator: User, member: User
) -> None:
    from django.utils import timezone

    plan(community, facilitator, starts_at=timezone.now() - timedelta(days=7), title="Vorige week")
    plan(community, facilitator, starts_at=timezone.now() - timedelta(days=400), title="Oud")
    token = calendar_feed_create(user=member)
    body = _feed(Client(), token)
    assert b"Vorige week" in body
    assert b"Oud" not in body
