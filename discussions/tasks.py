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


@shared_task(name="discussions.digests_schedule", ignore_result=True, acks_late=True)
def digests_schedule() -> None:
    """Hourly: one `discussions.digests_build` per batch of people whose morning it is."""
    from django.utils import timezone

    from discussions.emails.digest import digest_recipient_batches

    now = timezone.now()
    for batch in digest_recipient_batches(now):
        digests_build.delay(user_ids=batch, now=now.isoformat())


@shared_task(name="discussions.digests_build", ignore_result=True, acks_late=True)
def digests_build(*, user_ids: list[int], now: str) -> None:
    """Record the digests of one batch, and the facilitators' weekly summaries;
    idempotent (one digest per person and local day, one summary per week)."""
    from django.db import transaction
    from django.utils.dateparse import parse_datetime

    from discussions.emails.digest import digests_build as build
    from discussions.emails.summary import summaries_record

    moment = parse_datetime(now)
    if moment is not None:
        with transaction.atomic():
            build(user_ids=user_ids, now=moment)
            summaries_record(user_ids=user_ids, now=moment)


@shared_task(name="discussions.nudges_record", ignore_result=True, acks_late=True)
def nudges_record() -> None:
    """Hourly: put questions still unanswered to members whose expertise matches."""
    from django.db import transaction
    from django.utils import timezone

    from discussions.emails.nudges import nudges_record as record

    with transaction.atomic():
        record(timezone.now())


@shared_task(name="discussions.welcome_record", ignore_result=True, acks_late=True)
def welcome_record() -> None:
    """Hourly: the welcome emails due to new members (idempotent: once per step)."""
    from django.db import transaction
    from django.utils import timezone

    from discussions.emails.welcome import welcome_record as record

    with transaction.atomic():
        record(timezone.now())
