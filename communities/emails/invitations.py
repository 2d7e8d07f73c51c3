"""The invitation email: one message with the link that lets the invitee in."""

from django.urls import reverse

from communities.models import Invitation
from communities.selectors.invitations import invitation_recipient_language
from members.emails import send_templated_email


def send_invitation_email(*, invitation: Invitation, token: str) -> None:
    """Send the invitation with its link. `token` is the raw token: it exists only here
    and in the email. A confidential community's name and the inviter's personal
    message may go out (the invitee is being let in), its focus and content never."""
    community = invitation.community
    send_templated_email(
        template="communities/emails/invitation",
        to=invitation.email,
        language=invitation_recipient_language(invitation),
        context={
            "invitation": invitation,
            "community": community,
            "inviter_name": invitation.invited_by.name if invitation.invited_by else "",
            "show_focus": not community.is_confidential,
            "path": reverse("communities:invitation-accept", kwargs={"token": token}),
        },
    )
