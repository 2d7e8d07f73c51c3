"""Celery entry points for value cycles: find due follow-ups and ask each exactly once
(the email goes through the outbox, recorded with the asking)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from discussions.models import Thread
from value_cycles.emails import follow_up_record, follow_up_wanted
from value_cycles.models import FollowUp
from value_cycles.permissions import follow_up_recipients_ok

DUE_STATES = [FollowUp.State.PENDING, FollowUp.State.SNOOZED]
BATCH = 500


@shared_task(name="value_cycles.send_due_follow_ups", ignore_result=True, acks_late=True)
def send_due_follow_ups() -> int:
    """Record follow-ups for newly accepted answers, then ask every due one. Returns how
    many were asked. Idempotent: each asking is one conditional state change."""
    record_accepted_answer_follow_ups()
    due = FollowUp.objects.filter(state__in=DUE_STATES, due_at__lte=timezone.now())
    ids = list(due.order_by("due_at").values_list("pk", flat=True)[:BATCH])
    return sum(ask_follow_up(follow_up_id=pk) for pk in ids)


def record_accepted_answer_follow_ups() -> int:
    """A follow-up for the asker of every question whose answer was accepted lately
    (threads active within the follow-up delay), once per (asker, answer): the unique
    constraint makes a second run add nothing. The thread keeps no time of acceptance,
    so the delay counts from when this sweep first sees it (within the hour)."""
    now = timezone.now()
    recorded = FollowUp.objects.filter(
        reason=FollowUp.Reason.ACCEPTED_ANSWER,
        user_id=OuterRef("author_id"),
        source_reply_id=OuterRef("accepted_reply_id"),
    )
    threads = (
        Thread.objects.filter(
            kind=Thread.Kind.QUESTION,
            accepted_reply__isnull=False,
            author__isnull=False,
            deleted_at__isnull=True,
            last_activity_at__gte=now - timedelta(days=settings.COP_VALUE_FOLLOW_UP_DAYS),
        )
        .exclude(accepted_reply__author_id=F("author_id"))
        .filter(~Exists(recorded))
        .values_list("author_id", "community_id", "accepted_reply_id")[:BATCH]
    )
    due_at = now + timedelta(days=settings.COP_VALUE_FOLLOW_UP_DAYS)
    rows = [
        FollowUp(
            user_id=author_id,
            community_id=community_id,
            reason=FollowUp.Reason.ACCEPTED_ANSWER,
            source_reply_id=reply_id,
            due_at=due_at,
        )
        for author_id, community_id, reply_id in threads
    ]
    return len(FollowUp.objects.bulk_create(rows, ignore_conflicts=True))


@shared_task(name="value_cycles.ask_follow_up", ignore_result=True, acks_late=True)
def ask_follow_up(*, follow_up_id: int) -> bool:
    """Ask one due follow-up. The move to ASKED is a conditional UPDATE: of two runs only
    one changes the row, and only that one sends. Someone no longer in the community
    (or no longer able to read the source) is not asked: the follow-up closes."""
    follow_up = (
        FollowUp.objects.select_related(
            "user",
            "community",
            "source_reply__thread",
            "source_thread",
            "source_page",
            "source_meeting",
        )
        .filter(pk=follow_up_id, state__in=DUE_STATES, due_at__lte=timezone.now())
        .first()
    )
    if follow_up is None:
        return False
    if not follow_up_recipients_ok(follow_up) or not follow_up_wanted(
        follow_up.user, follow_up.community_id
    ):
        FollowUp.objects.filter(pk=follow_up.pk, state__in=DUE_STATES).update(
            state=FollowUp.State.CLOSED
        )
        return False
    now = timezone.now()
    with transaction.atomic():
        changed = FollowUp.objects.filter(pk=follow_up.pk, state=follow_up.state).update(
            state=FollowUp.State.ASKED, asked_at=now, times_asked=F("times_asked") + 1
        )
        if not changed:
            return False  # another run asked it just now
        follow_up.refresh_from_db(fields=["state", "asked_at", "times_asked"])
        # The email is recorded with the asking: both happen or neither.
        follow_up_record(follow_up=follow_up)
    return True
