"""Indexes for the search's windows of age, and finer statistics on the search vectors.

The search looks for the newest matches window by window (`discussions.selectors.search`):
the recent-first indexes let Postgres walk the newest posts for a common word and
intersect a window with the search index for a rarer one. With the default statistics
target Postgres knows the frequency of only the 1,000 most common words of a column
and guesses every other word at half the rarest of those: a word in 30 posts is taken
for one in 1,600, and plans meant for many rows are chosen. 1,000 keeps the 10,000 most
common, which covers the vocabulary of the large benchmark set.
"""

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

STATISTICS = (
    "ALTER TABLE discussions_thread ALTER COLUMN search_vector SET STATISTICS {n};"
    "ALTER TABLE discussions_reply ALTER COLUMN search_vector SET STATISTICS {n};"
)


class Migration(migrations.Migration):
    # Built without locking out writes on a live site.
    atomic = False

    dependencies = [("discussions", "0002_thread_community_pinned_index")]

    operations = [
        AddIndexConcurrently(
            model_name="thread",
            index=models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="thread_search_recent",
            ),
        ),
        AddIndexConcurrently(
            model_name="reply",
            index=models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="reply_search_recent",
            ),
        ),
        # Takes effect at the next ANALYZE (autovacuum's, or the scale data's own).
        migrations.RunSQL(STATISTICS.format(n=1000), STATISTICS.format(n=-1)),
    ]
