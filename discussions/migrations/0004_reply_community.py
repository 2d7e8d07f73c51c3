"""Replies carry their thread's community (denormalised), so that visibility and search
filter a candidate reply without a join through its thread. Existing rows are filled
from their threads before the column becomes required."""

import django.db.models.deletion
from django.db import migrations, models

FILL = """
    UPDATE discussions_reply AS r SET community_id = t.community_id
    FROM discussions_thread AS t WHERE t.id = r.thread_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0004_moderation_actions"),
        ("discussions", "0003_search_recent_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="reply",
            name="community",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="communities.community",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="reply",
            name="community",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="communities.community",
            ),
        ),
        migrations.AddIndex(
            model_name="reply",
            index=models.Index(
                condition=models.Q(("deleted_at__isnull", True)),
                fields=["community", "-created_at", "-id"],
                name="reply_community_recent",
            ),
        ),
    ]
