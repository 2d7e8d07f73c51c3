"""Records notification events once and hands them to a task on commit.

The post services call the `notify_*` hooks inside their own transaction. Each hook:

- does nothing for a hidden or deleted post;
- picks recipients only among `thread_recipients(thread)` (who may read the thread now),
  never the actor, never anyone whose effective level for the thread is mute;
- gives each recipient one notification per event, the most specific kind
  (reply to you > mention > new thread / reply in a watched thread);
- writes them with one bulk insert under the `notification_once` constraint
  (`ignore_conflicts`), so a hook that runs twice records nothing new;
- records the outbox messages that email them (discussions.emails.activity), and
  enqueues `discussions.deliver_notifications` on commit.

Its query count does not depend on how many people watch: mention resolution (only
when the text has an @), recipients with their levels, the insert, and the ids.

Delivery re-checks everything at run time (see `notifications_deliver`).
"""

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from discussions.emails.activity import activity_enqueue
from discussions.emails.moderation import first_question_enqueue
from discussions.mentions import resolve_mentions
from discussions.models import Notification, Reply, Thread
from discussions.permissions import thread_recipients
from discussions.selectors.notifications import mentionable_in_thread, unread_count_cache_key
from discussions.selectors.subscriptions import watcher_candidates, with_subscription_level
from members.models import User
from members.queue import enqueue_on_commit

logger = logging.getLogger(__name__)
Kind = Notification.Kind
WATCH = "watch"
MUTE = "mute"


def _gone(post: Thread | Reply) -> bool:
    return post.is_hidden or post.deleted_at is not None


def _levels(
    thread: Thread, *, explicit: Iterable[int], watchers: bool, actor_id: int | None
) -> dict[int, str]:
    """Effective levels of the people who may read the thread and are either named
    (`explicit`) or, with `watchers`, might be watching it. One query."""
    cut = Q(pk__in=set(explicit))
    if watchers:
        cut |= watcher_candidates(thread)
    users = thread_recipients(thread).filter(cut)
    if actor_id is not None:
        users = users.exclude(pk=actor_id)
    levels = with_subscription_level(users, thread)
    # django-stubs cannot see the annotation through the selector's return type.
    return dict(levels.values_list("pk", "subscription_level"))  # type: ignore[misc]


def _record(
    *, thread: Thread, reply: Reply | None, actor_id: int | None, kinds: dict[int, str]
) -> list[int]:
    """Insert one row per (recipient, kind) unless it exists; enqueue delivery on commit."""
    if not kinds:
        return []
    now = timezone.now()
    _forget_unread_counts(list(kinds))
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                actor_id=actor_id,
                thread=thread,
                reply=reply,
                created_at=now,
            )
            for recipient_id, kind in kinds.items()
        ],
        ignore_conflicts=True,
    )
    # ignore_conflicts leaves the primary keys unset: read them back (rows recorded by
    # an earlier run of the same hook come too; delivery is idempotent).
    notification_ids = list(
        Notification.objects.filter(
            thread=thread,
            reply=reply,
            recipient_id__in=kinds.keys(),
            kind__in=set(kinds.values()),
        ).values_list("pk", flat=True)
    )
    activity_enqueue(thread=thread, kinds=kinds)
    enqueue_on_commit("discussions.deliver_notifications", notification_ids=notification_ids)
    return notification_ids


@transaction.atomic(savepoint=False)
def notify_thread_created(thread: Thread) -> None:
    """New thread: tell those who watch the community; mentions in the body."""
    if _gone(thread):
        return
    mentioned = resolve_mentions(thread.body, mentionable_in_thread(thread))
    levels = _levels(thread, explicit=mentioned, watchers=True, actor_id=thread.author_id)
    kinds: dict[int, str] = {}
    for user_id, level in levels.items():
        if level == MUTE:
            continue
        if user_id in mentioned:
            kinds[user_id] = Kind.MENTION
        elif level == WATCH:
            kinds[user_id] = Kind.NEW_THREAD
    _record(thread=thread, reply=None, actor_id=thread.author_id, kinds=kinds)
    first_question_enqueue(thread)


