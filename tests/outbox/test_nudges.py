"""Nudges: an unanswered question goes to up to three members whose expertise matches,
once, never at night in their zone, at most one nudge per person per week."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from communities.models import Community, Membership
from communities.services.memberships import membership_grant
from discussions.emails.nudges import KIND, nudges_record
from discussions.models import Thread
from discussions.services.posts import thread_create
from members.models import User
from outbox.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ASKED = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
# Four days later, 12:00 in Amsterdam.
NOON = datetime(2026, 12, 11, 11, 0, tzinfo=UTC)


def _expert(community: Community, admin: User, zone: str = "Europe/Amsterdam") -> User:
    person = UserFactory(time_zone=zone)
    membership_grant(
        community=community, user=person, role=Membership.Role.MEMBER, granted_by=admin
    )
    person.expertise.add("bloeddruk")
    return person


def _question(community: Community, author: User, title: str) -> Thread:
    with time_machine.travel(ASKED, tick=False):
        return thread_create(
            community=community,
            author=author,
            kind=Thread.Kind.QUESTION,
            title=title,
            body="Wie weet dit?",
            tags=["bloeddruk"],
        )


def _nudged() -> set[int]:
    return set(Message.objects.filter(kind=KIND).values_list("recipient_id", flat=True))


def test_up_to_three_matching_members_are_asked_once(
    community: Community, member: User, site_admin: User
) -> None:
    experts = [_expert(community, site_admin) for _ in range(5)]
    _question(community, member, "Welke bloeddrukmeter?")
    with time_machine.travel(ASKED + timedelta(days=1), tick=False):
        assert nudges_record(ASKED + timedelta(days=1)) == 0  # too early
    with time_machine.travel(NOON, tick=False):
        assert nudges_record(NOON) == 3
        assert nudges_record(NOON) == 0
    assert _nudged() <= {e.pk for e in experts} and member.pk not in _nudged()


def test_nobody_is_nudged_twice_in_a_week_or_at_night(
    community: Community, member: User, site_admin: User
) -> None:
    first = [_expert(community, site_admin) for _ in range(3)]
    night_owl = _expert(community, site_admin, zone="Asia/Tokyo")  # 20:00 there at NOON
    _question(community, member, "Eerste vraag")
    _question(community, member, "Tweede vraag")
    with time_machine.travel(NOON, tick=False):
        nudges_record(NOON)
    per_person = Message.objects.filter(kind=KIND).values_list("recipient_id", flat=True)
    assert sorted(per_person) == sorted(p.pk for p in first)
    assert night_owl.pk not in _nudged()
