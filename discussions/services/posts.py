"""Writes on threads and replies: create, edit (keeping revisions), soft delete and
restore, and the accepted answer.

Every service re-checks permission, calls the search-index and notification hooks after
its write (they enqueue their own work on commit), and runs in one transaction.
"""

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import AuditEvent, Community
from communities.services.audit import audit_record
from discussions.markdown import render_markdown
from discussions.models import Reply, Revision, Thread
from discussions.permissions import (
    can_accept_answer,
    can_delete_post,
    can_edit_post,
    can_moderate,
    can_reply,
    can_start_thread,
)
from discussions.services import attachments as attachments_service
from discussions.services import moderation, notifications, search_index
from members.models import User


def _attachments_add(*, post: Thread | Reply, files: Sequence[UploadedFile], by: User) -> None:
    # The attachments service is added by its own work; until then files are ignored.
    add = getattr(attachments_service, "attachments_add", None)
    if files and add is not None:
        add(post=post, files=list(files), by=by)


def _audit_moderation(post: Thread | Reply, by: User, action: str) -> None:
    """A moderator's delete or restore goes in the community's log (an author deleting
    their own post is their own business, as an edit is)."""
    if action == AuditEvent.Action.POST_DELETED and by.pk == post.author_id:
        return
    if isinstance(post, Thread):
        community, ids = post.community, {"thread_id": post.pk}
    else:
        community, ids = post.thread.community, {"thread_id": post.thread_id, "reply_id": post.pk}
    audit_record(community=community, actor=by, action=action, subject=post.author, **ids)


def _require_body(body: str) -> None:
    if not body.strip():
        raise ValidationError(_("Write some text."))


@transaction.atomic
def thread_create(
    *,
    community: Community,
    author: User,
    kind: str,
    title: str,
    body: str,
    tags: Sequence[str] = (),
    files: Sequence[UploadedFile] = (),
) -> Thread:
    """Start a thread. The body is stored as typed and as sanitised HTML.

    Raises PermissionDenied when the author may not start this kind of thread, and
    ValidationError (with a message for the form) when moderation holds them back."""
    moderation.ensure_may_post(user=author, community=community)
    if not can_start_thread(author, community, kind):
        raise PermissionDenied
    _require_body(body)
    now = timezone.now()
    thread = Thread.objects.create(
        community=community,
        author=author,
        kind=kind,
        title=title.strip(),
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        last_activity_at=now,
    )
    if tags:
        thread.tags.set(list(tags))
    _attachments_add(post=thread, files=files, by=author)
    search_index.thread_index(thread)
    notifications.notify_thread_created(thread)
    return thread


@transaction.atomic
def thread_edit(*, thread: Thread, by: User, title: str, body: str, tags: Sequence[str]) -> Thread:
    """Change a thread's title, text and tags, keeping the previous version as a
    Revision. The row is locked so two edits cannot both record the same old version."""
    if not can_edit_post(by, thread):
        raise PermissionDenied
    _require_body(body)
    locked = Thread.objects.select_for_update().get(pk=thread.pk)
    previous_title, previous_body = locked.title, locked.body
    changed = previous_title != title.strip() or previous_body != body
    if changed:
        Revision.objects.create(
            thread=locked, title=previous_title, body=previous_body, edited_by=by
        )
        thread.title = title.strip()
        thread.body = body
        thread.body_html = render_markdown(body)
        thread.edited_at = timezone.now()
        thread.save(update_fields=["title", "body", "body_html", "edited_at"])
    thread.tags.set(list(tags))
    search_index.thread_index(thread)
    if changed:
        notifications.notify_mentions_edited(post=thread, previous_body=previous_body)
    return thread


@transaction.atomic
def thread_delete(*, thread: Thread, by: User) -> None:
    """Soft delete: the thread disappears for everyone but moderators, who can restore it."""
    if not can_delete_post(by, thread):
        raise PermissionDenied
    if thread.deleted_at is None:
        thread.deleted_at = timezone.now()
        thread.deleted_by = by
        thread.save(update_fields=["deleted_at", "deleted_by"])
        _audit_moderation(thread, by, AuditEvent.Action.POST_DELETED)


