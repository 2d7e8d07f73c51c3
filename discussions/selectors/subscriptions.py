"""Subscription levels. (Placeholder: filled in by the notifications work.)"""

from discussions.models import Subscription, Thread
from members.types import Viewer


def subscription_level(user: Viewer, thread: Thread) -> str:
    """The user's effective level for the thread: its own setting, else the community's,
    else watch for the author and normal for everyone else."""
    return Subscription.Level.NORMAL
