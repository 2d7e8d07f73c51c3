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
from django.db.models import Max, OuterRef, Subquery
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from communities.models import Community, Membership
from communities.permissions import access_annotations
from discussions.models import KnowledgePage, Thread
from discussions.permissions import (
    can_read_knowledge_page,
    can_read_thread,
    knowledge_pages_visible_to,
    threads_visible_to,
)
from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import DIGEST, FREQUENCY_DAYS, preference_default
from outbox.registry import Email, register_batch_kind, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue_many

KIND = "discussions.digest"
# People per task: the build and the batch delivery take a fixed number of queries
# each, so the queries per person fall as the batch grows; one SMTP connection each.
DIGEST_BATCH = 1000
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


def _preference(user_ref: Any, community_ref: Any) -> Subquery:
    return Subquery(
        Preference.objects.filter(user_id=user_ref, kind=DIGEST, community_id=community_ref)
        .order_by()
        .values("value")[:1]
    )


def digest_windows(
    user_ids: list[int], now: datetime, *, only_due: bool = True
) -> dict[int, dict[int, datetime]]:
    """{person: {community: since}} for the communities whose digest is due today in
    the person's zone (or, with only_due=False, all whose digest is not off). Two
    queries: the memberships with the person's zone and digest choices, the last
    digests."""
    return _windows_and_zones(user_ids, now, only_due=only_due)[0]


def _windows_and_zones(
    user_ids: list[int], now: datetime, *, only_due: bool
) -> tuple[dict[int, dict[int, datetime]], dict[int, str]]:
    rows = list(
        Membership.objects.filter(
            user_id__in=user_ids,
            user__is_active=True,
            state=Membership.State.ACTIVE,
            role__gte=Membership.Role.MEMBER,
        )
        .annotate(
            here=_preference(OuterRef("user_id"), OuterRef("community_id")),
            everywhere=Subquery(
                Preference.objects.filter(
                    user_id=OuterRef("user_id"), kind=DIGEST, community_id__isnull=True
                )
                .order_by()
                .values("value")[:1]
            ),
        )
        .values_list("user_id", "community_id", "user__time_zone", "here", "everywhere")
    )
    if not rows:
        return {}, {}
    last = _last_digests(list({row[0] for row in rows}), now)
    windows: dict[int, dict[int, datetime]] = {}
    zones: dict[int, str] = {}
    for user_id, community_id, zone, here, everywhere in rows:
        zones[user_id] = zone
        frequency = here or everywhere or preference_default(DIGEST)
        if frequency == Frequency.OFF:
            continue
        local_day = now.astimezone(zoneinfo.ZoneInfo(zone)).date()
        if only_due and not is_due(frequency, local_day):
            continue
        days = FREQUENCY_DAYS[Frequency(frequency)]
        since = last.get((user_id, community_id), now - timedelta(days=days))
        windows.setdefault(user_id, {})[community_id] = since
    return windows, zones


def digests_build(*, user_ids: list[int], now: datetime) -> int:
    """Record the digests of one batch (see the module docstring); returns how many
    people get one. A fixed number of queries, whatever the batch size."""
    windows, zones = _windows_and_zones(user_ids, now, only_due=True)
    if not windows:
        return 0
    community_ids = {cid for w in windows.values() for cid in w}
    earliest = min(since for w in windows.values() for since in w.values())
    threads = (
        Thread.objects.filter(
            community_id__in=community_ids,
            last_activity_at__gt=earliest,
            deleted_at__isnull=True,
            is_hidden=False,
        )
        .order_by()
        .values("community_id")
        .annotate(latest=Max("last_activity_at"))
        .values_list("community_id", "latest")
    )
    pages = (
        KnowledgePage.objects.filter(community_id__in=community_ids, created_at__gt=earliest)
        .order_by()
        .values("community_id")
        .annotate(latest=Max("created_at"))
        .values_list("community_id", "latest")
    )
    latest: dict[int, datetime] = {}
    for community_id, moment in threads.union(pages, all=True):
        latest[community_id] = max(latest.get(community_id, moment), moment)
    items = []
    for user_id, window in windows.items():
        fresh = {cid: since for cid, since in window.items() if latest.get(cid, since) > since}
        if not fresh:
            continue
        local_day = now.astimezone(zoneinfo.ZoneInfo(zones[user_id])).date()
        payload = {"communities": {str(cid): since.isoformat() for cid, since in fresh.items()}}
        items.append((user_id, f"digest:{local_day.isoformat()}", payload))
    message_enqueue_many(kind=KIND, items=items, batched=True)
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
    communities = {c.pk: c for c in Community.objects.filter(pk__in=windows)}
    return _render(user, windows, content, communities)


