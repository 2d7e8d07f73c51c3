"""Writes on subscriptions: how closely someone follows a thread or a community."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from communities.models import Community
from communities.permissions import can_read_community
from discussions.models import Subscription, Thread
from discussions.permissions import threads_visible_to
from members.models import User


@transaction.atomic
def subscription_set(
    *,
    user: User,
    level: str,
    thread: Thread | None = None,
    community: Community | None = None,
) -> Subscription:
    """Set the user's level for exactly one of a thread or a community (an upsert:
    setting the same level twice changes nothing). Only readers may subscribe."""
    if (thread is None) == (community is None):
        raise ValueError("Pass a thread or a community, not both.")
    if level not in Subscription.Level.values:
        raise ValueError("Unknown subscription level.")
    now = timezone.now()
    if thread is not None:
        if not threads_visible_to(user).filter(pk=thread.pk).exists():
            raise PermissionDenied
        subscription, _ = Subscription.objects.update_or_create(
            user=user, thread=thread, defaults={"level": level, "updated_at": now}
        )
    elif community is not None:
        if not can_read_community(user, community):
            raise PermissionDenied
        subscription, _ = Subscription.objects.update_or_create(
            user=user, community=community, defaults={"level": level, "updated_at": now}
        )
    return subscription


def thread_mute_by_link(user: User, params: dict[str, Any]) -> None:
    """The one-click "mute this thread" of an activity email (outbox action): mutes the
    thread named in the signed link, if the user may still read it."""
    thread_id = params.get("thread")
    if not isinstance(thread_id, int):
        return
    thread = threads_visible_to(user).filter(pk=thread_id).first()
    if thread is not None:
        subscription_set(user=user, thread=thread, level=Subscription.Level.MUTE)
