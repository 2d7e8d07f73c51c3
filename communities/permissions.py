"""Who may see and do what in a community: the one place that decides.

Each viewer has one `Access` (`access_of`), read once per user object: the ids of the
communities they may know of, read, post in, moderate and manage, and whose members
list (and so whose people) they see. Every rule on communities, and through them on
threads, replies, attachments, notifications and people, derives from it: querysets
filter on `Access.where(...)`, one-object checks ask `Access.has(...)`, and the
`*_recipients` / `community_readers` querysets answer the same for every user at once.
Everything that lists, searches, feeds or mails community content starts from
`communities_visible_to` / `communities_readable_by`. 404 for what the viewer may not
know exists; 403 for what they know of but may not do.
"""

from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.shortcuts import get_object_or_404

from communities.models import Community, CommunityProposal, Membership
from members.models import User
from members.permissions import can_see_profile_field
from members.types import Viewer

_ACCESS_ATTR = "_community_access"

# A community every signed-in user may read: it says so (or lets everyone read along),
# lists itself and keeps nothing confidential. The one definition of that rule;
# `Access.open` holds its ids.
OPEN_TO_SIGNED_IN = Q(
    visibility__in=[Community.Visibility.SIGNED_IN, Community.Visibility.PUBLIC],
    is_confidential=False,
    is_listed=True,
)
# A community anyone may read along in without signing in: it says so, lists itself and
# keeps nothing confidential (the database refuses a confidential one that says so).
# The one definition of public reading; `Access.anonymous` holds its ids.
OPEN_TO_PUBLIC = Q(visibility=Community.Visibility.PUBLIC, is_confidential=False, is_listed=True)


class Role(IntEnum):
    """A viewer's standing in one community, ordered by what it allows."""

    NONE = 0
    SPONSOR = Membership.Role.SPONSOR.value
    MEMBER = Membership.Role.MEMBER.value
    CORE = Membership.Role.CORE.value
    FACILITATOR = Membership.Role.FACILITATOR.value


def access_annotations(user_ref: Any = None) -> dict[str, ArraySubquery]:
    """What `Access` is built from, as array subqueries of one user row: the ids and
    roles of the user's active memberships, the communities they are invited to or
    asked to join, and the ids of the listed and of the open communities.

    The listed and open ids follow from community fields, not from memberships; they are
    read in the same query rather than kept in a cache, so a changed setting (or a
    queryset `.update()` no signal sees) holds from the next request on, with nothing to
    invalidate. One row per listed community: cheap for the hundreds a site has; past
    thousands, a cached list of them (dropped when a community is saved) is the next step.

    `communities.backends` adds these to the query that loads the signed-in user, so a
    request reads its viewer's rights with its user, in no query of its own.
    """
    user = OuterRef("pk") if user_ref is None else user_ref
    active = Membership.objects.filter(user=user, state=Membership.State.ACTIVE).order_by(
        "community_id"
    )
    pending = Membership.objects.filter(
        user=user, state__in=[Membership.State.INVITED, Membership.State.REQUESTED]
    )
    return {
        "access_active_ids": ArraySubquery(active.values("community_id")),
        "access_active_roles": ArraySubquery(active.values("role")),
        "access_pending_ids": ArraySubquery(pending.order_by().values("community_id")),
        "access_listed_ids": ArraySubquery(
            Community.objects.filter(is_listed=True).order_by().values("pk")
        ),
        "access_open_ids": ArraySubquery(
            Community.objects.filter(OPEN_TO_SIGNED_IN).order_by().values("pk")
        ),
    }


ACCESS_COLUMNS = (
    "access_active_ids",
    "access_active_roles",
    "access_pending_ids",
    "access_listed_ids",
    "access_open_ids",
)


