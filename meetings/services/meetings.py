"""Planning meetings: create, change, cancel, agenda. Facilitators only; each change
people see bumps the iCalendar SEQUENCE and tells those who answered."""

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import AuditEvent, Community
from communities.services.audit import audit_record
from discussions.markdown import render_markdown
from discussions.models import Thread
from meetings.models import AgendaItem, Meeting, TopicProposal
from meetings.permissions import can_plan_meetings
from meetings.services.rsvps import promote_waiting
from members.models import User
from members.queue import enqueue_on_commit

# Changes that make a calendar entry or a plan out of date.
_SEEN_FIELDS = ("title", "starts_at", "ends_at", "time_zone", "place", "online_link", "kind")


def _check_times(starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The meeting must end after it starts."), code="times")


@transaction.atomic
def meeting_create(
    *,
    community: Community,
    by: User,
    kind: str,
    title: str,
    description: str,
    starts_at: datetime,
    ends_at: datetime,
    time_zone: str,
    place: str = "",
    online_link: str = "",
    capacity: int | None = None,
    proposal: TopicProposal | None = None,
) -> Meeting:
    """Plan a meeting (facilitators and site admins). From a topic proposal, the topic
    becomes its first agenda item and its proposer and voters are told. The members
    are told after commit."""
    if not can_plan_meetings(by, community):
        raise PermissionDenied
    _check_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        community=community,
        organiser=by,
        kind=kind,
        title=title.strip(),
        description=description,
        description_html=render_markdown(description),
        starts_at=starts_at,
        ends_at=ends_at,
        time_zone=time_zone,
        place=place,
        online_link=online_link,
        capacity=capacity,
    )
    audit_record(
        community=community,
        actor=by,
        action=AuditEvent.Action.MEETING_PLANNED,
        meeting=meeting.pk,
        title=meeting.title,
    )
    if proposal is not None:
        from meetings.services.proposals import proposal_take_up

        proposal_take_up(proposal=proposal, by=by, meeting=meeting, as_agenda_item=True)
    if starts_at > timezone.now():
        enqueue_on_commit("meetings.announce_meeting", meeting_id=meeting.pk)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: User, **fields: Any) -> Meeting:
    """Change a scheduled meeting. A change to what a calendar shows (time, place,
    link, title) raises SEQUENCE and tells everyone who answered; more places move the
    waiting list up."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot be changed."), code="cancelled")
    _check_times(fields.get("starts_at", locked.starts_at), fields.get("ends_at", locked.ends_at))
    seen_change = any(
        name in fields and fields[name] != getattr(locked, name) for name in _SEEN_FIELDS
    )
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.description_html = render_markdown(locked.description)
    locked.updated_at = timezone.now()
    if seen_change:
        locked.sequence += 1
    locked.save()
    promote_waiting(meeting=locked)
    audit_record(
        community=locked.community,
        actor=by,
        action=AuditEvent.Action.MEETING_CHANGED,
        meeting=locked.pk,
        title=locked.title,
    )
    if seen_change:
        enqueue_on_commit(
            "meetings.notify_meeting_changed", meeting_id=locked.pk, sequence=locked.sequence
        )
    return locked


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: User) -> Meeting:
    """Cancel: STATUS:CANCELLED in calendars, everyone who answered is told. Idempotent."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if locked.is_cancelled:
        return locked
    locked.state = Meeting.State.CANCELLED
    locked.sequence += 1
    locked.updated_at = timezone.now()
    locked.save(update_fields=["state", "sequence", "updated_at"])
    audit_record(
        community=locked.community,
        actor=by,
        action=AuditEvent.Action.MEETING_CANCELLED,
        meeting=locked.pk,
        title=locked.title,
    )
    enqueue_on_commit(
        "meetings.notify_meeting_changed", meeting_id=locked.pk, sequence=locked.sequence
    )
    return locked


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: User,
    title: str,
    thread: Thread | None = None,
    proposal: TopicProposal | None = None,
) -> AgendaItem:
    """Add an item at the end of the agenda; it may link a thread or a topic of the
    same community."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    for linked in (thread, proposal):
        if linked is not None and linked.community_id != meeting.community_id:
            raise PermissionDenied
    last = meeting.agenda_items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(
        meeting=meeting,
        title=title.strip() or (proposal.title if proposal else thread.title if thread else ""),
        thread=thread,
        proposal=proposal,
        position=(last or 0) + 1,
    )
