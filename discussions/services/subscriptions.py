"""Writes on subscriptions: how closely someone follows a thread or a community."""

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
