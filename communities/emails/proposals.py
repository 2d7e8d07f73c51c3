"""The email that tells site admins of a new community proposal, through the outbox:
one per admin per proposal, rendered at send time in the admin's language, and only
while the proposal is still open and the recipient still a site admin."""

from communities.models import CommunityProposal
from communities.permissions import proposal_recipients
from outbox.models import Message
from outbox.registry import Email, register_kind
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

PROPOSAL_NEW = "communities.proposal_new"


def proposal_new_enqueue(proposal: CommunityProposal) -> None:
    key = f"proposal:{proposal.pk}"
    message_enqueue_many(
        kind=PROPOSAL_NEW,
        items=[
            (user_id, key, {"proposal": proposal.pk})
            for user_id in proposal_recipients()
            .exclude(pk=proposal.proposer_id or 0)
            .values_list("pk", flat=True)
        ],
    )


def render_proposal_new(message: Message) -> Email | None:
    proposal = (
        CommunityProposal.objects.select_related("proposer")
        .filter(pk=message.payload.get("proposal"))
        .first()
    )
    if proposal is None or not proposal.is_open:
        return None
    if not proposal_recipients().filter(pk=message.recipient_id).exists():
        return None
    return render_email(
        "communities/emails/proposal_new",
        recipient=message.recipient,
        context={"proposal": proposal},
    )


def register() -> None:
    register_kind(PROPOSAL_NEW, render_proposal_new)
