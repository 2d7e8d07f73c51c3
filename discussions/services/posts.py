"""Writes on threads and replies."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from communities.models import Community
from discussions.markdown import render_markdown
from discussions.models import Reply, Thread
from discussions.permissions import can_reply, can_start_thread
from members.models import User


@transaction.atomic
def thread_create(
    *, community: Community, author: User, kind: str, title: str, body: str
) -> Thread:
    """Start a thread. The body is stored as typed and as sanitised HTML."""
    if not can_start_thread(author, community, kind):
        raise PermissionDenied
    now = timezone.now()
    return Thread.objects.create(
        community=community,
        author=author,
        kind=kind,
        title=title.strip(),
        body=body,
        body_html=render_markdown(body),
        created_at=now,
        last_activity_at=now,
    )


@transaction.atomic
def reply_create(*, thread: Thread, author: User, body: str, parent: Reply | None = None) -> Reply:
    """Reply to a thread, or to a reply in it."""
    if not can_reply(author, thread):
        raise PermissionDenied
    if parent is not None and parent.thread_id != thread.pk:
        raise ValueError("The parent reply belongs to another thread.")
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
    return reply
