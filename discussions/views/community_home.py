"""What the community home shows from the discussions: a short "ask or share" form, the
latest discussions and unanswered questions one can help with.

The communities app sits below discussions and may not import it, so its home view
reads this through settings.COMMUNITY_HOME_CONTEXT (communities.selectors
.community_home_extras). It lives with the views because it builds a form."""

from typing import Any

from communities.models import Community
from communities.permissions import can_read_community
from discussions.forms.threads import ThreadForm
from discussions.models import Thread
from discussions.permissions import can_start_thread
from discussions.selectors.threads import thread_list_for_community
from members.types import Viewer

LATEST = 5
UNANSWERED = 3


def community_home_context(user: Viewer, community: Community) -> dict[str, Any]:
    """`activity` for templates/discussions/community_activity.html."""
    if not can_read_community(user, community):
        return {"activity": {"readable": False}}
    # Every kind but announcements has the same rule: one check (one mute lookup).
    kinds = (
        [kind for kind in Thread.Kind.values if kind != Thread.Kind.ANNOUNCEMENT]
        if can_start_thread(user, community)
        else []
    )
    latest = list(thread_list_for_community(user, community)[:LATEST])
    unanswered = (
        list(
            thread_list_for_community(
                user, community, kind=Thread.Kind.QUESTION, state="unanswered"
            ).exclude(author_id=user.pk)[:UNANSWERED]
        )
        if kinds
        else []
    )
    return {
        "activity": {
            "readable": True,
            "form": ThreadForm(allowed_kinds=kinds) if kinds else None,
            "latest": latest,
            "unanswered": unanswered,
        }
    }
