"""The Celery app: broker on Redis, JSON only, settings under CELERY_* in settings.py.

The beat schedule lives here, in code, so that it is reviewed and versioned like the
tasks it names.
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_platform.settings")

app = Celery("cop_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Every night at 03:17: forget sign-ups whose address was never verified.
    "members.purge_unverified_accounts": {
        "task": "members.purge_unverified_accounts",
        "schedule": crontab(hour=3, minute=17),
    },
    # Every night at 03:27: delete the files of data exports past their expiry.
    "members.purge_expired_exports": {
        "task": "members.purge_expired_exports",
        "schedule": crontab(hour=3, minute=27),
    },
    # Every 15 minutes: remind yes/maybe answerers of meetings within the next day.
    "meetings.send_reminders": {
        "task": "meetings.send_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # Every hour at :07: record follow-ups of newly accepted answers, ask the due ones.
    "value_cycles.send_due_follow_ups": {
        "task": "value_cycles.send_due_follow_ups",
        "schedule": crontab(minute=7),
    },
    # Every night at 03:37: invitations and audit events past their retention period.
    "communities.purge_stale_records": {
        "task": "communities.purge_stale_records",
        "schedule": crontab(hour=3, minute=37),
    },
    # Every night at 03:47: notifications past their retention period.
    "discussions.purge_old_notifications": {
        "task": "discussions.purge_old_notifications",
        "schedule": crontab(hour=3, minute=47),
    },
    # Every minute: enqueue again the outbox messages a lost queue message left pending.
    "outbox.sweep": {"task": "outbox.sweep", "schedule": 60.0},
    # Every hour: digests for the people whose morning it now is.
    "discussions.digests_schedule": {
        "task": "discussions.digests_schedule",
        "schedule": crontab(minute=5),
    },
    # Every hour: unanswered questions to members whose expertise matches.
    "discussions.nudges_record": {
        "task": "discussions.nudges_record",
        "schedule": crontab(minute=35),
    },
    # Every hour: the welcome emails due to new members who have not posted yet.
    "discussions.welcome_record": {
        "task": "discussions.welcome_record",
        "schedule": crontab(minute=25),
    },
}
