"""A community's activity over time: per week for the last WEEKS weeks, threads, replies,
distinct readers and value events, in one query (a UNION of four grouped counts).

Weeks start on Monday in the viewer's time zone (Django's TruncWeek in the current zone).
Readers come from the read state `discussions.ReadState`, which keeps each reader's
latest read per thread: a person counts in the week of their latest read of some thread
of the community, so a past week undercounts people who read the same thread again later.
Value events count only rows the viewer's dashboard may count (the consent rule of
`value_cycles.permissions`): facilitators and site admins from the facilitators' tier
up; core members have no dashboard and see no value column.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import CharField, Count, Q, QuerySet, Value
from django.db.models.functions import TruncWeek
from django.utils import timezone

from communities.models import Community
from communities.permissions import access_of
from discussions.models import ReadState, Reply, Thread
from members.types import Viewer
from value_cycles.models import ValueEvent
from value_cycles.permissions import ValueAccess

WEEKS = 12
SERIES = ("threads", "replies", "readers", "value")


@dataclass
class Week:
    start: date
    threads: int = 0
    replies: int = 0
    readers: int = 0
    value: int = 0


@dataclass
class Activity:
    weeks: list[Week] = field(default_factory=list)
    shows_value: bool = False

    @property
    def top(self) -> int:
        return max((max(w.threads, w.replies, w.readers, w.value) for w in self.weeks), default=0)

    @property
    def totals(self) -> Week:
        total = Week(start=self.weeks[0].start if self.weeks else timezone.localdate())
        for week in self.weeks:
            total.threads += week.threads
            total.replies += week.replies
            total.readers += week.readers
            total.value += week.value
        return total


def first_week_start(now: datetime) -> datetime:
    """Monday 00:00 (local) of the first of the WEEKS weeks that end with this one."""
    local = timezone.localtime(now)
    monday = local.date() - timedelta(days=local.weekday() + 7 * (WEEKS - 1))
    return timezone.make_aware(datetime.combine(monday, datetime.min.time()))


def value_count_floor(user: Viewer, community: Community) -> int | None:
    """The lowest consent tier the viewer's counts include (None: no value figures),
    from the value app's rule, fed with the roles the access object already holds."""
    access = access_of(user)
    return ValueAccess(
        user_id=access.user_id, admin=access.everything, roles=dict(access.roles)
    ).count_floor(community.pk)


def _weekly(queryset: QuerySet, series: str, field_name: str, count: str) -> QuerySet:
    return (
        queryset.annotate(series=Value(series, output_field=CharField()))
        .annotate(week=TruncWeek(field_name))
        .order_by()
        .values("series", "week")
        .annotate(n=Count(count, distinct=count != "pk"))
        .values_list("series", "week", "n")
    )


def activity_by_week(user: Viewer, community: Community, now: datetime | None = None) -> Activity:
    """The four weekly series of the community (one query). The caller checked that
    the viewer may open its console."""
    now = now or timezone.now()
    start = first_week_start(now)
    floor = value_count_floor(user, community)
    threads = Thread.objects.filter(community=community, created_at__gte=start, deleted_at=None)
    replies = Reply.objects.filter(community=community, created_at__gte=start, deleted_at=None)
    reads = ReadState.objects.filter(community=community, last_read_at__gte=start)
    parts = [
        _weekly(threads, "threads", "created_at", "pk"),
        _weekly(replies, "replies", "created_at", "pk"),
        _weekly(reads, "readers", "last_read_at", "user_id"),
    ]
    if floor is not None:
        events = ValueEvent.objects.filter(Q(tier__gte=floor), community=community)
        parts.append(_weekly(events.filter(created_at__gte=start), "value", "created_at", "pk"))
    rows = list(parts[0].union(*parts[1:], all=True))
    weeks = [Week(start=(start + timedelta(weeks=n)).date()) for n in range(WEEKS)]
    by_start = {week.start: week for week in weeks}
    for series, week_start, n in rows:
        week = by_start.get(timezone.localtime(week_start).date())
        if week is not None:
            setattr(week, series, n)
    return Activity(weeks=weeks, shows_value=floor is not None)
