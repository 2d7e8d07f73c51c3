"""Across communities: each community whose console the viewer may open, with its
health and what needs attention, sorted by urgency. One query however many communities
and posts: every figure is a subquery of the community row.

Per community: the counts of `attention.attention_counts`, the unanswered questions and
unreplied threads (`attention.open_threads_q`) and how many of them are older than
STALE_DAYS, the posts (threads and replies) of the last 30 days and of the 30 days
before, and the active members.

Urgency, highest first (ties by name):
    3 x (requests + open flags)      (people and posts wait for a facilitator)
  + 2 x open items older than STALE_DAYS + meetings without outputs
  + open items younger than that + pending invitations / 2 (rounded down)
  + 3 when posts of the last 30 days fell below half of the 30 days before.
Requests, invitations and flags count only where the viewer facilitates (they are the
facilitators' own pages); core members see the rest.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Community, Membership
from discussions.models import Reply, Thread
from facilitation.permissions import can_act_in_console, console_communities_for
from facilitation.selectors.attention import attention_counts, open_threads_q
from members.types import Viewer

STALE_DAYS = 3
WINDOW = timedelta(days=30)


@dataclass
class CommunityHealth:
    community: Community
    manages: bool
    requests: int
    invitations: int
    flags: int
    meetings_without_outputs: int
    open_items: int
    stale_items: int
    posts_now: int
    posts_before: int
    members: int

    @property
    def falling(self) -> bool:
        return self.posts_before > 0 and self.posts_now * 2 < self.posts_before

    @property
    def urgency(self) -> int:
        own = 3 * (self.requests + self.flags) + self.invitations // 2 if self.manages else 0
        fresh = self.open_items - self.stale_items
        return (
            own
            + 2 * (self.stale_items + self.meetings_without_outputs)
            + fresh
            + (3 if self.falling else 0)
        )

    @property
    def waiting(self) -> int:
        own = self.requests + self.invitations + self.flags if self.manages else 0
        return own + self.open_items + self.meetings_without_outputs


def _count(queryset) -> Coalesce:  # type: ignore[no-untyped-def]
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def overview_for(user: Viewer, now: datetime | None = None) -> list[CommunityHealth]:
    """The viewer's communities, most urgent first (one query)."""
    now = now or timezone.now()
    here = OuterRef("pk")
    open_threads = Thread.objects.filter(open_threads_q(), community_id=here)
    stale = now - timedelta(days=STALE_DAYS)

    def posts(since: datetime, until: datetime) -> Coalesce:
        window = {"created_at__gte": since, "created_at__lt": until, "deleted_at": None}
        return _count(Thread.objects.filter(community_id=here, **window))

    def replies(since: datetime, until: datetime) -> Coalesce:
        window = {"created_at__gte": since, "created_at__lt": until, "deleted_at": None}
        return _count(Reply.objects.filter(community_id=here, **window))

    communities = console_communities_for(user).annotate(
        **attention_counts(here, now),
        n_open=_count(open_threads),
        n_stale=_count(open_threads.filter(created_at__lt=stale)),
        n_threads_now=posts(now - WINDOW, now + WINDOW),
        n_replies_now=replies(now - WINDOW, now + WINDOW),
        n_threads_before=posts(now - 2 * WINDOW, now - WINDOW),
        n_replies_before=replies(now - 2 * WINDOW, now - WINDOW),
        n_members=_count(
            Membership.objects.filter(
                community_id=here,
                state=Membership.State.ACTIVE,
                role__gte=Membership.Role.MEMBER,
            )
        ),
    )
    rows = [
        CommunityHealth(
            community=c,
            manages=can_act_in_console(user, c),
            requests=c.n_requests,
            invitations=c.n_invitations,
            flags=c.n_flags,
            meetings_without_outputs=c.n_meetings,
            open_items=c.n_open,
            stale_items=c.n_stale,
            posts_now=c.n_threads_now + c.n_replies_now,
            posts_before=c.n_threads_before + c.n_replies_before,
            members=c.n_members,
        )
        for c in cast(Any, communities.only("pk", "name", "slug", "stage"))
    ]
    rows.sort(key=lambda row: (-row.urgency, row.community.name.lower(), row.community.pk))
    return rows