def render_digest(message: Message) -> Email | None:
    return render_digest_for(message.recipient, _windows_of(message))


def render_digests(messages: list[Message]) -> dict[int, Email | None]:
    """`render_digest` for a whole batch, in six queries however many they are: the
    recipients with their access (communities.permissions.access_annotations), their
    expertise, the threads and the pages new in any of their communities (with the
    threads' tags) and the communities. Each recipient then gets only what the same
    rule (`can_read_thread`, `can_read_knowledge_page`) lets them read now."""
    windows = {m.pk: _windows_of(m) for m in messages}
    community_ids = {cid for w in windows.values() for cid in w}
    if not community_ids:
        return {m.pk: None for m in messages}
    earliest = min(since for w in windows.values() for since in w.values())
    users = {
        user.pk: user
        for user in User.objects.filter(pk__in={m.recipient_id for m in messages})
        .annotate(**access_annotations())
        .prefetch_related("expertise")  # type: ignore[misc]  # taggit managers prefetch; the stubs do not know
    }
    threads = list(
        Thread.objects.filter(
            community_id__in=community_ids,
            last_activity_at__gt=earliest,
            deleted_at__isnull=True,
            is_hidden=False,
        )
        .select_related("community")
        .prefetch_related("tags")  # type: ignore[misc]  # as above
        .order_by("-last_activity_at", "-pk")[: 100 * len(community_ids)]
    )
    pages = list(
        KnowledgePage.objects.filter(community_id__in=community_ids, created_at__gt=earliest)
        .select_related("community")
        .order_by("-created_at")[: MAX_PAGES * 3 * len(community_ids)]
    )
    communities = {c.pk: c for c in Community.objects.filter(pk__in=community_ids)}
    tags = {t.pk: {tag.name.casefold() for tag in t.tags.all()} for t in threads}
    emails: dict[int, Email | None] = {}
    for message in messages:
        user, window = users.get(message.recipient_id), windows[message.pk]
        if user is None or not window:
            emails[message.pk] = None
            continue
        expertise = {tag.name.casefold() for tag in user.expertise.all()}
        mine = [
            t
            for t in threads
            if t.community_id in window
            and t.last_activity_at > window[t.community_id]
            and can_read_thread(user, t)
        ][:100]
        matching = {
            t.pk
            for t in mine
            if t.kind == Thread.Kind.QUESTION and t.reply_count == 0 and tags[t.pk] & expertise
        }
        content = {
            "questions": [t for t in mine if t.pk in matching][:MAX_THREADS],
            "threads": [t for t in mine if t.pk not in matching][:MAX_THREADS],
            "pages": [
                p
                for p in pages
                if p.community_id in window
                and p.created_at > window[p.community_id]
                and can_read_knowledge_page(user, p)
            ][:MAX_PAGES],
        }
        emails[message.pk] = _render(user, window, content, communities)
    return emails


def _render(
    user: User,
    windows: dict[int, datetime],
    content: dict[str, Any],
    communities: dict[int, Community],
) -> Email | None:
    if not any(content.values()):
        return None
    shown = sorted((communities[c] for c in windows if c in communities), key=lambda c: c.name)
    scope = shown[0].pk if len(shown) == 1 else None
    return render_email(
        "discussions/emails/digest",
        recipient=user,
        context={**content, "communities": shown, "since": min(windows.values())},
        stream=(DIGEST, scope),
    )


def register() -> None:
    register_kind(KIND, render_digest)
    register_batch_kind(KIND, render_digests)
    register_preference(DIGEST, label=_("Digest"), default=Frequency.WEEKLY, choices="frequency")
