"""Reads on communities, always built on the permission querysets."""

from django.db.models import Count, Q, QuerySet

from communities.models import Community, Membership
from communities.permissions import communities_visible_to
from members.models import User


def community_list_for_member(user: User) -> QuerySet[Community]:
    """The communities the user is an active member of, with their member counts."""
    return (
        communities_visible_to(user)
        .filter(
            pk__in=Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
                "community_id"
            )
        )
        .annotate(
            active_members=Count(
                "memberships",
                filter=Q(memberships__state=Membership.State.ACTIVE),
                distinct=True,
            )
        )
        .order_by("name")
    )


def community_facilitators(community: Community) -> QuerySet[User]:
    return User.objects.filter(
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role=Membership.Role.FACILITATOR,
    ).order_by("display_name")


def community_detail_context(community: Community) -> dict[str, object]:
    """What the community home shows besides the community itself."""
    return {
        "facilitators": list(community_facilitators(community)),
        "member_count": community.memberships.filter(state=Membership.State.ACTIVE).count(),
    }


def membership_for(user: User, community: Community) -> Membership | None:
    """The user's membership row in any state (invited, requested, left...), or None."""
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(community=community, user=user).first()
