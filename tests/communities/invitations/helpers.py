"""What the invitation tests share: reading the emailed link and code, inviting as a
facilitator would."""

import re
from collections.abc import Callable
from typing import Any

from django.core import mail
from django.urls import reverse

from communities.models import Community, Invitation
from communities.services.invitations import InvitationReport, invitation_create_many
from members.models import User

LINK_RE = re.compile(r"/communities/invitations/([A-Za-z0-9_-]+)/")
CODE_RE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,9})\s*$", re.MULTILINE)
LIST_URL = "/communities/e-health/invitations/"

Capture = Callable[..., Any]


def in_english(user: User) -> User:
    """Signed-in pages follow the account's language (Dutch for the personas)."""
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def landing(token: str) -> str:
    return reverse("communities:invitation-accept", kwargs={"token": token})


def token_sent_to(email: str) -> str:
    """The token in the newest invitation email to `email`."""
    message = next(m for m in reversed(mail.outbox) if m.to == [email] and LINK_RE.search(m.body))
    match = LINK_RE.search(message.body)
    assert match is not None
    return match.group(1)


def invite(
    capture: Capture,
    community: Community,
    by: User,
    addresses: str,
    message: str = "",
    days: int = 14,
) -> InvitationReport:
    with capture(execute=True):
        return invitation_create_many(
            community=community,
            invited_by=by,
            addresses=addresses,
            message=message,
            expires_in_days=days,
        )


def invitation_of(email: str) -> Invitation:
    return Invitation.objects.filter(email=email).latest("pk")
