"""Celery entry points for discussions: fetch by id, re-check, deliver."""

from celery import shared_task

from discussions.services.notifications import notifications_deliver


@shared_task(name="discussions.deliver_notifications", ignore_result=True, acks_late=True)
def deliver_notifications(*, notification_ids: list[int]) -> None:
    """Deliver recorded notifications. Re-checks at run time that each recipient may
    still read the thread and that the post is still shown (rows that fail are deleted);
    idempotent: see notifications_deliver."""
    notifications_deliver(notification_ids=notification_ids)


@shared_task(name="discussions.purge_old_notifications", ignore_result=True, acks_late=True)
def purge_old_notifications() -> int:
    """Nightly: notifications past their retention (idempotent)."""
    from discussions.services.retention import notifications_purge_old

    return notifications_purge_old()
