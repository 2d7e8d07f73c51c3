"""Enqueueing a Celery task by its stable name, once the current transaction commits.

Services name the task instead of importing its module: the task module imports the
services it calls, so an import the other way would make a module loop. Naming also
keeps the message format the one a running worker knows (name and keyword ids). The
task's module is imported by each app's `ready()`, so the name is known in every
process and the signature behaves as the task's own `delay` (sent to the broker, or run
at once under CELERY_TASK_ALWAYS_EAGER).
"""

from typing import Any

from celery import current_app
from django.db import transaction


def enqueue_on_commit(task_name: str, **kwargs: Any) -> None:
    """Send `task_name(**kwargs)` to the workers when the surrounding transaction
    commits (at once outside one); nothing is sent when it rolls back."""
    signature = current_app.signature(task_name, kwargs=kwargs)
    transaction.on_commit(signature.delay)
