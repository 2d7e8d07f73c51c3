"""Enqueueing a Celery task by its stable name, once the current transaction commits.

Services name the task instead of importing its module: the task module imports the
services it calls, so an import the other way would make a module loop. Naming also
keeps the message format the one a running worker knows (name and keyword ids). The
task's module is imported by each app's `ready()`, so the name is known in every
process and the signature behaves as the task's own `delay` (sent to the broker, or run
at once under CELERY_TASK_ALWAYS_EAGER).
"""

import logging
from typing import Any

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError
from redis.exceptions import ConnectionError as RedisConnectionError

logger = logging.getLogger(__name__)

# What publishing raises when the broker cannot be reached (kombu wraps the transport's
# connection errors in OperationalError; redis-py's own may pass through).
BROKER_DOWN = (OperationalError, RedisConnectionError)


def enqueue_on_commit(task_name: str, **kwargs: Any) -> None:
    """Send `task_name(**kwargs)` to the workers when the surrounding transaction
    commits (at once outside one); nothing is sent when it rolls back."""
    signature = current_app.signature(task_name, kwargs=kwargs)

    def send() -> None:
        # A broker that is down must not fail the request whose change already
        # committed: work that must not be lost (email) has its own sweeper (outbox).
        try:
            signature.apply_async(retry=False)
        except BROKER_DOWN:  # only the broker's own: a task's errors (eager) surface
            logger.warning("could not enqueue %s %s", task_name, list(kwargs)[:5])

    transaction.on_commit(send)
