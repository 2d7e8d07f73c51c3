"""Meeting emails: each once per person, decided at send time."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from communities.models import Community
from meetings.emails import REMINDER
from meetings.models import Rsvp
from meetings.services.meetings import meeting_cancel, meeting_update
from meetings.services.outputs import output_add
from meetings.services.proposals import proposal_create, vote_cast
from meetings.services.rsvps import attendance_mark, rsvp_set
from meetings.tasks import (
    announce_meeting,
    notify_meeting_changed,
    notify_proposal_taken_up,
    send_outputs,
    send_reminders,
)
from members.models import User
from outbox.models import Message
from tests.conftest import _with_role
from tests.meetings.helpers import plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("outbox_at_once")]


def test_reminders_go_a_day_before_to_yes_and_maybe_exactly_once(
    community: Community, facilitator: User, member: User, core_member: User, site_admin: User
) -> None:
    start = timezone.now() + timedelta(days=3)
    meeting = plan(community, facilitator, starts_at=start)
    declined = _with_role(community, site_admin, 10)
    rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    rsvp_set(meeting=meeting, user=core_member, answer=Rsvp.Answer.MAYBE)
    rsvp_set(meeting=meeting, user=declined, answer=Rsvp.Answer.NO)
    mail.outbox.clear()
    with time_machine.travel(start - timedelta(days=2)):
        send_reminders()
    assert mail.outbox == []  # too early
    with time_machine.travel(start - timedelta(hours=23)):
        send_reminders()
        send_reminders()
    with time_machine.travel(start - timedelta(hours=2)):
        send_reminders()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, core_member.email])
    assert Message.objects.filter(kind=REMINDER, state=Message.State.SENT).count() == 2
    reminder = next(m for m in mail.outbox if m.to == [member.email])
    assert "/rsvp/" in reminder.body
    assert reminder.alternatives  # text and HTML


def test_reminders_are_in_the_recipients_language(
    community: Community, facilitator: User, site_admin: User
) -> None:
    start = timezone.now() + timedelta(hours=5)
    meeting = plan(community, facilitator, starts_at=start, title="Kennissessie")
    english = _with_role(community, site_admin, 10, language="en")
    dutch = _with_role(community, site_admin, 10, language="nl")
    for person in (english, dutch):
        rsvp_set(meeting=meeting, user=person, answer=Rsvp.Answer.YES)
    mail.outbox.clear()
    send_reminders()
    subjects = {m.to[0]: m.subject for m in mail.outbox}
    assert subjects[english.email].startswith("Tomorrow")
    assert subjects[dutch.email].startswith("Morgen")


def test_a_change_tells_everyone_who_answered_once_per_version(
    community: Community, facilitator: User, member: User, core_member: User, site_admin: User
) -> None:
    meeting = plan(community, facilitator)
    silent = _with_role(community, site_admin, 10)
    rsvp_set(meeting=meeting, user=member, answer=Rsvp.Answer.YES)
    rsvp_set(meeting=meeting, user=core_member, answer=Rsvp.Answer.NO)
    meeting = meeting_update(meeting=meeting, by=facilitator, place="Zwolle")
    mail.outbox.clear()
    notify_meeting_changed(meeting_id=meeting.pk, sequence=meeting.sequence)
    notify_meeting_changed(meeting_id=meeting.pk, sequence=meeting.sequence)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, core_member.email])
    assert silent.email not in [m.to[0] for m in mail.outbox]
    cancelled = meeting_cancel(meeting=meeting, by=facilitator)
    mail.outbox.clear()
    notify_meeting_changed(meeting_id=meeting.pk, sequence=meeting.sequence)  # outdated: skipped
    assert mail.outbox == []
    notify_meeting_changed(meeting_id=cancelled.pk, sequence=cancelled.sequence)
    assert len(mail.outbox) == 2


def test_the_announcement_goes_to_members_once_with_one_click_answers(
    community: Community, facilitator: User, member: User, sponsor: User
) -> None:
    meeting = plan(community, facilitator)
    mail.outbox.clear()
    announce_meeting(meeting_id=meeting.pk)
    announce_meeting(meeting_id=meeting.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([facilitator.email, member.email])
    assert sponsor.email not in [m.to[0] for m in mail.outbox]


def test_outputs_go_to_attendees_and_non_attendees_asking_what_they_will_do(
    community: Community, facilitator: User, member: User, core_member: User
) -> None:
    meeting = plan(community, facilitator, starts_at=timezone.now() - timedelta(days=1))
    attendance_mark(meeting=meeting, by=facilitator, present=[member])
    output_add(meeting=meeting, by=facilitator, kind="summary", body="Drie lessen.")
    mail.outbox.clear()
    send_outputs(meeting_id=meeting.pk)
    send_outputs(meeting_id=meeting.pk)
    by_person = {m.to[0]: m for m in mail.outbox}
    assert set(by_person) == {facilitator.email, member.email, core_member.email}
    assert "Drie lessen." in by_person[member.email].body
    assert by_person[member.email].body != by_person[core_member.email].body


def test_proposer_and_voters_are_told_once_when_a_topic_is_taken_up(
    community: Community, facilitator: User, member: User, core_member: User
) -> None:
    proposal = proposal_create(community=community, by=member, title="Triage")
    vote_cast(proposal=proposal, user=core_member)
    plan(community, facilitator, proposal=proposal)
    mail.outbox.clear()
    notify_proposal_taken_up(proposal_id=proposal.pk)
    notify_proposal_taken_up(proposal_id=proposal.pk)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([member.email, core_member.email])


def test_meeting_mail_follows_the_preference_per_community_and_the_rsvp_link_works(
    client, community: Community, facilitator: User, member: User
) -> None:
    from meetings.emails import ANNOUNCED
    from outbox.preferences import preference_set

    preference_set(user=facilitator, kind=ANNOUNCED, community_id=community.pk, value="off")
    meeting = plan(community, facilitator)
    mail.outbox.clear()
    announce_meeting(meeting_id=meeting.pk)
    [sent] = mail.outbox
    assert sent.to == [member.email]
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/preferences/" in sent.body
    path = next(w for w in sent.body.split() if "/rsvp/" in w).split("://", 1)[1]
    path = "/" + path.split("/", 1)[1]
    assert client.get(path).status_code == 200
    assert client.post(path).status_code == 200
    assert Rsvp.objects.get(meeting=meeting, user=member).answer == Rsvp.Answer.YES


def test_someone_who_left_before_sending_gets_no_meeting_mail(
    monkeypatch: pytest.MonkeyPatch,
    community: Community,
    facilitator: User,
    member: User,
    site_admin: User,
) -> None:
    from communities.models import Membership
    from communities.services.memberships import membership_remove
    from outbox import services

    monkeypatch.setattr(services, "_on_commit", lambda ids, delay, batched=False: None)
    meeting = plan(community, facilitator)
    announce_meeting(meeting_id=meeting.pk)
    membership_remove(
        membership=Membership.objects.get(community=community, user=member), by=site_admin
    )
    mail.outbox.clear()
    for message in Message.objects.filter(recipient=member):
        assert services.message_deliver(message_id=message.pk) == Message.State.SKIPPED
    assert member.email not in [m.to[0] for m in mail.outbox]
