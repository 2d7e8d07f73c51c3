"""Celery entry points for meetings: fetch by id, re-check who may receive it at run
time, record the delivery under its unique constraint, send. Each runs twice with one
effect."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone

from meetings import emails
from meetings.models import Attendance, Delivery, Meeting, Rsvp, TopicProposal
from meetings.permissions import can_see_online_link, meeting_recipients, proposal_recipients
from members.models import User

REMINDER_AHEAD = timedelta(hours=24)


def _claim(*, user: User, kind: str, object_id: int, key: str = "") -> bool:
    """True once per (person, kind, object, key): the delivery row is written, and its
    sent time claimed, before the message goes out."""
    try:
        with transaction.atomic():
            delivery, _ = Delivery.objects.get_or_create(
                user=user, kind=kind, object_id=object_id, key=key
            )
    except IntegrityError:  # written by a task running at the same moment
        return False
    return bool(
        Delivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    )


def _release(*, user: User, kind: str, object_id: int, key: str = "") -> None:
    # Sending failed: let the retry send it.
    Delivery.objects.filter(user=user, kind=kind, object_id=object_id, key=key).update(sent_at=None)


def _meeting(meeting_id: int) -> Meeting | None:
    return Meeting.objects.select_related("community").filter(pk=meeting_id).first()


def _deliver(
    user: User, kind: str, object_id: int, key: str, send: Callable[..., None], **context: Any
) -> None:
    """Send once: `send(user=user, **context)` runs only for the first claim."""
    if not _claim(user=user, kind=kind, object_id=object_id, key=key):
        return
    try:
        send(user=user, **context)
    except Exception:
        _release(user=user, kind=kind, object_id=object_id, key=key)
        raise


@shared_task(
    name="meetings.announce_meeting",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def announce_meeting(*, meeting_id: int) -> None:
    """Tell the community's members about a new meeting, with one-click answers."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.is_cancelled or meeting.has_started():
        return
    for user in meeting_recipients(meeting):
        _deliver(
            user,
            Delivery.Kind.ANNOUNCED,
            meeting.pk,
            "",
            emails.send_announcement,
            meeting=meeting,
        )


def _answered(meeting: Meeting, answers: tuple[str, ...]) -> QuerySet[Rsvp]:
    return Rsvp.objects.filter(
        meeting=meeting,
        answer__in=answers,
        user__in=meeting_recipients(meeting),
    ).select_related("user")


@shared_task(
    name="meetings.notify_meeting_changed",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_meeting_changed(*, meeting_id: int, sequence: int) -> None:
    """A change or cancellation, to everyone who answered (yes, maybe or no). Once per
    person per version of the meeting; skipped when a newer change was queued since."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.sequence != sequence:
        return
    kind = Delivery.Kind.CANCELLED if meeting.is_cancelled else Delivery.Kind.CHANGED
    for rsvp in _answered(meeting, tuple(Rsvp.Answer.values)):
        _deliver(
            rsvp.user,
            kind,
            meeting.pk,
            str(sequence),
            emails.send_changed,
            meeting=meeting,
        )


@shared_task(
    name="meetings.notify_promoted",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_promoted(*, rsvp_id: int) -> None:
    """Tell someone the waiting list moved them up: they have a place now."""
    rsvp = Rsvp.objects.select_related("meeting__community", "user").filter(pk=rsvp_id).first()
    if rsvp is None or not rsvp.has_place or rsvp.meeting.is_cancelled:
        return
    if not meeting_recipients(rsvp.meeting).filter(pk=rsvp.user_id).exists():
        return
    _deliver(
        rsvp.user,
        Delivery.Kind.PROMOTED,
        rsvp.meeting_id,
        "",
        emails.send_promoted,
        meeting=rsvp.meeting,
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
        for rsvp in _answered(meeting, (Rsvp.Answer.YES, Rsvp.Answer.MAYBE)):
            _deliver(
                rsvp.user,
                Delivery.Kind.REMINDER,
                meeting.pk,
                "",
                emails.send_reminder,
                meeting=meeting,
                rsvp=rsvp,
                show_link=can_see_online_link(rsvp.user, meeting, rsvp),
            )


@shared_task(
    name="meetings.send_outputs",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_outputs(*, meeting_id: int) -> None:
    """The outputs, to attendees and to members who were not there, each asked what
    they will do with them. Once per person per meeting."""
    meeting = _meeting(meeting_id)
    if meeting is None or meeting.is_cancelled:
        return
    outputs = list(meeting.outputs.select_related("owner"))
    if not outputs:
        return
    attended = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    for user in meeting_recipients(meeting):
        _deliver(
            user,
            Delivery.Kind.OUTPUTS,
            meeting.pk,
            "",
            emails.send_outputs,
            meeting=meeting,
            outputs=outputs,
            attended=user.pk in attended,
        )


@shared_task(
    name="meetings.notify_proposal_taken_up",
    ignore_result=True,
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def notify_proposal_taken_up(*, proposal_id: int) -> None:
    """Tell the proposer and the voters what their topic became."""
    proposal = (
        TopicProposal.objects.select_related("community", "meeting", "thread")
        .filter(pk=proposal_id, state=TopicProposal.State.PLANNED)
        .first()
    )
    if proposal is None:
        return
    for user in proposal_recipients(proposal):
        _deliver(
            user,
            Delivery.Kind.PROPOSAL_TAKEN_UP,
            proposal.pk,
            "",
            emails.send_proposal_taken_up,
            proposal=proposal,
            is_proposer=user.pk == proposal.proposer_id,
        )
