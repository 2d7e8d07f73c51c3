"""Receivers (docs/signals.md): the discussions app's part of an erasure."""

from typing import Any

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from communities.models import Community
from discussions.models import Attachment, Reply, Revision, Thread
from members.models import User


def _files_delete(files: list[tuple[Storage, str]]) -> None:
    for storage, name in files:
        storage.delete(name)


def erase_member(sender: object, *, user: User, remove_posts: bool = False, **kwargs: Any) -> None:
    """On `members.signals.member_erased`: when the member asked for it, their threads
    and replies in the communities that allow it (`Community.erasure_removes_posts`)
    are removed: deleted for everyone, their text, earlier versions and files gone.
    Elsewhere, and by default, posts stay and show "former member" once the account
    row is deleted (the author is set to null)."""
    if not remove_posts:
        return
    allowing = Community.objects.filter(erasure_removes_posts=True)
    threads = Thread.objects.filter(author=user, community__in=allowing)
    replies = Reply.objects.filter(author=user, community__in=allowing)
    now = timezone.now()
    # Replies still counted on their thread stop counting, and stop being its answer.
    for thread_id in replies.filter(deleted_at__isnull=True).values_list("thread_id", flat=True):
        Thread.objects.filter(pk=thread_id).update(reply_count=Greatest(F("reply_count") - 1, 0))
    Thread.objects.filter(accepted_reply__in=replies).update(accepted_reply=None)
    attachments = Attachment.objects.filter(Q(thread__in=threads) | Q(reply__in=replies))
    files = [(a.file.storage, a.file.name) for a in attachments if a.file.name]
    attachments.delete()
    Revision.objects.filter(Q(thread__in=threads) | Q(reply__in=replies)).delete()
    removed = {"body": "", "body_html": "", "search_vector": None}
    threads.update(title="", deleted_at=Coalesce("deleted_at", now), **removed)
    replies.update(deleted_at=Coalesce("deleted_at", now), **removed)
    transaction.on_commit(lambda: _files_delete(files))
