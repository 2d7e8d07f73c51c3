"""What a meeting produced: summaries, notes, action items and files; sent to members
once."""

import secrets
from collections.abc import Sequence
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from communities.models import AuditEvent
from communities.services.audit import audit_record
from discussions.markdown import render_markdown
from discussions.services.attachments import attachments_check
from meetings.models import Meeting, MeetingOutput, OutputFile
from meetings.permissions import can_plan_meetings, is_member
from members.models import User
from members.queue import enqueue_on_commit

# A meeting keeps its slides and reports; more than this is a file share, not outputs.
MAX_FILES_PER_MEETING = 20


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
    audit_record(
        community=meeting.community,
        actor=by,
        action=AuditEvent.Action.MEETING_OUTPUT,
        meeting=meeting.pk,
        title=meeting.title,
    )
    return output


@transaction.atomic
def output_files_add(
    *, meeting: Meeting, by: User, files: Sequence[UploadedFile]
) -> list[OutputFile]:
    """Store files as outputs of the meeting (facilitators). Each is checked by its
    content with the discussions' attachment rules (images re-encoded, PDF and office
    documents only, 10 MB); if one fails, ValidationError lists each failing file and
    nothing is stored. The meeting's row is locked while counting, so two uploads at
    once cannot pass the limit."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    if not files:
        return []
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    if OutputFile.objects.filter(meeting=meeting).count() + len(files) > MAX_FILES_PER_MEETING:
        raise ValidationError(
            _("A meeting can have at most %(count)s files.") % {"count": MAX_FILES_PER_MEETING},
            code="too_many_files",
        )
    checked = attachments_check(files)
    created: list[OutputFile] = []
    try:
        for item in checked:
            stored = OutputFile(
                meeting=meeting,
                storage_name=f"{secrets.token_hex(16)}{item.extension}",
                display_name=item.display_name,
                content_type=item.content_type,
                size=len(item.content),
                uploaded_by=by,
            )
            stored.file.save(stored.storage_name, ContentFile(item.content), save=False)
            stored.save()
            created.append(stored)
    except Exception:
        for stored in created:
            stored.file.delete(save=False)
        raise
    audit_record(
        community=meeting.community,
        actor=by,
        action=AuditEvent.Action.MEETING_FILE_ADDED,
        meeting=meeting.pk,
        title=meeting.title,
        files=[stored.display_name for stored in created],
    )
    return created


@transaction.atomic
def output_file_remove(*, output_file: OutputFile, by: User) -> None:
    """Take a file off the meeting (facilitators); the stored file goes once the
    removal has committed, so a rolled-back removal keeps it."""
    meeting = output_file.meeting
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    storage, name = output_file.file.storage, output_file.file.name or ""
    output_file.delete()
    audit_record(
        community=meeting.community,
        actor=by,
        action=AuditEvent.Action.MEETING_FILE_REMOVED,
        meeting=meeting.pk,
        title=meeting.title,
        files=[output_file.display_name],
    )
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def outputs_send(*, meeting: Meeting, by: User) -> None:
    """Mail the outputs to attendees and non-attendees, once per person per meeting."""
    if not can_plan_meetings(by, meeting.community):
        raise PermissionDenied
    if not meeting.outputs.exists():
        raise ValidationError(_("Post an output first."), code="no_outputs")
    audit_record(
        community=meeting.community,
        actor=by,
        action=AuditEvent.Action.OUTPUTS_SENT,
        meeting=meeting.pk,
        title=meeting.title,
    )
    enqueue_on_commit("meetings.send_outputs", meeting_id=meeting.pk)
