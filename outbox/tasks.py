"""Celery entry points of the outbox: deliver one message by id; sweep."""

from celery import shared_task


@shared_task(name="outbox.deliver", ignore_result=True, acks_late=True)
def deliver(*, message_id: int) -> None:
    """Send one recorded message, at most once: see outbox.services.message_deliver."""
    from outbox.services import message_deliver

    message_deliver(message_id=message_id)


@shared_task(name="outbox.sweep", ignore_result=True, acks_late=True)
def sweep() -> None:
    """Enqueue again the messages still pending past their time (beat, every minute)."""
    from outbox.services import messages_sweep

    messages_sweep()
