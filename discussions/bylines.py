"""Bylines: the author of a post with an avatar, their organisation and role badge, as
the viewer may see them. A helper of the selectors: the columns are read in the query
that reads the posts (no query of their own), the values are built per post here.

Which profile fields show is decided by `members.permissions` (through
`members.selectors.byline_for_viewer`); whether viewer and author share a community by
`communities.permissions.shares_community_exists`; the role badge (facilitator, core
member) is shown to every reader of the post.
"""

from typing import Any

from django.db.models import F, OuterRef

from communities.models import Membership
from communities.permissions import active_role_subquery, shares_community_exists
from members.selectors import byline_for_viewer
from members.types import Viewer

# Roles with a badge: the ones a reader should know when weighing an answer.
BADGE_ROLES = (Membership.Role.FACILITATOR, Membership.Role.CORE)


def byline_annotations(
    viewer_id: int | None, *, author: str = "author", community: Any = None
) -> dict[str, Any]:
    """The columns `byline` reads, for a query over posts whose author is `author` and
    whose community is `community` (an id, or by default the row's `community_id`)."""
    where = OuterRef("community_id") if community is None else community
    return {
        "author_avatar_name": F(f"{author}__avatar"),
        "author_org_name": F(f"{author}__organization__name"),
        "author_visibility": F(f"{author}__field_visibility"),
        "author_role": active_role_subquery(f"{author}_id", where),
        "author_shares": shares_community_exists(viewer_id, f"{author}_id"),
    }


def role_label(role: int | None) -> str:
    if role in BADGE_ROLES:
        return str(Membership.Role(role).label)
    return ""


def byline(viewer: Viewer, post: Any, *, author_id: int | None, name: str) -> dict[str, object]:
    """The byline of a post read with `byline_annotations`."""
    return byline_for_viewer(
        viewer,
        person_id=author_id,
        name=name,
        avatar_name=getattr(post, "author_avatar_name", "") or "",
        organization=getattr(post, "author_org_name", "") or "",
        field_visibility=getattr(post, "author_visibility", None),
        shares_community=bool(getattr(post, "author_shares", False)),
        role_label=role_label(getattr(post, "author_role", None)),
    )
