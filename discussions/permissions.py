"""Who may see and do what with threads and replies, on top of communities.permissions."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from communities.models import Community
from communities.permissions import Role, communities_readable_by, role_in
from discussions.models import Reply, Thread
from members.types import Viewer


def threads_visible_to(user: Viewer) -> QuerySet[Thread]:
    return Thread.objects.filter(community__in=communities_readable_by(user))


def replies_visible_to(user: Viewer) -> QuerySet[Reply]:
    return Reply.objects.filter(thread__community__in=communities_readable_by(user))


def get_thread_for_user_or_404(user: Viewer, thread_id: int) -> Thread:
    # One 404 for missing and forbidden: ids must not reveal existence.
    return get_object_or_404(
        threads_visible_to(user).select_related("community", "author"), pk=thread_id
    )


def can_start_thread(user: Viewer, community: Community, kind: str = Thread.Kind.QUESTION) -> bool:
    role = role_in(user, community)
    if kind == Thread.Kind.ANNOUNCEMENT:
        return role >= Role.FACILITATOR
    return role >= Role.MEMBER


def can_reply(user: Viewer, thread: Thread) -> bool:
    return role_in(user, thread.community) >= Role.MEMBER
