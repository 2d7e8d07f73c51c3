from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities.models import Community
from discussions.models import Thread
from meetings.models import AgendaItem, Meeting, Rsvp, TopicProposal, TopicVote
from meetings.services.meetings import agenda_item_add, meeting_cancel, meeting_update
from meetings.services.proposals import (
    proposal_create,
    proposal_take_up,
    proposal_to_thread,
    vote_cast,
    vote_withdraw,
)
from meetings.services.rsvps import attendance_mark, attendance_say, rsvp_set
from members.models import User
from tests.conftest import _with_role
from tests.meetings.helpers import plan

pytestmark = pytest.mark.django_db


def _members(community: Community, admin: User, count: int) -> list[User]:
    return [_with_role(community, admin, 10) for _ in range(count)]


def test_a_yes_over_capacity_joins_the_waiting_list_in_order(
    community: Community, facilitator: User, site_admin: User
) -> None:
    meeting = plan(community, facilitator, capacity=2)
    a, b, c, d = _members(community, site_admin, 4)
    for person in (a, b, c, d):
        rsvp_set(meeting=meeting, user=person, answer=Rsvp.Answer.YES)
    rows = {r.user_id: r for r in Rsvp.objects.filter(meeting=meeting)}
    assert rows[a.pk].has_place and rows[b.pk].has_place
    assert (rows[c.pk].waiting_position, rows[d.pk].waiting_position) == (1, 2)


def test_the_waiting_list_moves_up_when_a_place_frees_and_tells_the_person(
    community: Community, facilitator: User, site_admin: User, django_capture_on_commit_callbacks
) -> None:
    meeting = plan(community, facilitator, capacity=1)
    a, b, c = _members(community, site_admin, 3)
    for person in (a, b, c):
        rsvp_set(meeting=meeting, user=person, answer=Rsvp.Answer.YES)
    with django_capture_on_commit_callbacks() as callbacks:
        rsvp_set(meeting=meeting, user=a, answer=Rsvp.Answer.NO)
    assert Rsvp.objects.get(meeting=meeting, user=b).has_place
    assert Rsvp.objects.get(meeting=meeting, user=c).waiting_position is not None
    assert len(callbacks) == 1  # notify_promoted for b


def test_more_places_move_the_waiting_list_up(
    community: Community, facilitator: User, site_admin: User
) -> None:
    meeting = plan(community, facilitator, capacity=1)
    a, b = _members(community, site_admin, 2)
    rsvp_set(meeting=meeting, user=a, answer=Rsvp.Answer.YES)
    rsvp_set(meeting=meeting, user=b, answer=Rsvp.Answer.YES)
    meeting_update(meeting=meeting, by=facilitator, capacity=2)
    assert Rsvp.objects.get(meeting=meeting, user=b).has_place


def test_an_answer_can_be_changed_and_a_waiting_yes_keeps_its_place_in_line(
    community: Community, facilitator: User, member: User, site_admin: User
) -> None:
    meeting = plan(community, facilitator, capacity=1)
    [other] = _members(community, site_admin, 1)
    rsvp_set(meeting=meeting, user=other, answer=Rsvp.Answer.YES)
    first = rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    again = rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    assert again.waiting_position == first.waiting_position == 1
    changed = rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.MAYBE)
    assert (changed.answer, changed.waiting_position) == ("maybe", None)
    assert Rsvp.objects.filter(meeting=meeting).count() == 2


def test_sponsors_and_outsiders_cannot_answer(
    community: Community, facilitator: User, sponsor: User, outsider: User
) -> None:
    meeting = plan(community, facilitator)
    for person in (sponsor, outsider):
        with pytest.raises(PermissionDenied):
            rsvp_set(meeting=meeting, user=person, answer=Rsvp.Answer.YES)


def test_a_change_people_see_raises_the_sequence_a_description_change_does_not(
    community: Community, facilitator: User, django_capture_on_commit_callbacks
) -> None:
    meeting = plan(community, facilitator)
    with django_capture_on_commit_callbacks() as callbacks:
        meeting = meeting_update(meeting=meeting, by=facilitator, description="Meer tekst.")
    assert (meeting.sequence, len(callbacks)) == (0, 0)
    with django_capture_on_commit_callbacks() as callbacks:
        meeting = meeting_update(
            meeting=meeting,
            by=facilitator,
            starts_at=meeting.starts_at + timedelta(hours=1),
            ends_at=meeting.ends_at + timedelta(hours=1),
        )
    assert (meeting.sequence, len(callbacks)) == (1, 1)


