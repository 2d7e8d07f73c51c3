"""The console's acts: start a thread from a seed template, write facilitator notes,
tick off the stage's playbook. Each re-checks the right, writes, and leaves an audit
row in the community's log (never a note's text)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import AuditEvent, Community
from communities.services.audit import audit_record
from discussions.markdown import render_markdown
from discussions.models import Thread
from discussions.services.posts import thread_create
from facilitation.models import SEED_KINDS, FacilitatorNote, PlaybookTick, SeedTemplate
from facilitation.permissions import can_act_in_console, can_edit_note, can_write_notes
from facilitation.playbook import step_keys
from members.models import User

A = AuditEvent.Action


@transaction.atomic
def seed_thread_post(
    *,
    community: Community,
    by: User,
    template: SeedTemplate,
    kind: str,
    title: str,
    body: str,
) -> Thread:
    """Start a thread from a template, as edited by the facilitator. The thread is the
    facilitator's own post, through `thread_create` (which checks again that they may
    start one: a site admin who is not a member may not)."""
    if not can_act_in_console(by, community):
        raise PermissionDenied
    if kind not in {value for value, _label in SEED_KINDS}:
        raise ValidationError(_("Choose a question, a tip or a story."))
    thread = thread_create(community=community, author=by, kind=kind, title=title, body=body)
    audit_record(
        community=community,
        actor=by,
        action=A.THREAD_SEEDED,
        thread_id=thread.pk,
        template_id=template.pk,
    )
    return thread


def _note_text(body: str) -> str:
    text = body.strip()
    if not text:
        raise ValidationError(_("Write some text."))
    return text


@transaction.atomic
def note_create(*, community: Community, author: User, body: str) -> FacilitatorNote:
    """A private note for the community's facilitators, stored with sanitised HTML."""
    if not can_write_notes(author, community):
        raise PermissionDenied
    text = _note_text(body)
    note = FacilitatorNote.objects.create(
        community=community, author=author, body=text, body_html=render_markdown(text)
    )
    audit_record(community=community, actor=author, action=A.NOTE_ADDED, note_id=note.pk)
    return note


@transaction.atomic
def note_edit(*, note: FacilitatorNote, by: User, body: str) -> FacilitatorNote:
    if not can_edit_note(by, note):
        raise PermissionDenied
    text = _note_text(body)
    if text == note.body:
        return note
    note.body = text
    note.body_html = render_markdown(text)
    note.edited_at = timezone.now()
    note.save(update_fields=["body", "body_html", "edited_at"])
    audit_record(community=note.community, actor=by, action=A.NOTE_EDITED, note_id=note.pk)
    return note


@transaction.atomic
def note_delete(*, note: FacilitatorNote, by: User) -> None:
    if not can_edit_note(by, note):
        raise PermissionDenied
    audit_record(community=note.community, actor=by, action=A.NOTE_DELETED, note_id=note.pk)
    note.delete()


@transaction.atomic
def playbook_tick_toggle(*, community: Community, by: User, item: str) -> bool:
    """Tick a step of the community's current playbook off, or untick it; returns
    whether it is ticked now. Idempotent under a double click: one row per step."""
    if not can_act_in_console(by, community):
        raise PermissionDenied
    if item not in step_keys(community.stage):
        raise ValidationError(_("That step is not in this stage's playbook."))
    removed, _rows = PlaybookTick.objects.filter(community=community, item=item).delete()
    if removed:
        audit_record(community=community, actor=by, action=A.PLAYBOOK_UNTICKED, item=item)
        return False
    try:
        with transaction.atomic():
            PlaybookTick.objects.create(community=community, item=item, ticked_by=by)
    except IntegrityError:
        return True  # ticked by another facilitator in the same moment
    audit_record(community=community, actor=by, action=A.PLAYBOOK_TICKED, item=item)
    return True
