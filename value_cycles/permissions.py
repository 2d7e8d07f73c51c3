"""Who may see and do what with value events, stories, aspirations and the dashboard:
the one place that decides.

The consent rule is written once, as a *floor* per viewer and community (`_floor`):
a viewer reads a text whose tier is at least their floor, and counts include only rows
whose tier is at least their count floor. Querysets filter by the communities of each
floor, checks test one row against the same floor, so the two cannot drift.

| viewer in the community | reads texts of tier >= | counts rows of tier >= |
|---|---|---|
| the author                | any tier (their own)    | -                      |
| facilitator, site admin   | FACILITATORS            | FACILITATORS           |
| member, core member       | MEMBERS                 | (no dashboard)         |
| sponsor                   | SPONSOR_TEXT            | SPONSOR_COUNTS         |
| anyone who knows of it    | PUBLIC                  | (no dashboard)         |

Nobody reads "only me" but its author, site admins included. Sponsors see the author's
organisation only at SPONSOR_TEXT_NAMED, and never the person's name.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from communities.models import Community, Membership
from communities.permissions import Role, communities_visible_to, is_site_admin, role_in
from members.types import Viewer
from value_cycles.models import Aspiration, FollowUp, Tier, ValueEvent, ValueStory

# A group of fewer people than this is never shown on its own in a breakdown.
MIN_GROUP_SIZE = 3


def _floor(role: Role, *, admin: bool) -> int | None:
    """The lowest tier of text a viewer with this role may read (None: none at all)."""
    if admin or role >= Role.FACILITATOR:
        return Tier.FACILITATORS
    if role >= Role.MEMBER:
        return Tier.MEMBERS
    if role == Role.SPONSOR:
        return Tier.SPONSOR_TEXT
    return None


def _count_floor(role: Role, *, admin: bool) -> int | None:
    """The lowest tier a dashboard viewer's counts include (None: no dashboard)."""
    if admin or role >= Role.FACILITATOR:
        return Tier.FACILITATORS
    if role == Role.SPONSOR:
        return Tier.SPONSOR_COUNTS
    return None


@dataclass
class ValueAccess:
    """One viewer's standing, read once per request from their memberships."""

    user_id: int | None
    admin: bool
    roles: dict[int, Role] = field(default_factory=dict)

    def role(self, community_id: int) -> Role:
        return self.roles.get(community_id, Role.NONE)

    def floor(self, community_id: int) -> int | None:
        return _floor(self.role(community_id), admin=self.admin)

    def count_floor(self, community_id: int) -> int | None:
        return _count_floor(self.role(community_id), admin=self.admin)

    def text_q(self) -> Q:
        """Rows whose text this viewer may read (besides their own and public ones)."""
        if self.admin:
            return Q(tier__gte=Tier.FACILITATORS)
        by_floor: dict[int, list[int]] = {}
        for community_id in self.roles:
            floor = self.floor(community_id)
            if floor is not None:
                by_floor.setdefault(floor, []).append(community_id)
        q = Q(pk__in=[])
        for floor, ids in by_floor.items():
            q |= Q(community_id__in=ids, tier__gte=floor)
        return q

    def dashboard_communities(self) -> list[int] | None:
        """Ids of the communities whose dashboard this viewer sees (None: all)."""
        if self.admin:
            return None
        return [cid for cid in self.roles if self.count_floor(cid) is not None]


_ACCESS_ATTR = "_value_access"


def value_access(user: Viewer) -> ValueAccess:
    if not user.is_authenticated:
        return ValueAccess(user_id=None, admin=False)
    access: ValueAccess | None = getattr(user, _ACCESS_ATTR, None)
    if access is None:
        roles = {
            community_id: Role(role)
            for community_id, role in Membership.objects.filter(
                user=user, state=Membership.State.ACTIVE
            ).values_list("community_id", "role")
        }
        access = ValueAccess(user_id=user.pk, admin=user.is_staff, roles=roles)
        setattr(user, _ACCESS_ATTR, access)
    return access


def _readable(user: Viewer, model: type[Any]) -> Q:
    access = value_access(user)
    own = Q(member_id=access.user_id) if model is ValueEvent else Q(authors=access.user_id)
    public = Q(tier=Tier.PUBLIC, community__in=communities_visible_to(user))
    return own | public | access.text_q()


def value_events_visible_to(user: Viewer) -> QuerySet[ValueEvent]:
    """Events whose text the user may read: their own, and others' by tier."""
    if not user.is_authenticated:
        return ValueEvent.objects.none()
    return ValueEvent.objects.filter(_readable(user, ValueEvent))


def value_stories_visible_to(user: Viewer) -> QuerySet[ValueStory]:
    """Stories the user may read: their own (drafts too), others' once published."""
    if not user.is_authenticated:
        return ValueStory.objects.none()
    access = value_access(user)
    published = Q(state=ValueStory.State.PUBLISHED) & (
        Q(tier=Tier.PUBLIC, community__in=communities_visible_to(user)) | access.text_q()
    )
    mine = ValueStory.objects.filter(authors=access.user_id).values("pk")
    return ValueStory.objects.filter(published | Q(pk__in=mine))