class Access:
    """What one viewer may know of, read, post in and moderate: sets of community ids,
    read once per user object (and so once per request).

    Every rule on communities, and through them on threads, replies, attachments,
    notifications and people, is derived from these sets: the querysets filter on them
    (`Access.where`), the one-object checks look them up (`Access.has`). Site admins
    hold every community (`everything`); anonymous visitors none. Sponsors are active
    but read nothing by that role alone: they know of the community and see its home.
    """

    __slots__ = (
        "everything",
        "knows",
        "manages",
        "member_lists",
        "moderates",
        "open",
        "posts",
        "reads",
        "roles",
        "user_id",
    )

    def __init__(
        self,
        *,
        user_id: int | None,
        everything: bool = False,
        roles: Mapping[int, Role] | None = None,
        pending: Iterable[int] = (),
        listed: Iterable[int] = (),
        open_ids: Iterable[int] = (),
    ) -> None:
        self.user_id = user_id
        self.everything = everything
        self.roles: Mapping[int, Role] = dict(roles or {})
        members = frozenset(c for c, role in self.roles.items() if role >= Role.MEMBER)
        self.open = frozenset(open_ids)
        # Listed ones, and any they are in, invited to or have asked to join.
        self.knows = frozenset(listed) | frozenset(self.roles) | frozenset(pending)
        # Members everywhere they are active; anyone signed in where it is open.
        self.reads = members | self.open
        # Start threads, reply, react: members (a mute is checked apart: it ends by time).
        self.posts = members
        # The members list, and the people it shows: members, not sponsors.
        self.member_lists = members
        self.moderates = frozenset(c for c, role in self.roles.items() if role >= Role.FACILITATOR)
        # Managing settings and moderating posts are one right today: facilitators'.
        self.manages = self.moderates

    @classmethod
    def anonymous(cls, public: Iterable[int] = ()) -> "Access":
        """A visitor who is not signed in: they know of and read the communities open to
        the public (`OPEN_TO_PUBLIC`), and nothing else. They post nowhere, see no
        members list and so no one's profile (`member_lists` stays empty)."""
        access = cls(user_id=None)
        access.knows = access.reads = frozenset(public)
        return access

    @classmethod
    def from_row(cls, user: User, row: Mapping[str, Any]) -> "Access":
        if user.is_staff:
            return cls(user_id=user.pk, everything=True, roles=_roles(row))
        return cls(
            user_id=user.pk,
            roles=_roles(row),
            pending=row["access_pending_ids"] or (),
            listed=row["access_listed_ids"] or (),
            open_ids=row["access_open_ids"] or (),
        )

    def has(self, right: str, community_id: int) -> bool:
        """Whether the viewer holds `right` ("reads", "posts", ...) in the community."""
        return self.everything or community_id in getattr(self, right)

    def where(self, right: str, field: str = "pk") -> Q:
        """The rows whose `field` names a community where the viewer holds `right`."""
        if self.everything:
            return Q()
        return Q(**{f"{field}__in": sorted(getattr(self, right))})

    def role(self, community_id: int) -> Role:
        return self.roles.get(community_id, Role.NONE)


def _roles(row: Mapping[str, Any]) -> dict[int, Role]:
    ids, roles = row["access_active_ids"] or [], row["access_active_roles"] or []
    return {community_id: Role(role) for community_id, role in zip(ids, roles, strict=True)}


def access_of(user: Viewer) -> Access:
    """The viewer's access, built once per user object: from the columns the
    authentication backend loaded with the user, else from one query. (getattr, not
    `__dict__`: request.user is a lazy proxy of the user object.)"""
    access: Access | None = getattr(user, _ACCESS_ATTR, None)
    if access is not None:
        return access
    if not user.is_authenticated:
        # One query, once per request (per AnonymousUser object), only on the pages
        # that let visitors in: the communities open to the public.
        public = Community.objects.filter(OPEN_TO_PUBLIC).order_by().values_list("pk", flat=True)
        access = Access.anonymous(list(public))
    else:
        row: Mapping[str, Any]
        if hasattr(user, ACCESS_COLUMNS[0]):
            row = {name: getattr(user, name) for name in ACCESS_COLUMNS}
        else:
            row = User.objects.filter(pk=user.pk).values(**access_annotations()).get()
        access = Access.from_row(user, row)
    setattr(user, _ACCESS_ATTR, access)
    return access


def role_in(user: Viewer, community: Community) -> Role:
    """The user's active role in the community (from `access_of`, read once)."""
    if not user.is_authenticated:
        return Role.NONE
    return access_of(user).role(community.pk)