@transaction.atomic
def thread_restore(*, thread: Thread, by: User) -> None:
    if not can_moderate(by, thread.community):
        raise PermissionDenied
    if thread.deleted_at is not None:
        thread.deleted_at = None
        thread.deleted_by = None
        thread.save(update_fields=["deleted_at", "deleted_by"])
        _audit_moderation(thread, by, AuditEvent.Action.POST_RESTORED)


@transaction.atomic
def reply_create(
    *,
    thread: Thread,
    author: User,
    body: str,
    parent: Reply | None = None,
    files: Sequence[UploadedFile] = (),
) -> Reply:
    """Reply to a thread, or to a reply in it."""
    moderation.ensure_may_post(user=author, community=thread.community)
    if not can_reply(author, thread):
        raise PermissionDenied
    if parent is not None and parent.thread_id != thread.pk:
        raise ValueError("The parent reply belongs to another thread.")
    _require_body(body)
    now = timezone.now()
    reply = Reply.objects.create(
        thread=thread,
        parent=parent,
        author=author,
        body=body,
        body_html=render_markdown(body),
        created_at=now,
    )
    Thread.objects.filter(pk=thread.pk).update(
        reply_count=F("reply_count") + 1, last_activity_at=now
    )
    _attachments_add(post=reply, files=files, by=author)
    search_index.reply_index(reply)
    notifications.notify_reply_created(reply)
    return reply


@transaction.atomic
def reply_edit(*, reply: Reply, by: User, body: str) -> Reply:
    """Change a reply's text, keeping the previous version as a Revision."""
    if not can_edit_post(by, reply):
        raise PermissionDenied
    _require_body(body)
    locked = Reply.objects.select_for_update().get(pk=reply.pk)
    previous_body = locked.body
    if previous_body == body:
        return reply
    Revision.objects.create(reply=locked, body=previous_body, edited_by=by)
    reply.body = body
    reply.body_html = render_markdown(body)
    reply.edited_at = timezone.now()
    reply.save(update_fields=["body", "body_html", "edited_at"])
    search_index.reply_index(reply)
    notifications.notify_mentions_edited(post=reply, previous_body=previous_body)
    return reply


@transaction.atomic
def reply_delete(*, reply: Reply, by: User) -> None:
    """Soft delete. Replies to it stay, under a "this reply was deleted" placeholder; a
    deleted reply stops being the accepted answer."""
    if not can_delete_post(by, reply):
        raise PermissionDenied
    if reply.deleted_at is not None:
        return
    reply.deleted_at = timezone.now()
    reply.deleted_by = by
    reply.save(update_fields=["deleted_at", "deleted_by"])
    Thread.objects.filter(pk=reply.thread_id).update(reply_count=Greatest(F("reply_count") - 1, 0))
    Thread.objects.filter(pk=reply.thread_id, accepted_reply=reply).update(accepted_reply=None)
    _audit_moderation(reply, by, AuditEvent.Action.POST_DELETED)


@transaction.atomic
def reply_restore(*, reply: Reply, by: User) -> None:
    if not can_moderate(by, reply.thread.community):
        raise PermissionDenied
    if reply.deleted_at is None:
        return
    reply.deleted_at = None
    reply.deleted_by = None
    reply.save(update_fields=["deleted_at", "deleted_by"])
    Thread.objects.filter(pk=reply.thread_id).update(reply_count=F("reply_count") + 1)
    _audit_moderation(reply, by, AuditEvent.Action.POST_RESTORED)


@transaction.atomic
def answer_accept(*, thread: Thread, reply: Reply, by: User) -> None:
    """Mark the reply that answered the question; replaces an earlier choice."""
    if not can_accept_answer(by, thread):
        raise PermissionDenied
    if reply.thread_id != thread.pk or reply.is_deleted:
        raise ValueError("Only a reply in this thread can be its answer.")
    if thread.accepted_reply_id == reply.pk:
        return
    thread.accepted_reply = reply
    thread.save(update_fields=["accepted_reply"])
    notifications.notify_answer_accepted(thread=thread, reply=reply, by=by)


@transaction.atomic
def answer_unaccept(*, thread: Thread, by: User) -> None:
    if not can_accept_answer(by, thread):
        raise PermissionDenied
    if thread.accepted_reply_id is not None:
        thread.accepted_reply = None
        thread.save(update_fields=["accepted_reply"])
