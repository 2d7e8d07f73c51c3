"""One-step invitations: the emailed link proves the address, so whoever opens it without
being signed in joins from the invitation page itself, with a name and the way of
working; an account that exists already for the address is signed in by the same link
(single use and expiring, as the invitation is)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.models import Invitation, Membership
from communities.selectors.invitations import PENDING, invitation_status
from communities.services.invitations import _closed_message, _locked, invitation_accept
from members.models import User
from members.services import user_for_proven_address


@transaction.atomic
def invitation_accept_by_link(
    *, invitation: Invitation, display_name: str, charter_accepted: bool, language: str = ""
) -> tuple[User, Membership]:
    """Admit the owner of the invited address: their account is found (or made, with
    `display_name`), the address marked verified, and the invitation accepted. The
    caller signs the returned user in. Refused (and nothing created) when the
    invitation is no longer open or the way of working is not accepted."""
    invitation = _locked(invitation)
    status = invitation_status(invitation)
    if status != PENDING:
        raise ValidationError(_closed_message(status))
    user, _created = user_for_proven_address(
        email=invitation.email, display_name=display_name, language=language
    )
    membership = invitation_accept(
        invitation=invitation, user=user, charter_accepted=charter_accepted, by_link=True
    )
    return user, membership
