"""Reads on threads and replies, always built on the permission querysets."""

from django.db.models import QuerySet

from communities.models import Community
from discussions.models import Reply, Thread
from discussions.permissions import replies_visible_to, threads_visible_to
from members.types import Viewer


def thread_list_for_community(user: Viewer, community: Community) -> QuerySet[Thread]:
    return (
        threads_visible_to(user)
        .filter(community=community)
        .select_related("author")
        .order_by("-last_activity_at", "-pk")
    )


def thread_list_recent(user: Viewer, limit: int = 10) -> QuerySet[Thread]:
    """The latest activity across every community the user may read."""
    return (
        threads_visible_to(user)
        .select_related("author", "community")
        .order_by("-last_activity_at", "-pk")[:limit]
    )


def reply_list_for_thread(user: Viewer, thread: Thread) -> QuerySet[Reply]:
    """Every reply of the thread in one query, in the order they were written."""
    return (
        replies_visible_to(user)
        .filter(thread=thread)
        .select_related("author")
        .order_by("created_at", "pk")
    )