def role_cache_clear(user: User) -> None:
    """Forget the access read for this user object after one of its memberships (or a
    community's settings) changed."""
    for name in (_ACCESS_ATTR, *ACCESS_COLUMNS):
        if hasattr(user, name):
            delattr(user, name)


def communities_visible_to(user: Viewer) -> QuerySet[Community]:
    """Communities whose existence the user may know of: listed ones, and any they are
    in, invited to or have asked to join. Site admins see all. Visitors who are not
    signed in: the communities open to the public."""
    return Community.objects.filter(access_of(user).where("knows"))


def communities_readable_by(user: Viewer) -> QuerySet[Community]:
    """Communities whose discussions the user may read: members (not sponsors by that
    role alone) everywhere they are active, anyone signed in where the community opens
    its content to all and lists itself. Site admins read all. Visitors who are not
    signed in: the communities open to the public."""
    return Community.objects.filter(access_of(user).where("reads"))


def get_community_for_user_or_404(user: Viewer, slug: str) -> Community:
    # One 404 for missing and hidden: a slug must not reveal that a community exists.
    return get_object_or_404(communities_visible_to(user), slug=slug)


def can_know_community(user: Viewer, community: Community) -> bool:
    return access_of(user).has("knows", community.pk)


def can_read_community(user: Viewer, community: Community) -> bool:
    return access_of(user).has("reads", community.pk)


def is_site_admin(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_staff)


def can_create_community(user: Viewer) -> bool:
    """Site admins, and the people they allowed (the `add_community` permission)."""
    return is_site_admin(user) or bool(
        user.is_authenticated and user.has_perm("communities.add_community")
    )


def can_manage_community(user: Viewer, community: Community) -> bool:
    """Edit settings, charter and stage; approve, invite, change roles, see the audit log."""
    return access_of(user).has("manages", community.pk)


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
    """Active members of at least `min_role` who may be told about the community, in
    one query however many they are."""
    return User.objects.filter(
        Exists(
            Membership.objects.filter(
                user=OuterRef("pk"),
                community=community,
                state=Membership.State.ACTIVE,
                role__gte=min_role,
            )
        ),
        is_active=True,
    )


def community_readers(community: Community) -> QuerySet[User]:
    """Everyone who may read the community's discussions now (`Access.reads` for every
    user at once): active users where it is open to all signed in, else its members
    and the site admins. One query however many they are."""
    open_to_all = Exists(Community.objects.filter(OPEN_TO_SIGNED_IN, pk=community.pk))
    members = Exists(
        Membership.objects.filter(
            user=OuterRef("pk"),
            community=community,
            state=Membership.State.ACTIVE,
            role__gte=Role.MEMBER,
        )
    )
    return User.objects.filter(open_to_all | members | Q(is_staff=True), is_active=True)


def can_view_member_list(user: Viewer, community: Community) -> bool:
    """Active members (not sponsors by that role alone) and site admins."""
    return access_of(user).has("member_lists", community.pk)


# --- people ----------------------------------------------------------------------------------
# A viewer may see a person when the viewer sees the members list of a community where
# that person is active (`Access.member_lists`). Which profile fields show is decided by
# `members.permissions`, told here whether the two share such a community.


def people_visible_to(viewer: Viewer) -> QuerySet[User]:
    """Everyone the viewer may know is on the platform: co-members of the communities
    whose members list the viewer sees (the viewer included). Site admins see all."""
    if not viewer.is_authenticated:
        return User.objects.none()
    access = access_of(viewer)
    if access.everything:
        return User.objects.all()
    co_members = Membership.objects.filter(
        access.where("member_lists", "community_id"), state=Membership.State.ACTIVE
    ).values("user_id")
    return User.objects.filter(is_active=True, pk__in=co_members)


def shares_community(viewer: Viewer, person: User) -> bool:
    """Whether the person is active in a community whose members list the viewer sees:
    what the "people who share a community with me" visibility level means."""
    if not viewer.is_authenticated:
        return False
    return Membership.objects.filter(
        access_of(viewer).where("member_lists", "community_id"),
        user=person,
        state=Membership.State.ACTIVE,
    ).exists()


