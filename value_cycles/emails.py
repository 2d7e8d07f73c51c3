"""Follow-up emails, through the outbox: `follow_up_record` writes the message in the
transaction that moves the follow-up to "asked"; `render_follow_up` renders it at send
time, in the recipient's language, and sends nothing when the follow-up was answered
or asked again since, the person may no longer be asked, or switched these emails off.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import preference_mode
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue
from value_cycles.models import FollowUp
from value_cycles.permissions import follow_up_recipients_ok
from value_cycles.signing import follow_up_token

KIND = "value_cycles.follow_up"


def follow_up_source_title(follow_up: FollowUp) -> str:
    if follow_up.source_reply is not None:
        return follow_up.source_reply.thread.title
    if follow_up.source_thread is not None:
        return follow_up.source_thread.title
    if follow_up.source_page is not None:
        return follow_up.source_page.title
    if follow_up.source_meeting is not None:
        return follow_up.source_meeting.title
    return ""


def follow_up_wanted(user: User, community_id: int) -> bool:
    return preference_mode(user, KIND, community_id) != Preference.Mode.OFF


def follow_up_record(*, follow_up: FollowUp) -> None:
    """One message per asking (call inside the transaction that asked it)."""
    message_enqueue(
        recipient=follow_up.user,
        kind=KIND,
        key=f"follow_up:{follow_up.pk}:{follow_up.times_asked}",
        payload={"follow_up": follow_up.pk, "times_asked": follow_up.times_asked},
    )


def render_follow_up(message: Message) -> Email | None:
    follow_up = (
        FollowUp.objects.select_related(
            "user",
            "community",
            "source_reply__thread",
            "source_thread",
            "source_page",
            "source_meeting",
        )
        .filter(
            pk=message.payload.get("follow_up"),
            user_id=message.recipient_id,
            state=FollowUp.State.ASKED,
            times_asked=message.payload.get("times_asked"),
        )
        .first()
    )
    if follow_up is None or not follow_up_recipients_ok(follow_up):
        return None
    if not follow_up_wanted(follow_up.user, follow_up.community_id):
        return None
    token = follow_up_token(follow_up_id=follow_up.pk, times_asked=follow_up.times_asked)
    return render_email(
        "value_cycles/emails/follow_up",
        recipient=follow_up.user,
        context={
            "community": follow_up.community,
            "follow_up": follow_up,
            "title": follow_up_source_title(follow_up),
            "path": reverse("value_cycles:follow-up", kwargs={"token": token}),
        },
        stream=(KIND, follow_up.community_id),
    )


def register() -> None:
    register_kind(KIND, render_follow_up)
    register_preference(
        KIND,
        label=_("“Did it make a difference?” questions"),
        default=Preference.Mode.IMMEDIATELY,
        choices="switch",
    )