@transaction.atomic(savepoint=False)
def notify_reply_created(reply: Reply) -> None:
    """New reply: tell the parent's author (the thread's author for a top-level reply),
    watchers of the thread; mentions in the body."""
    thread = reply.thread
    if _gone(reply) or _gone(thread):
        return
    parent = reply.parent  # loaded with the reply by reply_create; no query then
    parent_author_id = parent.author_id if parent is not None else thread.author_id
    mentioned = resolve_mentions(reply.body, mentionable_in_thread(thread))
    named = mentioned | ({parent_author_id} if parent_author_id else set())
    levels = _levels(thread, explicit=named, watchers=True, actor_id=reply.author_id)
    kinds: dict[int, str] = {}
    for user_id, level in levels.items():
        if level == MUTE:
            continue
        if user_id == parent_author_id:
            kinds[user_id] = Kind.REPLY
        elif user_id in mentioned:
            kinds[user_id] = Kind.MENTION
        elif level == WATCH:
            kinds[user_id] = Kind.WATCHED_REPLY
    _record(thread=thread, reply=reply, actor_id=reply.author_id, kinds=kinds)


@transaction.atomic(savepoint=False)
def notify_answer_accepted(*, thread: Thread, reply: Reply, by: User) -> None:
    """Accepted answer: tell the reply's author (not when they accepted it themselves)."""
    author_id = reply.author_id
    if author_id is None or author_id == by.pk or _gone(thread) or _gone(reply):
        return
    levels = _levels(thread, explicit=[author_id], watchers=False, actor_id=by.pk)
    if levels.get(author_id, MUTE) == MUTE:
        return
    _record(thread=thread, reply=reply, actor_id=by.pk, kinds={author_id: Kind.ACCEPTED})


@transaction.atomic(savepoint=False)
def notify_mentions_edited(*, post: Thread | Reply, previous_body: str) -> None:
    """An edit that adds mentions notifies only the newly mentioned (call it after the
    post's new body is saved)."""
    thread = post if isinstance(post, Thread) else post.thread
    reply = None if isinstance(post, Thread) else post
    if _gone(thread) or (reply is not None and _gone(reply)):
        return
    candidates = mentionable_in_thread(thread)
    mentioned = resolve_mentions(post.body, candidates)
    if mentioned:
        mentioned -= resolve_mentions(previous_body, candidates)
    if not mentioned:
        return
    levels = _levels(thread, explicit=mentioned, watchers=False, actor_id=post.author_id)
    kinds: dict[int, str] = {
        user_id: Kind.MENTION for user_id, level in levels.items() if level != MUTE
    }
    _record(thread=thread, reply=reply, actor_id=post.author_id, kinds=kinds)


def _prune_unreadable(notification_ids: list[int]) -> list[int]:
    """Delete the notifications whose recipient may no longer read the thread, or whose
    post was hidden or deleted since; return the ids that remain.

    `thread_recipients` answers "may read it now" for all recipients of a thread in one
    query; with hidden and deleted posts dropped outright, that is what
    `threads_visible_to` would say for each of them.
    """
    notifications = list(
        Notification.objects.filter(pk__in=notification_ids).select_related(
            "thread__community", "reply"
        )
    )
    by_thread: dict[int, list[Notification]] = {}
    for notification in notifications:
        by_thread.setdefault(notification.thread_id, []).append(notification)
    keep: list[int] = []
    drop: list[int] = []
    for group in by_thread.values():
        thread = group[0].thread
        readers: set[int] = set()
        if not _gone(thread):
            readers = set(
                thread_recipients(thread)
                .filter(pk__in=[n.recipient_id for n in group])
                .values_list("pk", flat=True)
            )
        for notification in group:
            post_gone = notification.reply is not None and _gone(notification.reply)
            if notification.recipient_id in readers and not post_gone:
                keep.append(notification.pk)
            else:
                drop.append(notification.pk)
    if drop:
        Notification.objects.filter(pk__in=drop).delete()
    return keep


def notifications_deliver(*, notification_ids: list[int]) -> int:
    """Drop the recorded notifications the recipient may no longer read (checked now,
    not when the event happened: a post hidden or deleted since, a membership ended);
    idempotent. Returns how many remain. Email delivery is not part of this service."""
    return len(_prune_unreadable(notification_ids))


def _forget_unread_counts(user_ids: list[int]) -> None:
    keys = [unread_count_cache_key(uid) for uid in user_ids]
    transaction.on_commit(lambda: cache.delete_many(keys))


@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> None:
    """Mark one of the user's own notifications read (again: no change)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
        _forget_unread_counts([user.pk])


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Mark all the user's unread notifications read; returns how many changed."""
    _forget_unread_counts([user.pk])
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notifications_mark_thread_read(*, user: User, thread: Thread) -> None:
    """Opening a thread reads its notifications. No query while the (cached) unread
    count is zero, one UPDATE otherwise."""
    from discussions.selectors.notifications import notification_unread_count

    if notification_unread_count(user) == 0:
        return
    changed = Notification.objects.filter(
        recipient=user, thread=thread, read_at__isnull=True
    ).update(read_at=timezone.now())
    if changed:
        cache.delete(unread_count_cache_key(user.pk))
