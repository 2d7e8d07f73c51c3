"""Celery entry points of the outbox: deliver one message by id; sweep."""

from celery import shared_task


@shared_task(name="outbox.deliver", ignore_result=True, acks_late=True)
def deliver(*, message_id: int) -> None:
    """Send one recorded message, at most once: see outbox.services.message_deliver."""
    from outbox.services import message_deliver

    message_deliver(message_id=message_id)


@shared_task(name="outbox.deliver_batch", ignore_result=True, acks_late=True)
def deliver_batch(*, message_ids: list[int]) -> None:
    """Send many recorded messages over one SMTP connection, at most once each: see
    outbox.services.messages_deliver_batch."""
    from outbox.services import messages_deliver_batch

    messages_deliver_batch(message_ids=message_ids)


@shared_task(name="outbox.sweep", ignore_result=True, acks_late=True)
def sweep() -> None:
    """Enqueue again the messages still pending past their time (beat, every minute)."""
    from outbox.services import messages_sweep

    messages_sweep()