def can_see_person_field(viewer: Viewer, person: User, field_name: str) -> bool:
    """One profile field of a person the viewer may see (fetched through
    `get_person_for_user_or_404`)."""
    if viewer.is_authenticated and (viewer.pk == person.pk or viewer.is_staff):
        return True
    return can_see_profile_field(
        person, viewer, field_name, shares_community=shares_community(viewer, person)
    )


def get_community_for_manager_or_403(user: Viewer, slug: str) -> Community:
    """The community for a facilitator's page: 404 for who may not know it exists, 403
    for who knows it but may not manage it."""
    community = get_community_for_user_or_404(user, slug)
    if not can_manage_community(user, community):
        raise PermissionDenied
    return community


def invitation_bound_to_address(community: Community) -> bool:
    """Whether an invitation admits only the account of the address it was sent to: in an
    invite-only or confidential community the link is for that person, not for whoever
    happens to be signed in on the device that opens it."""
    return community.is_confidential or community.join_policy == Community.JoinPolicy.INVITE


# --- proposals for new communities -----------------------------------------------------------
# A proposal is an idea for a community that does not exist yet: nothing in it is
# confidential, so every signed-in person sees it (that is how others find it and say
# "I'd join"). Site admins found or close proposals; proposers may close their own.


def proposals_visible_to(user: Viewer) -> QuerySet[CommunityProposal]:
    if not user.is_authenticated:
        return CommunityProposal.objects.none()
    return CommunityProposal.objects.all()


def get_proposal_for_user_or_404(user: Viewer, proposal_id: int) -> CommunityProposal:
    return get_object_or_404(
        proposals_visible_to(user).select_related("proposer", "community"), pk=proposal_id
    )


def can_propose_community(user: Viewer) -> bool:
    return bool(user.is_authenticated and user.is_active)


def can_support_proposal(user: Viewer, proposal: CommunityProposal) -> bool:
    """Anyone signed in but the proposer (who is in it already), while it is open."""
    return can_propose_community(user) and proposal.is_open and proposal.proposer_id != user.pk


def can_found_proposal(user: Viewer, proposal: CommunityProposal) -> bool:
    """Turning a proposal into a community is the site admins' call (or the supporters'
    count's, settings.COP_PROPOSAL_FOUND_AT, checked by the service)."""
    return is_site_admin(user) and proposal.is_open


def can_close_proposal(user: Viewer, proposal: CommunityProposal) -> bool:
    return proposal.is_open and (
        is_site_admin(user) or (user.is_authenticated and proposal.proposer_id == user.pk)
    )


def proposal_recipients() -> QuerySet[User]:
    """Who is told of a new proposal: the active site admins."""
    return User.objects.filter(is_staff=True, is_active=True)


# --- bylines: who wrote a post, as its readers may see them ------------------------------------


def shares_community_exists(viewer_id: int | None, person_ref: str) -> Exists | Value:
    """The database form of `shares_community` for the person in column `person_ref`
    of the outer query: active in a community where the viewer is an active member
    (`Access.member_lists` of a viewer who is not a site admin; site admins see every
    field anyway). False for anonymous visitors. Held equal to `shares_community` by
    tests/test_access_rules.py."""
    if viewer_id is None:
        return Value(False)
    lists = Membership.objects.filter(
        user_id=viewer_id, state=Membership.State.ACTIVE, role__gte=Role.MEMBER
    ).values("community_id")
    return Exists(
        Membership.objects.filter(
            user_id=OuterRef(person_ref), state=Membership.State.ACTIVE, community_id__in=lists
        )
    )


def active_role_subquery(person_ref: str, community: Any) -> Subquery:
    """The active role of the person in column `person_ref` in the community (a column
    reference such as `OuterRef("community_id")`, or an id), or NULL: for the role
    badge next to an author's name, which every reader of the post may see."""
    return Subquery(
        Membership.objects.filter(
            user_id=OuterRef(person_ref), community_id=community, state=Membership.State.ACTIVE
        ).values("role")[:1]
    )
