"""Celery entry points for meetings: fetch by id, decide who is told now, record one
outbox message per person (unique per person, kind and key, so a task run twice
records nothing new); the outbox renders each at send time, re-checking
(meetings/emails.py)."""

from datetime import timedelta

from celery import shared_task
from django.db.models import QuerySet
from django.utils import timezone

from meetings import emails
from meetings.models import Meeting, Rsvp, TopicProposal
from meetings.permissions import meeting_recipients, proposal_recipients

REMINDER_AHEAD = timedelta(hours=24)


def _meeting(meeting_id: int) -> Meeting | None:
    return Meeting.objects.select_related("community").filter(pk=meeting_id).first()


def _ids(users: QuerySet) -> list[int]:
    return list(users.values_list("pk", flat=True))


@shared_task(name="meetings.announce_meeting", ignore_result=True, acks_late=True)
def announce_meeting(*, meeting_id: int) -> None:
    """Tell the community's members about a new meeting, with one-click answers."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.is_cancelled or meeting.has_started():
        return
    emails.record(
        kind=emails.ANNOUNCED,
        community_id=meeting.community_id,
        user_ids=_ids(meeting_recipients(meeting)),
        key=f"meeting:{meeting.pk}",
        payload={"meeting": meeting.pk},
    )


def _answered(meeting: Meeting, answers: tuple[str, ...]) -> QuerySet[Rsvp]:
    return Rsvp.objects.filter(
        meeting=meeting,
        answer__in=answers,
        user__in=meeting_recipients(meeting),
    )


@shared_task(name="meetings.notify_meeting_changed", ignore_result=True, acks_late=True)
def notify_meeting_changed(*, meeting_id: int, sequence: int) -> None:
    """A change or cancellation, to everyone who answered (yes, maybe or no). Once per
    person per version of the meeting; skipped when a newer change was queued since."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.sequence != sequence:
        return
    emails.record(
        kind=emails.CANCELLED if meeting.is_cancelled else emails.CHANGED,
        community_id=meeting.community_id,
        user_ids=[rsvp.user_id for rsvp in _answered(meeting, tuple(Rsvp.Answer.values))],
        key=f"meeting:{meeting.pk}:{sequence}",
        payload={"meeting": meeting.pk, "sequence": sequence},
    )


@shared_task(name="meetings.notify_promoted", ignore_result=True, acks_late=True)
def notify_promoted(*, rsvp_id: int) -> None:
    """Tell someone the waiting list moved them up: they have a place now."""
    rsvp = Rsvp.objects.select_related("meeting__community", "user").filter(pk=rsvp_id).first()
    if rsvp is None or not rsvp.has_place or rsvp.meeting.is_cancelled:
        return
    if not meeting_recipients(rsvp.meeting).filter(pk=rsvp.user_id).exists():
        return
    emails.record(
        kind=emails.PROMOTED,
        community_id=rsvp.meeting.community_id,
        user_ids=[rsvp.user_id],
        key=f"meeting:{rsvp.meeting_id}",
        payload={"meeting": rsvp.meeting_id},
    )


@shared_task(name="meetings.send_reminders", ignore_result=True, acks_late=True)
def send_reminders() -> None:
    """Remind those who said yes or maybe, within a day before the meeting: once per
    person per meeting however often it runs (beat runs it every 15 minutes)."""
    now = timezone.now()
    upcoming = Meeting.objects.select_related("community").filter(
        state=Meeting.State.SCHEDULED, starts_at__gt=now, starts_at__lte=now + REMINDER_AHEAD
    )
    for meeting in upcoming:
        emails.record(
            kind=emails.REMINDER,
            community_id=meeting.community_id,
            user_ids=[r.user_id for r in _answered(meeting, (Rsvp.Answer.YES, Rsvp.Answer.MAYBE))],
            key=f"meeting:{meeting.pk}",
            payload={"meeting": meeting.pk},
        )


@shared_task(name="meetings.send_outputs", ignore_result=True, acks_late=True)
def send_outputs(*, meeting_id: int) -> None:
    """The outputs, to attendees and to members who were not there, each asked what
    they will do with them. Once per person per meeting."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.is_cancelled:
        return
    if not meeting.outputs.exists():
        return
    emails.record(
        kind=emails.OUTPUTS,
        community_id=meeting.community_id,
        user_ids=_ids(meeting_recipients(meeting)),
        key=f"meeting:{meeting.pk}",
        payload={"meeting": meeting.pk},
    )


@shared_task(name="meetings.notify_proposal_taken_up", ignore_result=True, acks_late=True)
def notify_proposal_taken_up(*, proposal_id: int) -> None:
    """Tell the proposer and the voters what their topic became."""
    proposal = (
        TopicProposal.objects.select_related("community", "meeting", "thread")
        .filter(pk=proposal_id, state=TopicProposal.State.PLANNED)
        .first()
    )
    if proposal is None:
        return
    emails.record(
        kind=emails.PROPOSAL,
        community_id=proposal.community_id,
        user_ids=_ids(proposal_recipients(proposal)),
        key=f"proposal:{proposal.pk}",
        payload={"proposal": proposal.pk},
    )
