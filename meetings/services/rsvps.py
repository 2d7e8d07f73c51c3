"""Answers, the waiting list and attendance.

Every answer locks the meeting's row, so two people taking the last place at once
cannot both get it; the waiting list moves up by itself whenever a place frees."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from communities.models import AuditEvent
from communities.services.audit import audit_record
from meetings.models import Attendance, Meeting, Rsvp
from meetings.permissions import can_plan_meetings, can_rsvp, can_say_attended, is_member
from members.models import User
from members.queue import enqueue_on_commit


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _places_taken(meeting: Meeting) -> int:
    return Rsvp.objects.filter(
        meeting=meeting, answer=Rsvp.Answer.YES, waiting_position__isnull=True
    ).count()


def _has_room(meeting: Meeting) -> bool:
    return meeting.capacity is None or _places_taken(meeting) < meeting.capacity


def promote_waiting(*, meeting: Meeting) -> list[Rsvp]:
    """Give free places to the first in line; each is told after commit. Call with the
    meeting's row locked (inside the answer's or the change's transaction)."""
    promoted = []
    while _has_room(meeting):
        first = (
            Rsvp.objects.filter(meeting=meeting, waiting_position__isnull=False)
            .order_by("waiting_position", "pk")
            .first()
        )
        if first is None:
            break
        first.waiting_position = None
        first.save(update_fields=["waiting_position"])
        promoted.append(first)
        enqueue_on_commit("meetings.notify_promoted", rsvp_id=first.pk)
    return promoted


@transaction.atomic
def rsvp_set(*, meeting: Meeting, user: User, answer: str) -> Rsvp:
    """Answer yes, maybe or no (members, until the meeting ends); changeable. A yes
    over capacity joins the end of the waiting list; a place given up goes to the
    first in line. Answering yes again keeps one's place or position."""
    if answer not in Rsvp.Answer.values:
        raise ValueError(answer)
    if not can_rsvp(user, meeting):
        raise PermissionDenied
    meeting = _locked(meeting)
    rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first()
    had_place = rsvp is not None and rsvp.has_place
    if rsvp is not None and rsvp.answer == answer:
        return rsvp
    if rsvp is None:
        rsvp = Rsvp(meeting=meeting, user=user)
    rsvp.answer = answer
    rsvp.answered_at = timezone.now()
    rsvp.waiting_position = None
    if answer == Rsvp.Answer.YES and not _has_room(meeting):
        last = Rsvp.objects.filter(meeting=meeting).aggregate(last=Max("waiting_position"))
        rsvp.waiting_position = (last["last"] or 0) + 1
    rsvp.save()
    if had_place and not rsvp.has_place:
        promote_waiting(meeting=meeting)
    return rsvp


@transaction.atomic
def attendance_say(*, meeting: Meeting, user: User) -> Attendance:
    """ "I was there": members, once the meeting began. Idempotent."""
    if not can_say_attended(user, meeting):
        raise PermissionDenied
    attendance, _ = Attendance.objects.get_or_create(
        meeting=meeting, user=user, defaults={"marked_by": user}
    )
    return attendance


@transaction.atomic
def attendance_mark(*, meeting: Meeting, by: User, present: list[User]) -> None:
    """The facilitator's list: exactly `present` (members of the community) were there."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    if any(not is_member(person, meeting.community) for person in present):
        raise PermissionDenied
    Attendance.objects.filter(meeting=meeting).exclude(user__in=present).delete()
    known = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user=p, marked_by=by) for p in present if p.pk not in known]
    )
    audit_record(
        community=meeting.community,
        actor=by,
        action=AuditEvent.Action.ATTENDANCE_MARKED,
        meeting=meeting.pk,
        title=meeting.title,
        present=len(present),
    )
