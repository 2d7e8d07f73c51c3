"""Receivers (docs/signals.md): the communities app's part of an erasure."""

from typing import Any

from communities.models import AuditEvent, Invitation
from members.models import User


def erase_member(sender: object, *, user: User, **kwargs: Any) -> None:
    """On `members.signals.member_erased`: invitations addressed to the person, and
    their address in the audit log's details, go. Memberships go with the account;
    audit rows stay (the community's record) with the person as "former member"."""
    from allauth.account.models import EmailAddress

    addresses = {user.email.lower()} | {
        email.lower()
        for email in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    for address in addresses:
        Invitation.objects.filter(email__iexact=address).delete()
        for event in AuditEvent.objects.filter(detail__email__iexact=address).only("detail"):
            event.detail = {**event.detail, "email": ""}
            event.save(update_fields=["detail"])
