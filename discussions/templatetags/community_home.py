"""`{% community_activity community %}`: what the community home shows from the
discussions (a short "ask or share" form, the latest discussions, unanswered questions),
kept here because the communities app sits below discussions and may not import it."""

from typing import Any

from django import template

from communities.models import Community
from communities.permissions import can_read_community
from discussions.forms.threads import ThreadForm
from discussions.models import Thread
from discussions.permissions import can_start_thread
from discussions.selectors.threads import thread_list_for_community

register = template.Library()

LATEST = 5
UNANSWERED = 3


@register.inclusion_tag("discussions/community_activity.html", takes_context=True)
def community_activity(context: template.Context, community: Community) -> dict[str, Any]:
    user = context["request"].user
    if not can_read_community(user, community):
        return {"readable": False}
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
        "readable": True,
        "community": community,
        "form": ThreadForm(allowed_kinds=kinds) if kinds else None,
        "latest": latest,
        "unanswered": unanswered,
        "csrf_token": context.get("csrf_token"),
        "is_new_member": context.get("is_new_member", False),
    }
