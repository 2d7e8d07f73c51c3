"""Reactions: one of a fixed set, at most once per kind per person per post."""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.db.models.functions import Greatest

from discussions.models import Reaction, Reply, Thread
from discussions.permissions import can_react
from members.models import User


@transaction.atomic
def reaction_toggle(*, user: User, post: Thread | Reply, kind: str) -> bool:
    """Add the user's reaction of this kind to the post, or take it back when it is
    there. Returns whether the reaction is now on. The post's `reaction_count` moves by
    one with an F() update, so concurrent toggles never lose a count."""
    thread = post if isinstance(post, Thread) else post.thread
    if not can_react(user, thread) or post.is_deleted:
        raise PermissionDenied
    if kind not in Reaction.Kind.values:
        raise ValueError(f"Unknown reaction kind: {kind}")
    model = type(post)
    target = {"thread": post} if isinstance(post, Thread) else {"reply": post}
    removed, _ = Reaction.objects.filter(user=user, kind=kind, **target).delete()
    if removed:
        model.objects.filter(pk=post.pk).update(reaction_count=Greatest(F("reaction_count") - 1, 0))
        return False
    try:
        with transaction.atomic():
            Reaction.objects.create(user=user, kind=kind, **target)
    except IntegrityError:
        return True  # a concurrent request of the same person added it just now
    model.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") + 1)
    return True
