"""Read state: where someone got to, one small upsert per signed-in page view.

No transaction of their own: each is a single INSERT ... ON CONFLICT DO UPDATE.
"""

from django.utils import timezone

from communities.models import Community
from discussions.models import CommunityVisit, ReadState, Thread
from members.models import User


def thread_mark_read(*, user: User, thread: Thread) -> None:
    """Record that the user has read the thread up to now."""
    ReadState.objects.bulk_create(
        [
            ReadState(
                user=user,
                thread=thread,
                community_id=thread.community_id,
                last_read_at=timezone.now(),
            )
        ],
        update_conflicts=True,
        unique_fields=["user", "thread"],
        update_fields=["last_read_at"],
    )


def community_mark_visited(*, user: User, community: Community) -> None:
    """Record that the user looked at the community's thread list now."""
    CommunityVisit.objects.bulk_create(
        [CommunityVisit(user=user, community=community, last_visit_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "community"],
        update_fields=["last_visit_at"],
    )
