"""Meeting emails, through the outbox: the tasks record one message per person (`record`,
inside their transaction, for those whose preference lets it through); the handlers
below render it at send time, in the recipient's language and time zone (multipart
text and HTML from templates/meetings/emails/), and return None when it no longer
applies: the person left the community, the meeting was cancelled or changed again,
the preference was switched off since.

Keys make each message once per person: the meeting (announcement, reminder, outputs,
promotion), the meeting and its version (change, cancellation), the proposal.
"""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from meetings.links import rsvp_path
from meetings.models import Attendance, Meeting, Rsvp, TopicProposal
from meetings.permissions import can_see_online_link, meeting_recipients, proposal_recipients
from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import preference_mode, preference_modes
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

ANNOUNCED = "meetings.announced"
REMINDER = "meetings.reminder"
CHANGED = "meetings.changed"
CANCELLED = "meetings.cancelled"
PROMOTED = "meetings.promoted"
OUTPUTS = "meetings.outputs"
PROPOSAL = "meetings.proposal"

# The preference each kind follows; changes, cancellations and a place from the waiting
# list are about an answer the person gave, so they always go out.
PREFERENCE: dict[str, str | None] = {
    ANNOUNCED: ANNOUNCED,
    REMINDER: REMINDER,
    OUTPUTS: OUTPUTS,
    PROPOSAL: PROPOSAL,
    CHANGED: None,
    CANCELLED: None,
    PROMOTED: None,
}
TEMPLATE = {
    ANNOUNCED: "announcement",
    REMINDER: "reminder",
    CHANGED: "changed",
    CANCELLED: "cancelled",
    PROMOTED: "promoted",
    OUTPUTS: "outputs",
    PROPOSAL: "proposal_taken_up",
}


@transaction.atomic
def record(*, kind: str, community_id: int, user_ids: list[int], key: str, payload: dict) -> int:
    """One message of `kind` per person (once per `key`) for those who want it in this
    community. Two queries (preferences, insert) and the read-back."""
    preference = PREFERENCE[kind]
    if preference is not None and user_ids:
        modes = preference_modes(user_ids=user_ids, kinds=[preference], community_id=community_id)
        user_ids = [u for u in user_ids if modes[(u, preference)] != Preference.Mode.OFF]
    items = [(user_id, key, payload) for user_id in user_ids]
    return len(message_enqueue_many(kind=kind, items=items))


def _wanted(user: User, kind: str, community_id: int) -> bool:
    preference = PREFERENCE[kind]
    return (
        preference is None or preference_mode(user, preference, community_id) != Preference.Mode.OFF
    )


def _one_click(meeting: Meeting, user: User) -> dict[str, str]:
    return {
        "yes_path": rsvp_path(meeting=meeting, user=user, answer=Rsvp.Answer.YES),
        "no_path": rsvp_path(meeting=meeting, user=user, answer=Rsvp.Answer.NO),
    }


def _render(kind: str, user: User, community_id: int, context: dict[str, Any]) -> Email:
    preference = PREFERENCE[kind]
    return render_email(
        f"meetings/emails/{TEMPLATE[kind]}",
        recipient=user,
        context=context,
        stream=(preference, community_id) if preference is not None else None,
    )


def _meeting_for(message: Message) -> Meeting | None:
    """The meeting of the message, if the recipient may still be told about it."""
    meeting = (
        Meeting.objects.select_related("community")
        .filter(pk=message.payload.get("meeting"))
        .first()
    )
    if meeting is None or not meeting_recipients(meeting).filter(pk=message.recipient_id).exists():
        return None
    if not _wanted(message.recipient, message.kind, meeting.community_id):
        return None
    return meeting


def render_announcement(message: Message) -> Email | None:
    meeting = _meeting_for(message)
    if meeting is None or meeting.is_cancelled or meeting.has_started():
        return None
    user = message.recipient
    context = {"meeting": meeting, "community": meeting.community, **_one_click(meeting, user)}
    return _render(ANNOUNCED, user, meeting.community_id, context)


def render_reminder(message: Message) -> Email | None:
    meeting = _meeting_for(message)
    if meeting is None or meeting.state != Meeting.State.SCHEDULED or meeting.has_started():
        return None
    user = message.recipient
    rsvp = Rsvp.objects.filter(
        meeting=meeting, user=user, answer__in=[Rsvp.Answer.YES, Rsvp.Answer.MAYBE]
    ).first()
    if rsvp is None:
        return None
    context = {
        "meeting": meeting,
        "community": meeting.community,
        "rsvp": rsvp,
        "show_link": can_see_online_link(user, meeting, rsvp),
        **_one_click(meeting, user),
    }
    return _render(REMINDER, user, meeting.community_id, context)


def render_changed(message: Message) -> Email | None:
    """A change or a cancellation: only while it is the meeting's latest version."""
    meeting = _meeting_for(message)
    if meeting is None or meeting.sequence != message.payload.get("sequence"):
        return None
    user = message.recipient
    if not Rsvp.objects.filter(meeting=meeting, user=user).exists():
        return None
    context: dict[str, Any] = {"meeting": meeting, "community": meeting.community}
    if not meeting.is_cancelled:
        context |= _one_click(meeting, user)
    return _render(message.kind, user, meeting.community_id, context)


def render_promoted(message: Message) -> Email | None:
    meeting = _meeting_for(message)
    if meeting is None or meeting.is_cancelled:
        return None
    user = message.recipient
    rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first()
    if rsvp is None or not rsvp.has_place:
        return None
    context = {"meeting": meeting, "community": meeting.community, **_one_click(meeting, user)}
    return _render(PROMOTED, user, meeting.community_id, context)


def render_outputs(message: Message) -> Email | None:
    meeting = _meeting_for(message)
    if meeting is None or meeting.is_cancelled:
        return None
    outputs = list(meeting.outputs.select_related("owner"))
    if not outputs:
        return None
    user = message.recipient
    context = {
        "meeting": meeting,
        "community": meeting.community,
        "outputs": outputs,
        "attended": Attendance.objects.filter(meeting=meeting, user=user).exists(),
    }
    return _render(OUTPUTS, user, meeting.community_id, context)


def render_proposal(message: Message) -> Email | None:
    proposal = (
        TopicProposal.objects.select_related("community", "meeting", "thread")
        .filter(pk=message.payload.get("proposal"), state=TopicProposal.State.PLANNED)
        .first()
    )
    user = message.recipient
    if proposal is None or not proposal_recipients(proposal).filter(pk=user.pk).exists():
        return None
    if not _wanted(user, PROPOSAL, proposal.community_id):
        return None
    context = {
        "proposal": proposal,
        "community": proposal.community,
        "is_proposer": user.pk == proposal.proposer_id,
    }
    return _render(PROPOSAL, user, proposal.community_id, context)


HANDLERS: dict[str, Callable[[Message], Email | None]] = {
    ANNOUNCED: render_announcement,
    REMINDER: render_reminder,
    CHANGED: render_changed,
    CANCELLED: render_changed,
    PROMOTED: render_promoted,
    OUTPUTS: render_outputs,
    PROPOSAL: render_proposal,
}


def register() -> None:
    for kind, handler in HANDLERS.items():
        register_kind(kind, handler)
    labels = {
        ANNOUNCED: _("New meetings"),
        REMINDER: _("Reminders of meetings you answered"),
        OUTPUTS: _("What meetings produced"),
        PROPOSAL: _("Your topic proposals taken up"),
    }
    for kind, label in labels.items():
        register_preference(
            kind, label=label, default=Preference.Mode.IMMEDIATELY, choices="switch"
        )