def test_cancelling_marks_it_raises_the_sequence_once_and_blocks_changes(
    community: Community, facilitator: User
) -> None:
    meeting = plan(community, facilitator)
    meeting = meeting_cancel(meeting=meeting, by=facilitator)
    meeting = meeting_cancel(meeting=meeting, by=facilitator)
    assert (meeting.state, meeting.sequence) == (Meeting.State.CANCELLED, 1)
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, by=facilitator, title="Toch")


def test_members_cannot_plan_or_change_meetings(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    with pytest.raises(PermissionDenied):
        plan(community, member)
    with pytest.raises(PermissionDenied):
        meeting_cancel(meeting=meeting, by=member)


def test_a_meeting_must_end_after_it_starts(community: Community, facilitator: User) -> None:
    with pytest.raises(ValidationError):
        plan(community, facilitator, hours=0)


def test_i_was_there_needs_the_meeting_to_have_begun(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    with pytest.raises(PermissionDenied):
        attendance_say(meeting=meeting, user=member)
    began = plan(community, facilitator, starts_at=timezone.now() - timedelta(hours=1))
    attendance_say(meeting=began, user=member)
    attendance_say(meeting=began, user=member)
    assert began.attendances.count() == 1


def test_the_facilitators_attendance_list_is_exactly_who_was_there(
    community: Community, facilitator: User, member: User, core_member: User
) -> None:
    meeting = plan(community, facilitator, starts_at=timezone.now() - timedelta(days=1))
    attendance_mark(meeting=meeting, by=facilitator, present=[member, core_member])
    attendance_mark(meeting=meeting, by=facilitator, present=[core_member])
    assert list(meeting.attendances.values_list("user_id", flat=True)) == [core_member.pk]


def test_one_vote_per_person_per_topic_and_it_can_be_withdrawn(
    community: Community, member: User, core_member: User
) -> None:
    proposal = proposal_create(community=community, by=member, title="AVG en apps")
    vote_cast(proposal=proposal, user=core_member)
    vote_cast(proposal=proposal, user=core_member)
    assert proposal.votes.count() == 2  # the proposer's and one more
    vote_withdraw(proposal=proposal, user=core_member)
    vote_withdraw(proposal=proposal, user=core_member)
    assert list(proposal.votes.values_list("user_id", flat=True)) == [member.pk]


def test_a_topic_planned_as_a_meeting_is_its_first_agenda_item(
    community: Community, facilitator: User, member: User, django_capture_on_commit_callbacks
) -> None:
    proposal = proposal_create(community=community, by=member, title="AVG en apps")
    with django_capture_on_commit_callbacks() as callbacks:
        meeting = plan(community, facilitator, title="Webinar AVG", proposal=proposal)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.meeting_id) == (TopicProposal.State.PLANNED, meeting.pk)
    assert AgendaItem.objects.get(meeting=meeting).proposal_id == proposal.pk
    assert len(callbacks) == 2  # the announcement and the proposer/voters' notice
    with pytest.raises(PermissionDenied):
        vote_cast(proposal=proposal, user=member)


def test_a_topic_on_the_agenda_of_a_planned_meeting(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    agenda_item_add(meeting=meeting, by=facilitator, title="Welkom")
    proposal = proposal_create(community=community, by=member, title="Triage op afstand")
    proposal_take_up(proposal=proposal, by=facilitator, meeting=meeting, as_agenda_item=True)
    assert list(meeting.agenda_items.values_list("title", "position")) == [
        ("Welkom", 1),
        ("Triage op afstand", 2),
    ]


def test_a_topic_becomes_a_thread(community: Community, facilitator: User, member: User) -> None:
    proposal = proposal_create(community=community, by=member, title="Welke app voor triage?")
    thread = proposal_to_thread(proposal=proposal, by=facilitator)
    assert (thread.title, thread.community_id) == ("Welke app voor triage?", community.pk)
    assert Thread.objects.filter(pk=thread.pk).exists()
    with pytest.raises(PermissionDenied):  # taken up once
        proposal_to_thread(proposal=proposal, by=facilitator)


def test_members_cannot_take_topics_up(community: Community, member: User) -> None:
    proposal = proposal_create(community=community, by=member, title="Iets")
    with pytest.raises(PermissionDenied):
        proposal_to_thread(proposal=proposal, by=member)
    assert TopicVote.objects.count() == 1
