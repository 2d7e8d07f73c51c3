"""Activity in a thread, emailed to the people the on-site notifications are for.

The notification hooks call `activity_enqueue` in their transaction: one outbox message
per recipient and thread per COP_EMAIL_GROUP_SECONDS window, held back for that window,
so that several replies in quick succession arrive as one email. At send time the
handler gathers the recipient's notifications on the thread not emailed yet, keeps those
whose kind they want immediately, re-checks that they may read the thread (and that they
did not mute it since), and marks them emailed once the SMTP server took the email.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from discussions.models import Notification, Reply, Subscription, Thread
from discussions.permissions import can_read_thread, threads_visible_to
from discussions.selectors.subscriptions import subscription_level
from members.models import User
from outbox.links import action_url
from outbox.models import Message, Preference
from outbox.preferences import preference_modes
from outbox.registry import Email, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

ACTIVITY = "discussions.activity"
MUTE_THREAD = "discussions.mute_thread"
Kind = Notification.Kind
PREFERENCE: dict[str, str] = {kind: f"discussions.{kind}" for kind in Kind.values}
EXCERPT = 400


def _preference_labels() -> dict[str, Any]:
    return {
        Kind.REPLY: gettext_lazy("Replies to you"),
        Kind.MENTION: gettext_lazy("Mentions of you"),
        Kind.ACCEPTED: gettext_lazy("Your answer accepted"),
        Kind.WATCHED_REPLY: gettext_lazy("Replies in threads you watch"),
        Kind.NEW_THREAD: gettext_lazy("New threads in communities you watch"),
    }


DEFAULTS: dict[str, str] = {
    Kind.REPLY: Preference.Mode.IMMEDIATELY,
    Kind.MENTION: Preference.Mode.IMMEDIATELY,
    Kind.ACCEPTED: Preference.Mode.IMMEDIATELY,
    Kind.WATCHED_REPLY: Preference.Mode.DIGEST,
    Kind.NEW_THREAD: Preference.Mode.DIGEST,
}


def _window_key(thread: Thread) -> str:
    seconds = max(settings.COP_EMAIL_GROUP_SECONDS, 1)
    return f"thread:{thread.pk}:{int(timezone.now().timestamp()) // seconds}"


def activity_enqueue(*, thread: Thread, kinds: dict[int, str]) -> None:
    """For those among `kinds` ({recipient id: notification kind}) who want this kind
    immediately in this community: one message for the thread's current window. Two
    queries (preferences, insert) and the read-back, whatever the number of people."""
    if not kinds:
        return
    modes = preference_modes(
        user_ids=kinds, kinds=set(PREFERENCE.values()), community_id=thread.community_id
    )
    key = _window_key(thread)
    items = [
        (user_id, key, {"thread": thread.pk})
        for user_id, kind in kinds.items()
        if modes[(user_id, PREFERENCE[kind])] == Preference.Mode.IMMEDIATELY
    ]
    message_enqueue_many(
        kind=ACTIVITY, items=items, delay=timedelta(seconds=settings.COP_EMAIL_GROUP_SECONDS)
    )


def _gone(post: Thread | Reply) -> bool:
    return post.is_hidden or post.deleted_at is not None


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def render_activity(message: Message) -> Email | None:
    recipient: User = message.recipient
    thread_obj = (
        Thread.objects.select_related("community").filter(pk=message.payload.get("thread")).first()
    )
    if thread_obj is None or _gone(thread_obj) or not can_read_thread(recipient, thread_obj):
        return None
    if subscription_level(recipient, thread_obj) == Subscription.Level.MUTE:
        return None
    modes = preference_modes(
        user_ids=[recipient.pk],
        kinds=set(PREFERENCE.values()),
        community_id=thread_obj.community_id,
    )
    notifications = [
        n
        for n in Notification.objects.filter(
            recipient=recipient, thread=thread_obj, emailed_at__isnull=True
        )
        .select_related("actor", "reply")
        .order_by("created_at", "pk")
        if modes[(recipient.pk, PREFERENCE[n.kind])] == Preference.Mode.IMMEDIATELY
        and (n.reply is None or not _gone(n.reply))
    ]
    if not notifications:
        return None
    site_url = settings.SITE_URL.rstrip("/")
    items = [
        {
            # Lazy: rendered inside the recipient's language.
            "actor": n.actor.name if n.actor else gettext_lazy("Someone"),
            "what": Kind(n.kind).label,
            "excerpt": _excerpt(n.reply.body if n.reply else thread_obj.body),
            "url": site_url
            + thread_obj.get_absolute_url()
            + (f"#reply-{n.reply_id}" if n.reply_id else ""),
        }
        for n in notifications
    ]
    ids = [n.pk for n in notifications]
    email = render_email(
        "discussions/emails/activity",
        recipient=recipient,
        context={
            "thread": thread_obj,
            "community": thread_obj.community,
            "items": items,
            "thread_url": site_url + thread_obj.get_absolute_url(),
            "mute_url": action_url(
                user_id=recipient.pk, action=MUTE_THREAD, params={"thread": thread_obj.pk}
            ),
        },
        stream=(PREFERENCE[notifications[0].kind], thread_obj.community_id),
    )

    def mark_emailed() -> None:
        Notification.objects.filter(pk__in=ids, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )

    email.on_sent = mark_emailed
    return email


def _visible_thread(user: User, params: dict[str, Any]) -> Thread | None:
    thread_id = params.get("thread")
    if not isinstance(thread_id, int):
        return None
    return threads_visible_to(user).filter(pk=thread_id).first()


def mute_describe(user: User, params: dict[str, Any]) -> str | None:
    thread = _visible_thread(user, params)
    if thread is None:
        return None
    return _("Mute the thread “%(title)s”? You get no more emails or notifications about it.") % {
        "title": thread.title
    }


def register() -> None:
    from outbox.registry import register_kind

    register_kind(ACTIVITY, render_activity)
    labels = _preference_labels()
    for kind, preference in PREFERENCE.items():
        register_preference(preference, label=labels[kind], default=DEFAULTS[kind])
