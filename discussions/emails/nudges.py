"""Nudges: a question still unanswered after COP_NUDGE_AFTER_DAYS days is put to up to
NUDGES_PER_QUESTION members whose expertise matches its tags. Nobody gets more than
one nudge per COP_NUDGE_INTERVAL_DAYS, nor one at night in their time zone (the hourly
job simply tries again later), nor one about their own question. Readers who never
post are only asked where their expertise fits, never reminded for reading.
"""

import zoneinfo
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from communities.permissions import Role, community_recipients
from discussions.models import TaggedThread, Thread
from discussions.permissions import can_read_thread
from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import preference_modes
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

KIND = "discussions.nudge"
NUDGES_PER_QUESTION = 3
# Local hours in which a nudge may arrive.
DAY_HOURS = range(9, 20)
# Questions older than this are left alone.
HORIZON_DAYS = 14


def _open_questions(now: datetime) -> list[Thread]:
    after = now - timedelta(days=settings.COP_NUDGE_AFTER_DAYS)
    return list(
        Thread.objects.filter(
            kind=Thread.Kind.QUESTION,
            reply_count=0,
            accepted_reply__isnull=True,
            deleted_at__isnull=True,
            is_hidden=False,
            created_at__lte=after,
            created_at__gte=now - timedelta(days=HORIZON_DAYS),
        ).select_related("community")
    )


def nudges_record(now: datetime) -> int:
    """Record the nudges due now; returns how many. Idempotent: a person is asked about
    a question once (the key), a question is put to at most NUDGES_PER_QUESTION people."""
    questions = _open_questions(now)
    if not questions:
        return 0
    asked = dict(
        Message.objects.filter(kind=KIND, key__in=[f"question:{t.pk}" for t in questions])
        .values("key")
        .annotate(n=Count("pk"))
        .values_list("key", "n")
    )
    recently = set(
        Message.objects.filter(
            kind=KIND, created_at__gte=now - timedelta(days=settings.COP_NUDGE_INTERVAL_DAYS)
        ).values_list("recipient_id", flat=True)
    )
    recorded = 0
    for thread in questions:
        key = f"question:{thread.pk}"
        room = NUDGES_PER_QUESTION - asked.get(key, 0)
        if room <= 0:
            continue
        tags = TaggedThread.objects.filter(content_object=thread).values("tag_id")
        candidates = (
            community_recipients(thread.community, Role.MEMBER)
            .filter(expertise_items__tag_id__in=tags)
            .exclude(pk=thread.author_id or 0)
            .exclude(pk__in=recently)
            .distinct()
            .order_by("pk")
            .values_list("pk", "time_zone")
        )
        awake = [
            pk
            for pk, zone in candidates
            if now.astimezone(zoneinfo.ZoneInfo(zone)).hour in DAY_HOURS
        ]
        modes = preference_modes(user_ids=awake, kinds=[KIND], community_id=thread.community_id)
        chosen = [pk for pk in awake if modes[(pk, KIND)] != Preference.Mode.OFF][:room]
        message_enqueue_many(kind=KIND, items=[(pk, key, {"thread": thread.pk}) for pk in chosen])
        recently.update(chosen)
        recorded += len(chosen)
    return recorded


def render_nudge(message: Message) -> Email | None:
    recipient: User = message.recipient
    thread = (
        Thread.objects.select_related("community")
        .filter(pk=message.payload.get("thread"), reply_count=0, deleted_at__isnull=True)
        .first()
    )
    if thread is None or thread.is_hidden or not can_read_thread(recipient, thread):
        return None
    return render_email(
        "discussions/emails/nudge",
        recipient=recipient,
        context={
            "thread": thread,
            "community": thread.community,
            "thread_url": settings.SITE_URL.rstrip("/") + thread.get_absolute_url(),
        },
        stream=(KIND, thread.community_id),
    )


def register() -> None:
    register_kind(KIND, render_nudge)
    register_preference(
        KIND, label=_("Questions that match your expertise"), default=Preference.Mode.IMMEDIATELY
    )
