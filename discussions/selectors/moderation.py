"""Reads for moderation: the flag queue, running mutes, who can be muted, where a
thread can move to. Built on the permission querysets; the views check can_moderate."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from communities.models import Community, Membership
from communities.permissions import communities_visible_to
from discussions.models import CommunityMute, Flag, Thread
from discussions.permissions import replies_visible_to, threads_visible_to
from members.models import User
from members.types import Viewer


def _flags_on_posts_visible_to(user: Viewer) -> QuerySet[Flag]:
    # Moderators see every post of their communities, hidden and deleted ones too.
    return Flag.objects.filter(
        Q(thread__in=threads_visible_to(user)) | Q(reply__in=replies_visible_to(user))
    )


def flag_get(user: Viewer, community: Community, flag_id: int) -> Flag | None:
    """A flag (open or resolved) in the community on a post the user may see."""
    return (
        _flags_on_posts_visible_to(user)
        .filter(community=community, pk=flag_id)
        .select_related("community")
        .first()
    )


def flag_queue(user: Viewer, community: Community | None = None) -> QuerySet[Flag]:
    """Open flags on posts the user may see, oldest first, with what the queue shows."""
    flags = _flags_on_posts_visible_to(user).filter(resolved_at__isnull=True)
    if community is not None:
        flags = flags.filter(community=community)
    return flags.select_related(
        "community", "reporter", "thread__author", "reply__author", "reply__thread"
    ).order_by("created_at", "pk")


def mute_list_for_community(community: Community) -> QuerySet[CommunityMute]:
    """Running mutes, the soonest to end first."""
    return (
        CommunityMute.objects.filter(community=community, until__gt=timezone.now())
        .select_related("user", "muted_by")
        .order_by("until", "pk")
    )


def mute_get_active(community: Community, user: User) -> CommunityMute | None:
    return mute_list_for_community(community).filter(user=user).order_by("-until").first()


def member_get_for_moderation(community: Community, user_id: int) -> User | None:
    """An active member (any role) of the community, or None."""
    return User.objects.filter(
        pk=user_id,
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
    ).first()


def thread_move_targets(user: User, thread: Thread) -> QuerySet[Community]:
    """Communities the user moderates, other than the thread's own; none for a thread in
    a confidential community, which never leaves it (discussions.services.thread_move)."""
    if thread.community.is_confidential:
        return Community.objects.none()
    communities = communities_visible_to(user).exclude(pk=thread.community_id)
    if user.is_staff:
        return communities.order_by("name")
    moderated = Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__gte=Membership.Role.FACILITATOR
    ).values("community_id")
    return communities.filter(pk__in=moderated).order_by("name")
