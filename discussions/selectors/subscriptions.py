"""Subscription levels: how closely someone follows a thread.

The effective level for a thread is its own setting, else the community's setting,
else watch for the thread's author and normal for everyone else.
"""

from django.db.models import Case, CharField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from communities.models import Community
from discussions.models import Subscription, Thread
from members.models import User
from members.types import Viewer

Level = Subscription.Level


def _effective(thread_level: str | None, community_level: str | None, is_author: bool) -> str:
    if thread_level:
        return thread_level
    if community_level:
        return community_level
    return Level.WATCH if is_author else Level.NORMAL


def viewer_level_annotations(user: User) -> dict[str, Subquery]:
    """Subqueries that fetch the viewer's own thread and community settings together
    with the thread (see `subscription_level`): no query of their own on the page."""
    return {
        "viewer_thread_level": Subquery(
            Subscription.objects.filter(user=user, thread=OuterRef("pk")).values("level")[:1]
        ),
        "viewer_community_level": Subquery(
            Subscription.objects.filter(user=user, community=OuterRef("community_id")).values(
                "level"
            )[:1]
        ),
    }


def subscription_level(user: Viewer, thread: Thread) -> str:
    """The user's effective level for the thread: its own setting, else the community's,
    else watch for the author and normal for everyone else. No query when the thread was
    fetched with `viewer_level_annotations`, else one."""
    if not user.is_authenticated:
        return Level.NORMAL
    if hasattr(thread, "viewer_thread_level"):
        return _effective(
            thread.viewer_thread_level,
            getattr(thread, "viewer_community_level", None),
            thread.author_id == user.pk,
        )
    levels = dict(
        Subscription.objects.filter(user=user)
        .filter(Q(thread=thread) | Q(community_id=thread.community_id))
        .values_list("thread_id", "level")
    )
    community_level = next((lvl for tid, lvl in levels.items() if tid is None), None)
    return _effective(levels.get(thread.pk), community_level, thread.author_id == user.pk)


def community_subscription_level(user: Viewer, community: Community) -> str:
    """The user's own setting for the whole community (normal when none). One query."""
    if not user.is_authenticated:
        return Level.NORMAL
    level = (
        Subscription.objects.filter(user=user, community=community)
        .values_list("level", flat=True)
        .first()
    )
    return level or Level.NORMAL


def with_subscription_level(users: QuerySet[User], thread: Thread) -> QuerySet[User]:
    """`users` annotated with `subscription_level`, their effective level for the thread,
    computed in the same query (for recording notifications to many people at once)."""
    thread_level = Subscription.objects.filter(user=OuterRef("pk"), thread=thread).values("level")
    community_level = Subscription.objects.filter(
        user=OuterRef("pk"), community_id=thread.community_id
    ).values("level")
    default = Case(
        When(pk=thread.author_id, then=Value(Level.WATCH.value)),
        default=Value(Level.NORMAL.value),
        output_field=CharField(),
    )
    return users.annotate(
        subscription_level=Coalesce(
            Subquery(thread_level[:1]), Subquery(community_level[:1]), default
        )
    )


def watcher_candidates(thread: Thread) -> Q:
    """Who might watch the thread (filter on users): a narrow first cut, so the levels
    are computed for watchers only and not for everyone who may read it."""
    watching = Subscription.objects.filter(
        Q(thread=thread) | Q(community_id=thread.community_id), level=Level.WATCH
    ).values("user_id")
    return Q(pk__in=watching) | Q(pk=thread.author_id)