def can_read_event(user: Viewer, event: ValueEvent) -> bool:
    """`value_events_visible_to` for one event, from the same floors."""
    return _can_read(user, event, own=event.member_id == getattr(user, "pk", None))


def can_read_story(user: Viewer, story: ValueStory, *, is_author: bool) -> bool:
    """`value_stories_visible_to` for one story; `is_author` read by the caller."""
    if is_author:
        return user.is_authenticated
    return story.is_published and _can_read(user, story, own=False)


def _can_read(user: Viewer, row: ValueEvent | ValueStory, *, own: bool) -> bool:
    if not user.is_authenticated:
        return False
    if own:
        return True
    floor = value_access(user).floor(row.community_id)
    if floor is not None and row.tier >= floor:
        return True
    return (
        row.tier == Tier.PUBLIC
        and communities_visible_to(user).filter(pk=row.community_id).exists()
    )


def shows_author(user: Viewer, row: ValueEvent | ValueStory) -> bool:
    """Whether the viewer may see who wrote it: members and facilitators of the community
    do; sponsors never see a person's name."""
    access = value_access(user)
    return access.admin or access.role(row.community_id) >= Role.MEMBER


def shows_organisation(user: Viewer, row: ValueEvent | ValueStory) -> bool:
    """Sponsors see the organisation only when the author chose to name it."""
    return shows_author(user, row) or row.tier >= Tier.SPONSOR_TEXT_NAMED


def value_events_counted_for(user: Viewer) -> QuerySet[ValueEvent]:
    """Events the user's dashboard may count: in the communities whose dashboard they
    see, at a tier their count floor allows. Counts only: never texts."""
    return ValueEvent.objects.filter(_counted(user))


def value_stories_counted_for(user: Viewer) -> QuerySet[ValueStory]:
    return ValueStory.objects.filter(_counted(user), state=ValueStory.State.PUBLISHED)


def _counted(user: Viewer) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    access = value_access(user)
    if access.admin:
        return Q(tier__gte=Tier.FACILITATORS)
    q = Q(pk__in=[])
    for community_id in access.roles:
        floor = access.count_floor(community_id)
        if floor is not None:
            q |= Q(community_id=community_id, tier__gte=floor)
    return q


def can_view_dashboard(user: Viewer, community: Community) -> bool:
    """Facilitators and sponsors of the community, and site admins."""
    return value_access(user).count_floor(community.pk) is not None


def dashboard_communities_for(user: Viewer) -> QuerySet[Community]:
    ids = value_access(user).dashboard_communities()
    if not user.is_authenticated:
        return Community.objects.none()
    return Community.objects.all() if ids is None else Community.objects.filter(pk__in=ids)


def can_log_value(user: Viewer, community: Community) -> bool:
    """Members (not sponsors by that role alone) record value in their community."""
    return role_in(user, community) >= Role.MEMBER


def can_edit_event(user: Viewer, event: ValueEvent) -> bool:
    """Value is the author's: only they edit it or change its tier."""
    return user.is_authenticated and event.member_id == user.pk


def can_write_story(user: Viewer, community: Community) -> bool:
    return role_in(user, community) >= Role.MEMBER


def can_record_aspiration(user: Viewer, community: Community) -> bool:
    """Facilitators and sponsors of the community, and site admins."""
    return is_site_admin(user) or role_in(user, community) in {Role.FACILITATOR, Role.SPONSOR}


def aspirations_visible_to(user: Viewer) -> QuerySet[Aspiration]:
    return Aspiration.objects.filter(community__in=dashboard_communities_for(user))


def get_event_for_user_or_404(user: Viewer, event_id: int) -> ValueEvent:
    # One 404 for missing and forbidden, as everywhere.
    return get_object_or_404(value_events_visible_to(user).select_related("community"), pk=event_id)


def get_own_event_or_404(user: Viewer, event_id: int) -> ValueEvent:
    return get_object_or_404(
        ValueEvent.objects.select_related("community"), pk=event_id, member_id=user.pk
    )


def get_story_for_user_or_404(user: Viewer, story_id: int) -> ValueStory:
    return get_object_or_404(
        value_stories_visible_to(user).select_related("community"), pk=story_id
    )


def get_dashboard_community_or_404(user: Viewer, slug: str) -> Community:
    return get_object_or_404(dashboard_communities_for(user), slug=slug)


def follow_up_recipients_ok(follow_up: FollowUp) -> bool:
    """At send time: the person is still an active member who may read the source."""
    user = follow_up.user
    if not user.is_active:
        return False
    return role_in(user, follow_up.community) >= Role.MEMBER
