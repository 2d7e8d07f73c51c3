"""Reads on notifications and on who may be mentioned, built on the permission querysets.

A notification is shown only while its thread (and reply) is still visible to its
recipient (`discussions.permissions.notifications_visible_to`, re-exported here).
"""

from django.core.cache import cache
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.shortcuts import get_object_or_404

from communities.models import Community
from communities.permissions import Role, community_recipients
from discussions.mentions import MAX_NAME_LENGTH, mention_name_expression
from discussions.models import Notification, Thread
from discussions.permissions import (
    notifications_visible_to as notifications_visible_to,
)
from discussions.permissions import thread_recipients
from members.models import User

MENTION_SUGGESTIONS = 8


def notification_list_for_user(user: User) -> QuerySet[Notification]:
    """Newest first, with everything the list shows in the same query."""
    return (
        notifications_visible_to(user)
        .select_related("actor", "thread__community", "reply")
        .order_by("-created_at", "-pk")
    )


# The header shows the count on every page; counting through the visibility rules costs
# more than the rest of a thread page, so it is cached briefly. Recording or reading
# notifications forgets it at once (services.notifications); a visibility change (say,
# a removal from a community) shows in the number within UNREAD_COUNT_TTL seconds.
UNREAD_COUNT_TTL = 60


def unread_count_cache_key(user_id: int) -> str:
    return f"discussions:unread:{user_id}"


def notification_unread_count(user: User) -> int:
    """The number of unread notifications the user may still read: one cache read, and
    one query when it is not cached."""
    key = unread_count_cache_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = notifications_visible_to(user).filter(read_at__isnull=True).count()
        cache.set(key, count, UNREAD_COUNT_TTL)
    return int(count)


def get_notification_for_user_or_404(user: User, notification_id: int) -> Notification:
    # One 404 for missing, someone else's and no-longer-readable notifications.
    return get_object_or_404(
        notifications_visible_to(user).select_related("thread", "reply"), pk=notification_id
    )


def mentionable_in_community(community: Community) -> QuerySet[User]:
    """Who may be mentioned in a new thread: the community's active members (sponsors
    only see the home, so they are not mentioned into discussions)."""
    # One membership per person and community: the join adds no duplicates.
    return community_recipients(community, Role.MEMBER)


def mentionable_in_thread(thread: Thread) -> QuerySet[User]:
    """Who may be mentioned in a thread: members of its community who may read it now.

    Narrower than `thread_recipients` on purpose: in a community open to every
    signed-in user that would be everyone on the site, and suggesting their names
    would turn the autocomplete into a site-wide people directory.
    """
    members = community_recipients(thread.community, Role.MEMBER).values("pk")
    return thread_recipients(thread).filter(pk__in=members)


def mention_suggestions(candidates: QuerySet[User], query: str) -> list[User]:
    """Up to MENTION_SUGGESTIONS candidates whose name contains the query, names that
    start with it first. Nothing for an empty query."""
    query = " ".join(query.split())[:MAX_NAME_LENGTH]
    if not query:
        return []
    starts_first = Case(
        When(mention_name__istartswith=query, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(
        candidates.annotate(mention_name=mention_name_expression())
        .filter(mention_name__icontains=query)
        .annotate(starts=starts_first)
        .order_by("starts", "mention_name", "pk")[:MENTION_SUGGESTIONS]
    )
