"""Retention: personal data kept no longer than it serves (GDPR storage limitation).

Periods are settings (COP_RETENTION_*_DAYS); the nightly beat task
`communities.purge_stale_records` calls this service.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from communities.models import AuditEvent, Invitation


@transaction.atomic
def stale_records_purge() -> dict[str, int]:
    """Delete invitations (they hold addresses of people who may never have joined)
    COP_RETENTION_INVITATION_DAYS after they expired, were accepted or revoked, and
    audit events older than COP_RETENTION_AUDIT_DAYS. Idempotent; returns the counts."""
    now = timezone.now()
    invitation_cutoff = now - timedelta(days=settings.COP_RETENTION_INVITATION_DAYS)
    audit_cutoff = now - timedelta(days=settings.COP_RETENTION_AUDIT_DAYS)
    state = Invitation.State
    invitations, _ = Invitation.objects.filter(
        Q(expires_at__lt=invitation_cutoff)
        | Q(state=state.ACCEPTED, accepted_at__lt=invitation_cutoff)
        # A withdrawn invitation records no time of its own; its last send is older.
        | Q(state=state.REVOKED, last_sent_at__lt=invitation_cutoff)
    ).delete()
    audit_events, _ = AuditEvent.objects.filter(created_at__lt=audit_cutoff).delete()
    return {"invitations": invitations, "audit_events": audit_events}
