"""Read state: where someone got to, one small upsert per signed-in page view (a
re-read of an unchanged thread within minutes writes nothing).

Each is one `INSERT ... ON CONFLICT DO UPDATE` statement, atomic on its own. It is
written as SQL because Django's bulk_create(update_conflicts=True) wraps the statement
in a transaction: two more round trips (BEGIN, COMMIT) on every page view.
"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from communities.models import Community
from discussions.models import CommunityVisit, ReadState, Thread
from members.models import User

_READ_UPSERT = (
    f"INSERT INTO {ReadState._meta.db_table} (user_id, thread_id, community_id, last_read_at) "  # noqa: S608 - table names from the models
    "VALUES (%s, %s, %s, %s) ON CONFLICT (user_id, thread_id) "
    "DO UPDATE SET last_read_at = EXCLUDED.last_read_at, community_id = EXCLUDED.community_id"
)
_VISIT_UPSERT = (
    f"INSERT INTO {CommunityVisit._meta.db_table} (user_id, community_id, last_visit_at) "  # noqa: S608 - table names from the models
    "VALUES (%s, %s, %s) ON CONFLICT (user_id, community_id) "
    "DO UPDATE SET last_visit_at = EXCLUDED.last_visit_at"
)


# A reader who opens the same thread again within this time, with nothing new in it,
# is not written down again: the read state would not change what they are shown.
REREAD_INTERVAL = timedelta(minutes=5)


def thread_mark_read(*, user: User, thread: Thread) -> None:
    """Record that the user has read the thread up to now. A thread fetched with the
    reader's state (`last_read_at`, as the thread page fetches it) that they read after
    its last activity, less than REREAD_INTERVAL ago, needs no write (a commit waits
    for the disk: the dearest part of a page view)."""
    now = timezone.now()
    last_read = getattr(thread, "last_read_at", None)
    if (
        last_read is not None
        and last_read >= thread.last_activity_at
        and now - last_read < REREAD_INTERVAL
    ):
        return
    with connection.cursor() as cursor:
        cursor.execute(_READ_UPSERT, [user.pk, thread.pk, thread.community_id, now])


def community_mark_visited(*, user: User, community: Community) -> None:
    """Record that the user looked at the community's thread list now."""
    with connection.cursor() as cursor:
        cursor.execute(_VISIT_UPSERT, [user.pk, community.pk, timezone.now()])
