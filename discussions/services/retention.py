"""Retention of notifications (COP_RETENTION_NOTIFICATION_DAYS); the nightly beat task
`discussions.purge_old_notifications` calls this service."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from discussions.models import Notification


@transaction.atomic
def notifications_purge_old() -> int:
    """Delete notifications older than COP_RETENTION_NOTIFICATION_DAYS, read or not:
    by then the thread itself is the record. Idempotent; returns how many went."""
    cutoff = timezone.now() - timedelta(days=settings.COP_RETENTION_NOTIFICATION_DAYS)
    deleted, _ = Notification.objects.filter(created_at__lt=cutoff).delete()
    return deleted
