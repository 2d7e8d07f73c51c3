"""Who may see and do what in a community: the one place that decides.

Everything that lists, searches, feeds or mails community content starts from
`communities_visible_to` / `communities_readable_by`. 404 for what the viewer may not
know exists; 403 for what they know of but may not do.
"""

from enum import IntEnum

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from communities.models import Community, Membership
from members.models import User
from members.types import Viewer

_ROLE_CACHE_ATTR = "_community_roles"


class Role(IntEnum):
    """A viewer's standing in one community, ordered by what it allows."""

    NONE = 0
    SPONSOR = Membership.Role.SPONSOR.value
    MEMBER = Membership.Role.MEMBER.value
    CORE = Membership.Role.CORE.value
    FACILITATOR = Membership.Role.FACILITATOR.value


def role_in(user: Viewer, community: Community) -> Role:
    """The user's active role in the community, computed once per user object
    (and so once per request, as each request has its own user object)."""
    if not user.is_authenticated:
        return Role.NONE
    cache: dict[int, Role] | None = getattr(user, _ROLE_CACHE_ATTR, None)
    if cache is None:
        cache = {
            community_id: Role(role)
            for community_id, role in Membership.objects.filter(
                user=user, state=Membership.State.ACTIVE
            ).values_list("community_id", "role")
        }
        setattr(user, _ROLE_CACHE_ATTR, cache)
    return cache.get(community.pk, Role.NONE)


def role_cache_clear(user: User) -> None:
    """Forget cached roles after a membership of this user object changed."""
    user.__dict__.pop(_ROLE_CACHE_ATTR, None)


def _active_member_of(user: User, min_role: Membership.Role | None = None) -> Q:
    memberships = Membership.objects.filter(user=user, state=Membership.State.ACTIVE)
    if min_role is not None:
        memberships = memberships.filter(role__gte=min_role)
    return Q(pk__in=memberships.values("community_id"))


def communities_visible_to(user: Viewer) -> QuerySet[Community]:
    """Communities whose existence the user may know of: listed ones, and any they are
    in, invited to or have asked to join. Site admins see all."""
    if not user.is_authenticated:
        return Community.objects.none()
    if user.is_staff:
        return Community.objects.all()
    involved = Membership.objects.filter(
        user=user,
        state__in=[Membership.State.ACTIVE, Membership.State.INVITED, Membership.State.REQUESTED],
    ).values("community_id")
    return Community.objects.filter(Q(is_listed=True) | Q(pk__in=involved))


def communities_readable_by(user: Viewer) -> QuerySet[Community]:
    """Communities whose discussions the user may read: members (not sponsors by that
    role alone) everywhere they are active, anyone signed in where the community opens
    its content to all and lists itself. Site admins read all."""
    if not user.is_authenticated:
        return Community.objects.none()
    if user.is_staff:
        return Community.objects.all()
    open_to_all = Q(
        visibility=Community.Visibility.SIGNED_IN, is_confidential=False, is_listed=True
    )
    return Community.objects.filter(open_to_all | _active_member_of(user, Membership.Role.MEMBER))


def get_community_for_user_or_404(user: Viewer, slug: str) -> Community:
    # One 404 for missing and hidden: a slug must not reveal that a community exists.
    return get_object_or_404(communities_visible_to(user), slug=slug)


def can_read_community(user: Viewer, community: Community) -> bool:
    if user.is_authenticated and user.is_staff:
        return True
    if role_in(user, community) >= Role.MEMBER:
        return True
    return (
        user.is_authenticated
        and community.visibility == Community.Visibility.SIGNED_IN
        and not community.is_confidential
        and community.is_listed
    )


def is_site_admin(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def can_create_community(user: Viewer) -> bool:
    """Site admins, and the people they allowed (the `add_community` permission)."""
    return is_site_admin(user) or bool(
        user.is_authenticated and user.has_perm("communities.add_community")
    )


def can_manage_community(user: Viewer, community: Community) -> bool:
    """Edit settings, charter and stage; approve, invite, change roles, see the audit log."""
    return is_site_admin(user) or role_in(user, community) >= Role.FACILITATOR


def _was_removed(user: User, community: Community) -> bool:
    return Membership.objects.filter(
        user=user, community=community, state=Membership.State.REMOVED
    ).exists()


def can_join(user: Viewer, community: Community) -> bool:
    """One-click join: open communities, for people not already active in them.
    Removed members come back only through a facilitator's invitation."""
    return (
        user.is_authenticated
        and community.join_policy == Community.JoinPolicy.OPEN
        and role_in(user, community) == Role.NONE
        and not _was_removed(user, community)
    )


def can_request_to_join(user: Viewer, community: Community) -> bool:
    return (
        user.is_authenticated
        and community.join_policy == Community.JoinPolicy.APPROVAL
        and role_in(user, community) == Role.NONE
        and not _was_removed(user, community)
    )


def community_recipients(community: Community, min_role: Role = Role.MEMBER) -> QuerySet[User]:
    """Active members of at least `min_role` who may be told about the community."""
    return User.objects.filter(
        is_active=True,
        memberships__community=community,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__gte=min_role,
    )


def can_view_member_list(user: Viewer, community: Community) -> bool:
    """Active members (not sponsors by that role alone) and site admins."""
    return is_site_admin(user) or role_in(user, community) >= Role.MEMBER


def invitation_bound_to_address(community: Community) -> bool:
    """Whether an invitation admits only the account of the address it was sent to: in an
    invite-only or confidential community the link is for that person, not for whoever
    happens to be signed in on the device that opens it."""
    return community.is_confidential or community.join_policy == Community.JoinPolicy.INVITE
