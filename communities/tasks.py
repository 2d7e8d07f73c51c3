"""Celery entry points for communities: fetch by id, re-check, send."""

from celery import shared_task

from communities.emails.memberships import send_join_request, send_request_decided
from communities.models import Membership
from communities.permissions import Role, community_recipients
from communities.services.invitations import invitation_deliver


@shared_task(name="communities.notify_join_request", ignore_result=True, acks_late=True)
def notify_join_request(*, membership_id: int) -> None:
    """Tell the community's facilitators about a pending request. Skipped when the
    request was withdrawn or decided before the task ran."""
    membership = (
        Membership.objects.select_related("community", "user")
        .filter(pk=membership_id, state=Membership.State.REQUESTED)
        .first()
    )
    if membership is None:
        return
    for facilitator in community_recipients(membership.community, Role.FACILITATOR):
        send_join_request(membership=membership, facilitator=facilitator)


@shared_task(name="communities.notify_request_decided", ignore_result=True, acks_late=True)
def notify_request_decided(*, membership_id: int) -> None:
    """Tell the requester the outcome (approved, or declined with the reason)."""
    membership = (
        Membership.objects.select_related("community", "user")
        .filter(
            pk=membership_id,
            state__in=[Membership.State.ACTIVE, Membership.State.DECLINED],
            decided_at__isnull=False,
        )
        .first()
    )
    if membership is None or not membership.user.is_active:
        return
    send_request_decided(membership=membership)


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
