"""One rule per test (meetings.permissions)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.memberships import membership_remove
from meetings.models import Rsvp
from meetings.permissions import (
    can_plan_meetings,
    can_rsvp,
    can_say_attended,
    can_see_meetings,
    can_see_online_link,
    can_take_up_proposal,
    can_vote,
    feed_meetings,
    meeting_recipients,
    meetings_visible_to,
    proposals_visible_to,
)
from meetings.services.meetings import meeting_cancel
from meetings.services.proposals import proposal_create
from meetings.services.rsvps import rsvp_set
from members.models import User
from tests.conftest import make_community
from tests.meetings.helpers import plan

pytestmark = pytest.mark.django_db


def test_meetings_of_a_members_only_community_are_visible_to_its_members_only(
    community: Community, facilitator: User, member: User, sponsor: User, outsider: User
) -> None:
    meeting = plan(community, facilitator)
    assert list(meetings_visible_to(member)) == [meeting]
    assert not meetings_visible_to(sponsor).exists()
    assert not meetings_visible_to(outsider).exists()


def test_meetings_of_a_readable_community_are_visible_to_everyone_signed_in(
    site_admin: User, facilitator: User, outsider: User
) -> None:
    open_one = make_community(site_admin, facilitator, "open", visibility="signed_in")
    meeting = plan(open_one, facilitator)
    assert list(meetings_visible_to(outsider)) == [meeting]
    assert can_see_meetings(outsider, open_one)


def test_site_admins_see_every_meeting(
    community: Community, facilitator: User, site_admin: User
) -> None:
    meeting = plan(community, facilitator)
    assert list(meetings_visible_to(site_admin)) == [meeting]


def test_proposals_follow_the_same_rule(community: Community, member: User, sponsor: User) -> None:
    proposal = proposal_create(community=community, by=member, title="Onderwerp")
    assert list(proposals_visible_to(member)) == [proposal]
    assert not proposals_visible_to(sponsor).exists()


def test_facilitators_and_site_admins_plan_members_do_not(
    community: Community, facilitator: User, site_admin: User, core_member: User
) -> None:
    assert can_plan_meetings(facilitator, community)
    assert can_plan_meetings(site_admin, community)
    assert not can_plan_meetings(core_member, community)


def test_members_answer_until_the_meeting_ends_not_after_or_when_cancelled(
    community: Community, facilitator: User, member: User, sponsor: User
) -> None:
    upcoming = plan(community, facilitator)
    past = plan(community, facilitator, starts_at=timezone.now() - timedelta(days=2))
    assert can_rsvp(member, upcoming)
    assert not can_rsvp(sponsor, upcoming)
    assert not can_rsvp(member, past)
    assert not can_rsvp(member, meeting_cancel(meeting=upcoming, by=facilitator))


def test_the_online_link_is_for_members_with_a_place_and_facilitators(
    community: Community, facilitator: User, member: User, core_member: User
) -> None:
    meeting = plan(community, facilitator, online_link="https://meet.example.org/x", capacity=1)
    first = rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    waiting = rsvp_set(meeting=meeting, user=core_member, answer=Rsvp.Answer.YES)
    assert can_see_online_link(member, meeting, first)
    assert not can_see_online_link(core_member, meeting, waiting)
    assert can_see_online_link(facilitator, meeting, None)
    maybe = rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.MAYBE)
    assert not can_see_online_link(member, meeting, maybe)


def test_i_was_there_is_for_members_once_it_began(
    community: Community, facilitator: User, member: User, sponsor: User
) -> None:
    began = plan(community, facilitator, starts_at=timezone.now() - timedelta(minutes=5))
    assert can_say_attended(member, began)
    assert not can_say_attended(sponsor, began)
    assert not can_say_attended(member, plan(community, facilitator))


def test_members_vote_on_open_topics_facilitators_take_them_up(
    community: Community, facilitator: User, member: User, sponsor: User
) -> None:
    proposal = proposal_create(community=community, by=member, title="Onderwerp")
    assert can_vote(member, proposal)
    assert not can_vote(sponsor, proposal)
    assert can_take_up_proposal(facilitator, proposal)
    assert not can_take_up_proposal(member, proposal)


def test_recipients_are_active_members_not_sponsors_nor_removed(
    community: Community, facilitator: User, member: User, sponsor: User, site_admin: User
) -> None:
    meeting = plan(community, facilitator)
    assert set(meeting_recipients(meeting)) == {facilitator, member}
    membership_remove(membership=Membership.objects.get(user=member), by=site_admin)
    assert set(meeting_recipients(meeting)) == {facilitator}


def test_a_feed_lists_only_the_meetings_of_ones_own_communities(
    community: Community, facilitator: User, member: User, site_admin: User
) -> None:
    open_one = make_community(site_admin, facilitator, "open", visibility="signed_in")
    mine = plan(community, facilitator)
    plan(open_one, facilitator)  # readable by the member, but not one of theirs
    assert list(feed_meetings(member)) == [mine]
