"""Who takes part how: each active member's level over the last 30 days and the 30 days
before, newcomers, members who never posted and members who went quiet. Two queries
however many members and posts: the posts per author in four 30-day windows and ever
(threads and replies, a UNION of two grouped counts), and the members with their join
date and their latest read.

Levels (a post is a thread or a reply, not deleted; a read is the read state's latest
read of a thread of the community):

| level      | in the window of 30 days                                               |
|------------|------------------------------------------------------------------------|
| core       | CORE_POSTS (4) or more posts                                            |
| active     | 1 to 3 posts                                                            |
| occasional | no post, but at least one in the 60 days before the window              |
| reader     | no post in the window nor the 60 days before, and read in the window    |
| not seen   | none of these (the read state shows no read in the window)              |

The previous window is the same rule 30 days earlier. The read state keeps only the
latest read per thread, so someone who read then and again since counts as a reader
now but not then. Reading is taking part: the console names readers, it never
reminds them.

Went quiet: posted in the 90 days before the last 30, not in the last 30. Never
posted: active members who have no thread or reply in the community at all.
Newcomers: active memberships that began this calendar month (local time), by the
approval date when there was a request.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Community, Membership
from discussions.models import ReadState, Reply, Thread

WINDOW = timedelta(days=30)
CORE_POSTS = 4
LEVELS = ("core", "active", "occasional", "reader", "away")
# How many names a list shows; the count above it is the full figure.
NAMES_SHOWN = 12


@dataclass
class MemberActivity:
    user_id: int
    name: str
    role: int
    joined_at: datetime
    ever_posted: bool
    last_read_at: datetime | None
    # Posts in the windows [now-30d, now], [now-60d, now-30d), [now-90d, now-60d),
    # [now-120d, now-90d).
    posts: tuple[int, int, int, int] = (0, 0, 0, 0)
    level: str = "away"
    previous_level: str = "away"

    @property
    def went_quiet(self) -> bool:
        return self.posts[0] == 0 and sum(self.posts[1:]) > 0


@dataclass
class Participation:
    members: list[MemberActivity] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    previous_counts: dict[str, int] = field(default_factory=dict)
    moved_up: list[MemberActivity] = field(default_factory=list)
    moved_down: list[MemberActivity] = field(default_factory=list)
    newcomers: list[MemberActivity] = field(default_factory=list)
    never_posted: list[MemberActivity] = field(default_factory=list)
    went_quiet: list[MemberActivity] = field(default_factory=list)

    def level_rows(self) -> list[tuple[str, int, int]]:
        return [(lvl, self.counts[lvl], self.previous_counts[lvl]) for lvl in LEVELS]


def level_of(posts_in_window: int, posts_before: int, read_in_window: bool) -> str:
    """The level for one window (see the module docstring)."""
    if posts_in_window >= CORE_POSTS:
        return "core"
    if posts_in_window > 0:
        return "active"
    if posts_before > 0:
        return "occasional"
    if read_in_window:
        return "reader"
    return "away"


def _posts_by_author(community: Community, now: datetime) -> dict[int, list[int]]:
    """{author id: [posts in each of the four windows, posts ever]}, one query: one pass
    over the community's posts (a UNION of two grouped counts), which also answers
    whether a member ever posted here."""
    bounds = [now - WINDOW * n for n in range(5)]
    windows = {
        f"w{n}": Count("pk", filter=Q(created_at__gte=bounds[n + 1], created_at__lt=bounds[n]))
        for n in range(1, 4)
    }
    windows["w0"] = Count("pk", filter=Q(created_at__gte=bounds[1]))
    windows["ever"] = Count("pk")

    def grouped(model: type[Thread] | type[Reply]):  # type: ignore[no-untyped-def]
        return (
            model.objects.filter(  # type: ignore[misc]
                community=community, deleted_at=None, author__isnull=False
            )
            .order_by()
            .values("author_id")
            .annotate(**windows)
            .values_list("author_id", "w0", "w1", "w2", "w3", "ever")
        )

    counts: dict[int, list[int]] = {}
    for author_id, *values in grouped(Thread).union(grouped(Reply), all=True):
        row = counts.setdefault(author_id, [0, 0, 0, 0, 0])
        for index, value in enumerate(values):
            row[index] += value
    return counts


def participation_of(community: Community, now: datetime | None = None) -> Participation:
    """Every active member's level now and 30 days ago, and the lists built from them
    (two queries). Callers check that the viewer may open the console."""
    now = now or timezone.now()
    posts = _posts_by_author(community, now)
    last_read = (
        ReadState.objects.filter(community=community, user_id=OuterRef("user_id"))
        .order_by()
        .values("user_id")
        .annotate(latest=Max("last_read_at"))
        .values("latest")
    )
    rows = (
        Membership.objects.filter(
            community=community,
            state=Membership.State.ACTIVE,
            role__gte=Membership.Role.MEMBER,
            user__is_active=True,
        )
        .annotate(
            last_read_at=Subquery(last_read),
            joined_at=Coalesce("decided_at", "created_at"),
        )
        .order_by("user__display_name", "user__email", "pk")
        .values_list(
            "user_id",
            "user__display_name",
            "user__email",
            "role",
            "joined_at",
            "last_read_at",
        )
    )
    month_start = timezone.localtime(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    result = Participation()
    order = {level: n for n, level in enumerate(LEVELS)}
    for user_id, display_name, email, role, joined_at, last_read_at in rows:
        counts = posts.get(user_id, [0, 0, 0, 0, 0])
        member = MemberActivity(
            user_id=user_id,
            name=display_name or email.split("@", 1)[0],
            role=role,
            joined_at=joined_at,
            ever_posted=counts[4] > 0,
            last_read_at=last_read_at,
            posts=(counts[0], counts[1], counts[2], counts[3]),
        )
        read_now = last_read_at is not None and last_read_at >= now - WINDOW
        read_then = last_read_at is not None and now - 2 * WINDOW <= last_read_at < now - WINDOW
        member.level = level_of(counts[0], counts[1] + counts[2], read_now)
        member.previous_level = level_of(counts[1], counts[2] + counts[3], read_then)
        result.members.append(member)
        if joined_at >= month_start:
            result.newcomers.append(member)
        if not member.ever_posted:
            result.never_posted.append(member)
        if member.went_quiet:
            result.went_quiet.append(member)
        if order[member.level] < order[member.previous_level]:
            result.moved_up.append(member)
        elif order[member.level] > order[member.previous_level]:
            result.moved_down.append(member)
    now_counts = Counter(m.level for m in result.members)
    then_counts = Counter(m.previous_level for m in result.members)
    result.counts = {level: now_counts.get(level, 0) for level in LEVELS}
    result.previous_counts = {level: then_counts.get(level, 0) for level in LEVELS}
    return result
