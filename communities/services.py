"""Writes on communities and memberships. Each re-checks who may do it."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from communities.models import Community, Membership
from communities.permissions import Role, role_cache_clear, role_in
from members.models import User


@transaction.atomic
def community_create(
    *,
    creator: User,
    name: str,
    slug: str,
    focus: str,
    urgency: str,
    member_value: str,
    charter: str = "",
    language: str = Community.Language.NL,
    join_policy: str = Community.JoinPolicy.OPEN,
    visibility: str = Community.Visibility.MEMBERS,
    is_listed: bool = True,
    is_confidential: bool = False,
    stage: str = Community.Stage.POTENTIAL,
    facilitator: User | None = None,
) -> Community:
    """Create a community with its first facilitator: the creator, unless a site admin
    creates it for someone else.

    Only site admins may create communities for now.
    """
    if not creator.is_staff:
        raise PermissionDenied
    community = Community.objects.create(
        name=name,
        slug=slug,
        focus=focus,
        urgency=urgency,
        member_value=member_value,
        charter=charter,
        language=language,
        join_policy=join_policy,
        visibility=Community.Visibility.MEMBERS if is_confidential else visibility,
        is_listed=is_listed,
        is_confidential=is_confidential,
        stage=stage,
    )
    _membership_activate(
        community=community, user=facilitator or creator, role=Membership.Role.FACILITATOR
    )
    return community


def _membership_activate(*, community: Community, user: User, role: int) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        community=community,
        user=user,
        defaults={
            "role": role,
            "state": Membership.State.ACTIVE,
            "charter_version_accepted": community.charter_version,
            "charter_accepted_at": timezone.now(),
        },
    )
    role_cache_clear(user)
    return membership


@transaction.atomic
def membership_grant(
    *, community: Community, user: User, role: int, granted_by: User
) -> Membership:
    """Make someone an active member with a role (facilitators and site admins).

    Idempotent: granting the same role again changes nothing but the role.
    """
    if not (granted_by.is_staff or role_in(granted_by, community) >= Role.FACILITATOR):
        raise PermissionDenied
    return _membership_activate(community=community, user=user, role=role)
