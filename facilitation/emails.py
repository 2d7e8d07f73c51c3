"""The console's two personal emails, rendered at send time in the recipient's
language: a facilitator's request to answer a question, and a facilitator's note to a
quiet member. Each renders nothing (the outbox row is skipped) when the recipient may
no longer receive it (`facilitation.permissions.may_be_asked` / `may_be_nudged`) or
switched these emails off."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from facilitation.models import AnswerRequest, NudgeRecipient
from facilitation.permissions import may_be_asked, may_be_nudged
from outbox.models import Message, Preference
from outbox.preferences import preference_mode
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email

ASK = "facilitation.ask"
NUDGE = "facilitation.nudge"
# One preference for both: personal messages from the community's facilitators.
PERSONAL = "facilitation.personal"


def _wants(message: Message, community_id: int) -> bool:
    return preference_mode(message.recipient, PERSONAL, community_id) != Preference.Mode.OFF


def render_ask(message: Message) -> Email | None:
    request = (
        AnswerRequest.objects.select_related("thread__community", "asked_by")
        .filter(pk=message.payload.get("request"), asked_id=message.recipient_id)
        .first()
    )
    if request is None:
        return None
    thread = request.thread
    if not may_be_asked(message.recipient, thread) or not _wants(message, thread.community_id):
        return None
    return render_email(
        "facilitation/emails/ask",
        recipient=message.recipient,
        context={
            "thread": thread,
            "community": thread.community,
            "sender": request.asked_by,
            "thread_url": settings.SITE_URL.rstrip("/") + thread.get_absolute_url(),
        },
        stream=(PERSONAL, thread.community_id),
    )


def render_nudge(message: Message) -> Email | None:
    row = (
        NudgeRecipient.objects.select_related("nudge__community", "nudge__sent_by")
        .filter(nudge_id=message.payload.get("nudge"), user_id=message.recipient_id)
        .first()
    )
    if row is None:
        return None
    community = row.nudge.community
    if not may_be_nudged(message.recipient, community) or not _wants(message, community.pk):
        return None
    return render_email(
        "facilitation/emails/nudge",
        recipient=message.recipient,
        context={
            "community": community,
            "sender": row.nudge.sent_by,
            "note": row.nudge.message,
            "community_url": settings.SITE_URL.rstrip("/") + community.get_absolute_url(),
        },
        stream=(PERSONAL, community.pk),
    )


def register() -> None:
    register_kind(ASK, render_ask)
    register_kind(NUDGE, render_nudge)
    register_preference(
        PERSONAL,
        label=_("Personal requests from a facilitator"),
        default=Preference.Mode.IMMEDIATELY,
    )
