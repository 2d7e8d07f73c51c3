"""Moderation: flags, hide, lock, pin, move, mute, and limits on new members' posting.
(Placeholder: filled in by the moderation work; the post services call ensure_may_post.)"""

from communities.models import Community
from members.models import User


def ensure_may_post(*, user: User, community: Community) -> None:
    """Raise ValidationError with a clear message when the user may not post right now
    (new-member rate limit)."""
