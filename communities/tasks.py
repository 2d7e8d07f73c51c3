"""Celery entry points for communities: fetch by id, re-check, send."""

from celery import shared_task
from django.db import transaction

from communities.models import Membership
from communities.services.invitations import invitation_deliver


@shared_task(name="communities.notify_join_request", ignore_result=True, acks_late=True)
def notify_join_request(*, membership_id: int) -> None:
    """Kept for messages queued before emails went through the outbox: records the
    outbox messages (idempotent), which then send."""
    from communities.emails.memberships import join_request_enqueue

    membership = (
        Membership.objects.filter(pk=membership_id, state=Membership.State.REQUESTED)
        .select_related("community")
        .first()
    )
    if membership is not None:
        with transaction.atomic():
            join_request_enqueue(membership)


@shared_task(name="communities.notify_request_decided", ignore_result=True, acks_late=True)
def notify_request_decided(*, membership_id: int) -> None:
    """Kept for messages queued before emails went through the outbox (see above)."""
    from communities.emails.memberships import request_decided_enqueue

    membership = (
        Membership.objects.filter(pk=membership_id, decided_at__isnull=False)
        .select_related("user")
        .first()
    )
    if membership is not None:
        with transaction.atomic():
            request_decided_enqueue(membership)


@shared_task(
    name="communities.send_invitation",
    ignore_result=True,
    acks_late=True,
    # smtplib.SMTPException and connection failures are both OSErrors.
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_invitation(*, invitation_id: int, unsent_hash: str) -> None:
    """Give an invitation its link and email it. Idempotent, and a no-op once the
    invitation was resent, revoked, accepted or expired: see invitation_deliver."""
    invitation_deliver(invitation_id=invitation_id, unsent_hash=unsent_hash)


@shared_task(name="communities.purge_stale_records", ignore_result=True, acks_late=True)
def purge_stale_records() -> dict[str, int]:
    """Nightly: old invitations and audit events past their retention (idempotent)."""
    from communities.services.retention import stale_records_purge

    return stale_records_purge()
