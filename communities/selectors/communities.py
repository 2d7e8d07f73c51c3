"""Reads on communities, always built on the permission querysets."""

from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.module_loading import import_string

from communities.models import AuditEvent, Community, Membership, StageChange
from communities.permissions import communities_visible_to
from members.models import User
from members.types import Viewer

_ACTIVE = Q(memberships__state=Membership.State.ACTIVE)


def _with_member_counts(queryset: QuerySet[Community]) -> QuerySet[Community]:
    # A count per community shown rather than a join over every membership: the
    # paginator's count and the page then read only the communities (on the large
    # benchmark set the join cost 20 ms a directory page).
    active = (
        Membership.objects.filter(community=OuterRef("pk"), state=Membership.State.ACTIVE)
        .order_by()
        .values("community")
        .annotate(n=Count("community"))
        .values("n")
    )
    return queryset.annotate(active_members=Coalesce(Subquery(active), 0))


def community_list_for_member(user: User) -> QuerySet[Community]:
    """The communities the user is an active member of, with their member counts."""
    mine = Membership.objects.filter(user=user, state=Membership.State.ACTIVE)
    return _with_member_counts(
        communities_visible_to(user).filter(pk__in=mine.values("community_id"))
    ).order_by("name")


def community_directory(
    user: Viewer, *, query: str = "", language: str = "", stage: str = "", policy: str = ""
) -> QuerySet[Community]:
    """The directory: communities the viewer may know of, filtered and searched by name
    and focus, with member counts."""
    communities = communities_visible_to(user)
    if query:
        communities = communities.filter(Q(name__icontains=query) | Q(focus__icontains=query))
    if language:
        communities = communities.filter(language=language)
    if stage:
        communities = communities.filter(stage=stage)
    if policy:
        communities = communities.filter(join_policy=policy)
    return _with_member_counts(communities).order_by("name", "pk")


def community_facilitators(community: Community) -> QuerySet[User]:
    return User.objects.filter(
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role=Membership.Role.FACILITATOR,
    ).order_by("display_name", "pk")


def community_detail_context(community: Community) -> dict[str, object]:
    """What the community home shows besides the community itself."""
    return {
        "facilitators": list(community_facilitators(community)),
        "member_count": community.memberships.filter(state=Membership.State.ACTIVE).count(),
    }


def community_home_extras(user: Viewer, community: Community) -> dict[str, object]:
    """Context from higher apps for the community home (settings.COMMUNITY_HOME_CONTEXT
    names their functions, so this app never imports them)."""
    extras: dict[str, object] = {}
    for name in settings.COMMUNITY_HOME_CONTEXT:
        extras |= import_string(name)(user, community)
    return extras


def membership_for(user: Viewer, community: Community) -> Membership | None:
    """The user's membership row in any state (invited, requested, left...), or None."""
    if not user.is_authenticated:
        return None
    membership = Membership.objects.filter(community=community, user=user).first()
    if membership is not None:
        membership.community = community  # already loaded: no query for it later
    return membership


def pending_requests(community: Community) -> QuerySet[Membership]:
    """Join requests waiting for a facilitator, oldest first. Callers check the viewer
    may manage the community."""
    return (
        Membership.objects.filter(community=community, state=Membership.State.REQUESTED)
        .select_related("user__organization")
        .order_by("updated_at", "pk")
    )


def audit_events(community: Community, limit: int = 200) -> QuerySet[AuditEvent]:
    """The latest audit rows. Callers check the viewer may manage the community."""
    return (
        AuditEvent.objects.filter(community=community)
        .select_related("actor", "subject")
        .order_by("-created_at", "-pk")[:limit]
    )


def stage_history(community: Community) -> QuerySet[StageChange]:
    return community.stage_changes.select_related("changed_by").order_by("-changed_at", "-pk")
