"""Emails to a community's facilitators: a new flag, a new member's first question."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from communities.permissions import Role, community_recipients
from discussions.models import Flag, Reply, Thread
from discussions.permissions import can_moderate, can_read_thread
from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import preference_mode
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

FLAG = "discussions.flag"
FIRST_QUESTION = "discussions.first_question"


def _to_facilitators(
    *, kind: str, thread: Thread, key: str, payload: dict[str, int], skip: int | None = None
) -> None:
    facilitators = community_recipients(thread.community, Role.FACILITATOR)
    if skip is not None:
        facilitators = facilitators.exclude(pk=skip)
    message_enqueue_many(
        kind=kind,
        items=[(uid, key, payload) for uid in facilitators.values_list("pk", flat=True)],
    )


def flag_enqueue(flag: Flag, thread: Thread) -> None:
    _to_facilitators(kind=FLAG, thread=thread, key=f"flag:{flag.pk}", payload={"flag": flag.pk})


def first_question_enqueue(thread: Thread) -> None:
    """When the thread is its author's first question in the community."""
    if thread.kind != Thread.Kind.QUESTION or thread.author_id is None:
        return
    earlier = Thread.objects.filter(
        community_id=thread.community_id, author_id=thread.author_id, kind=Thread.Kind.QUESTION
    ).exclude(pk=thread.pk)
    if earlier.exists():
        return
    _to_facilitators(
        kind=FIRST_QUESTION,
        thread=thread,
        key=f"thread:{thread.pk}",
        payload={"thread": thread.pk},
        skip=thread.author_id,
    )


def _wanted(user: User, kind: str, community_id: int) -> bool:
    return preference_mode(user, kind, community_id) != Preference.Mode.OFF


def render_flag(message: Message) -> Email | None:
    recipient: User = message.recipient
    flag = (
        Flag.objects.select_related("community", "thread", "reply__thread", "reporter")
        .filter(pk=message.payload.get("flag"), resolved_at__isnull=True)
        .first()
    )
    if flag is None or not can_moderate(recipient, flag.community):
        return None
    if not _wanted(recipient, FLAG, flag.community_id):
        return None
    post: Thread | Reply | None = flag.thread or flag.reply
    if post is None:
        return None
    thread = post if isinstance(post, Thread) else post.thread
    return render_email(
        "discussions/emails/flag",
        recipient=recipient,
        context={
            "flag": flag,
            "community": flag.community,
            "thread": thread,
            "queue_url": settings.SITE_URL.rstrip("/")
            + reverse("discussions:moderation-queue", kwargs={"slug": flag.community.slug}),
        },
        stream=(FLAG, flag.community_id),
    )


def render_first_question(message: Message) -> Email | None:
    recipient: User = message.recipient
    thread = (
        Thread.objects.select_related("community", "author")
        .filter(pk=message.payload.get("thread"), deleted_at__isnull=True, is_hidden=False)
        .first()
    )
    if thread is None or not can_read_thread(recipient, thread):
        return None
    if not can_moderate(recipient, thread.community):
        return None
    if not _wanted(recipient, FIRST_QUESTION, thread.community_id):
        return None
    return render_email(
        "discussions/emails/first_question",
        recipient=recipient,
        context={
            "thread": thread,
            "community": thread.community,
            "thread_url": settings.SITE_URL.rstrip("/") + thread.get_absolute_url(),
        },
        stream=(FIRST_QUESTION, thread.community_id),
    )


def register() -> None:
    register_kind(FLAG, render_flag)
    register_kind(FIRST_QUESTION, render_first_question)
    register_preference(
        FLAG,
        label=_("Reported posts (for facilitators)"),
        default=Preference.Mode.IMMEDIATELY,
        for_facilitators=True,
    )
    register_preference(
        FIRST_QUESTION,
        label=_("A new member's first question (for facilitators)"),
        default=Preference.Mode.IMMEDIATELY,
        for_facilitators=True,
    )
