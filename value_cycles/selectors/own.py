"""A member's own value: their events (with chains) and stories."""

from django.db.models import QuerySet

from members.models import User
from value_cycles.models import ValueEvent, ValueStory
from value_cycles.permissions import value_events_visible_to, value_stories_visible_to


def own_events(user: User) -> QuerySet[ValueEvent]:
    return (
        value_events_visible_to(user)
        .filter(member=user)
        .select_related(
            "community", "source_thread", "source_reply__thread", "source_page", "source_meeting"
        )
        .order_by("-created_at", "-pk")
    )


def own_stories(user: User) -> QuerySet[ValueStory]:
    return (
        value_stories_visible_to(user)
        .filter(authors=user)
        .select_related("community")
        .order_by("-created_at", "-pk")
    )


def chain_events(user: User, event: ValueEvent) -> QuerySet[ValueEvent]:
    """The member's own events on the chain of `event`, oldest first."""
    return own_events(user).filter(chain=event.chain).order_by("created_at", "pk")
