"""What a meeting produced: summaries, notes, action items; sent to members once."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.services.audit import audit_record
from discussions.markdown import render_markdown
from meetings.models import Meeting, MeetingOutput
from meetings.permissions import can_plan_meetings, is_member
from members.models import User
from members.queue import enqueue_on_commit


@transaction.atomic
def output_add(
    *,
    meeting: Meeting,
    by: User,
    kind: str,
    body: str,
    owner: User | None = None,
    due_on: date | None = None,
) -> MeetingOutput:
    """Post an output (facilitators). An action item's owner must be a member."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    if not body.strip():
        raise ValidationError(_("Write the output first."), code="empty")
    if owner is not None and not is_member(owner, meeting.community):
        raise PermissionDenied
    output = MeetingOutput.objects.create(
        meeting=meeting,
        kind=kind,
        body=body,
        body_html=render_markdown(body),
        owner=owner if kind == MeetingOutput.Kind.ACTION else None,
        due_on=due_on if kind == MeetingOutput.Kind.ACTION else None,
        author=by,
    )
    audit_record(community=meeting.community, actor=by, action="meeting_output", meeting=meeting.pk)
    return output


@transaction.atomic
def outputs_send(*, meeting: Meeting, by: User) -> None:
    """Mail the outputs to attendees and non-attendees, once per person per meeting."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    if not meeting.outputs.exists():
        raise ValidationError(_("Post an output first."), code="no_outputs")
    enqueue_on_commit("meetings.send_outputs", meeting_id=meeting.pk)
