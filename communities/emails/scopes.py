"""The communities a person sets email preferences for: where they are an active member."""

from communities.models import Membership
from members.models import User


def preference_scopes(user: User) -> list[tuple[int, str, bool]]:
    return [
        (community_id, name, role >= Membership.Role.FACILITATOR)
        for community_id, name, role in Membership.objects.filter(
            user=user, state=Membership.State.ACTIVE, role__gte=Membership.Role.MEMBER
        )
        .order_by("community__name")
        .values_list("community_id", "community__name", "role")
    ]
