from typing import Any

from communities.models import AuditEvent, Community
from members.models import User


def audit_record(
    *,
    community: Community,
    actor: User | None,
    action: str,
    subject: User | None = None,
    **detail: Any,
) -> AuditEvent:
    """Add one row to the community's audit log. Call inside the service's transaction,
    so the row exists exactly when the change does. `detail` must be JSON-serialisable
    and never hold message bodies."""
    return AuditEvent.objects.create(
        community=community, actor=actor, action=action, subject=subject, detail=detail
    )
