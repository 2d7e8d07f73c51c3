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
}
