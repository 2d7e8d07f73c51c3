"""Digests: what happened in a person's communities since their last digest.

Scheduling (`digests_schedule`, hourly by beat): the people whose local time is
COP_DIGEST_HOUR now are split into batches of DIGEST_BATCH; `digests_build` decides
per batch, in a fixed number of queries, who has something new in a community whose
digest falls due today (daily; weekly on Monday; every two weeks on Monday of even
weeks; monthly on the 1st), and records one outbox message per person and local date:
running the job again, or twice at once, records nothing new.

Rendering (`render_digest`, at send time): re-reads everything through the
permission querysets for the recipient, so confidential text reaches only readers
now; returns None (nothing sent) when nothing new is left.
"""

import zoneinfo
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Membership
from discussions.models import KnowledgePage, Thread
from discussions.permissions import knowledge_pages_visible_to, threads_visible_to
from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import DIGEST, FREQUENCY_DAYS, preference_default
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

KIND = "discussions.digest"
DIGEST_BATCH = 300
MAX_THREADS = 10
MAX_PAGES = 5
Frequency = Preference.Frequency


def is_due(frequency: str, day: date) -> bool:
    if frequency == Frequency.DAILY:
        return True
    if frequency == Frequency.WEEKLY:
        return day.weekday() == 0
    if frequency == Frequency.BIWEEKLY:
        return day.weekday() == 0 and day.isocalendar().week % 2 == 0
    if frequency == Frequency.MONTHLY:
        return day.day == 1
    return False


def zones_in_digest_hour(now: datetime, zones: Iterable[str]) -> list[str]:
    return [
        zone
        for zone in zones
        if now.astimezone(zoneinfo.ZoneInfo(zone)).hour == settings.COP_DIGEST_HOUR
    ]


def digest_recipient_batches(now: datetime) -> list[list[int]]:
    """Ids of the active members whose morning it is, in batches. Two queries."""
    zones = zones_in_digest_hour(
        now, User.objects.filter(is_active=True).values_list("time_zone", flat=True).distinct()
    )
    if not zones:
        return []
    ids = list(
        User.objects.filter(
            is_active=True,
            time_zone__in=zones,
            memberships__state=Membership.State.ACTIVE,
            memberships__role__gte=Membership.Role.MEMBER,
        )
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return [ids[i : i + DIGEST_BATCH] for i in range(0, len(ids), DIGEST_BATCH)]


def _frequencies(user_ids: list[int]) -> dict[tuple[int, int | None], str]:
    return {
        (user_id, community_id): value
        for user_id, community_id, value in Preference.objects.filter(
            user_id__in=user_ids, kind=DIGEST
        ).values_list("user_id", "community_id", "value")
    }


def _last_digests(user_ids: list[int], now: datetime) -> dict[tuple[int, int], datetime]:
    """When each (person, community) was last in a digest that went out."""
    last: dict[tuple[int, int], datetime] = {}
    for recipient_id, payload, sent_at in (
        Message.objects.filter(
            kind=KIND,
            state=Message.State.SENT,
            recipient_id__in=user_ids,
            sent_at__gte=now - timedelta(days=FREQUENCY_DAYS[Frequency.MONTHLY] + 1),
        )
        .order_by("sent_at")
        .values_list("recipient_id", "payload", "sent_at")
    ):
        for community_id in payload.get("communities", {}):
            if sent_at is not None:
                last[(recipient_id, int(community_id))] = sent_at
    return last


def digest_windows(
    user_ids: list[int], now: datetime, *, only_due: bool = True
) -> dict[int, dict[int, datetime]]:
    """{person: {community: since}} for the communities whose digest is due today in
    the person's zone (or, with only_due=False, all whose digest is not off)."""
    users = dict(
        User.objects.filter(pk__in=user_ids, is_active=True).values_list("pk", "time_zone")
    )
    chosen = _frequencies(list(users))
    last = _last_digests(list(users), now)
    windows: dict[int, dict[int, datetime]] = {}
    for user_id, community_id in Membership.objects.filter(
        user_id__in=users, state=Membership.State.ACTIVE, role__gte=Membership.Role.MEMBER
    ).values_list("user_id", "community_id"):
        frequency = chosen.get(
            (user_id, community_id), chosen.get((user_id, None), preference_default(DIGEST))
        )
        if frequency == Frequency.OFF:
            continue
        local_day = now.astimezone(zoneinfo.ZoneInfo(users[user_id])).date()
        if only_due and not is_due(frequency, local_day):
            continue
        days = FREQUENCY_DAYS[Frequency(frequency)]
        since = last.get((user_id, community_id), now - timedelta(days=days))
        windows.setdefault(user_id, {})[community_id] = since
    return windows


def digests_build(*, user_ids: list[int], now: datetime) -> int:
    """Record the digests of one batch (see the module docstring); returns how many
    people get one. A fixed number of queries, whatever the batch size."""
    windows = digest_windows(user_ids, now)
    if not windows:
        return 0
    community_ids = {cid for w in windows.values() for cid in w}
    earliest = min(since for w in windows.values() for since in w.values())
    latest: dict[int, datetime] = dict(
        Thread.objects.filter(
            community_id__in=community_ids,
            last_activity_at__gt=earliest,
            deleted_at__isnull=True,
            is_hidden=False,
        )
        .values("community_id")
        .annotate(latest=Max("last_activity_at"))
        .values_list("community_id", "latest")
    )
    for community_id, created in (
        KnowledgePage.objects.filter(community_id__in=community_ids, created_at__gt=earliest)
        .values("community_id")
        .annotate(latest=Max("created_at"))
        .values_list("community_id", "latest")
    ):
        latest[community_id] = max(latest.get(community_id, created), created)
    zones = dict(User.objects.filter(pk__in=windows).values_list("pk", "time_zone"))
    items = []
    for user_id, window in windows.items():
        fresh = {cid: since for cid, since in window.items() if latest.get(cid, since) > since}
        if not fresh:
            continue
        local_day = now.astimezone(zoneinfo.ZoneInfo(zones[user_id])).date()
        payload = {"communities": {str(cid): since.isoformat() for cid, since in fresh.items()}}
        items.append((user_id, f"digest:{local_day.isoformat()}", payload))
    message_enqueue_many(kind=KIND, items=items)
    return len(items)


def digest_content(user: User, windows: dict[int, datetime]) -> dict[str, Any]:
    """What a digest shows `user` for {community: since}, read now through the
    permission querysets: questions matching their expertise without an answer first,
    then the most active threads, then new knowledge pages."""
    if not windows:
        return {"questions": [], "threads": [], "pages": []}
    earliest = min(windows.values())
    threads = [
        t
        for t in threads_visible_to(user)
        .filter(
            community_id__in=windows,
            last_activity_at__gt=earliest,
            deleted_at__isnull=True,
            is_hidden=False,
        )
        .select_related("community")
        .order_by("-last_activity_at", "-pk")[:100]
        if t.last_activity_at > windows[t.community_id]
    ]
    expertise = {name.casefold() for name in user.expertise.names()}
    matching: set[int] = set()
    if expertise:
        open_questions = [
            t.pk for t in threads if t.kind == Thread.Kind.QUESTION and t.reply_count == 0
        ]
        matching = (
            set(
                Thread.objects.filter(pk__in=open_questions, tags__name__in=expertise)
                .values_list("pk", flat=True)
                .distinct()
            )
            if open_questions
            else set()
        )
    questions = [t for t in threads if t.pk in matching][:MAX_THREADS]
    others = [t for t in threads if t.pk not in matching][:MAX_THREADS]
    pages = [
        p
        for p in knowledge_pages_visible_to(user)
        .filter(community_id__in=windows, created_at__gt=earliest)
        .select_related("community")
        .order_by("-created_at")[: MAX_PAGES * 3]
        if p.created_at > windows[p.community_id]
    ][:MAX_PAGES]
    return {"questions": questions, "threads": others, "pages": pages}


def _windows_of(message: Message) -> dict[int, datetime]:
    windows = {}
    for community_id, since in message.payload.get("communities", {}).items():
        parsed = parse_datetime(since)
        if parsed is not None:
            windows[int(community_id)] = parsed
    return windows


def render_digest_for(user: User, windows: dict[int, datetime]) -> Email | None:
    content = digest_content(user, windows)
    if not any(content.values()):
        return None
    communities = list(Community.objects.filter(pk__in=windows).order_by("name"))
    scope = communities[0].pk if len(communities) == 1 else None
    return render_email(
        "discussions/emails/digest",
        recipient=user,
        context={**content, "communities": communities, "since": min(windows.values())},
        stream=(DIGEST, scope),
    )


def render_digest(message: Message) -> Email | None:
    return render_digest_for(message.recipient, _windows_of(message))


def register() -> None:
    register_kind(KIND, render_digest)
    register_preference(DIGEST, label=_("Digest"), default=Frequency.WEEKLY, choices="frequency")
