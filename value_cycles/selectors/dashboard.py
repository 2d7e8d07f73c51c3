"""The sponsor dashboard's figures: aggregate queries only, a fixed number of them
whatever the size of the communities (pinned in the tests).

Every figure about value starts from `value_events_counted_for` (tiers the viewer's
counts may include); texts only from `value_stories_visible_to`. Breakdowns by
organisation drop groups of fewer than MIN_GROUP_SIZE people.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Lower, TruncMonth

from communities.models import Community, Membership
from discussions.models import KnowledgePage, ReadState, Reply, TaggedThread, Thread
from members.types import Viewer
from value_cycles.models import Aspiration, Cycle, ValueStory
from value_cycles.permissions import (
    MIN_GROUP_SIZE,
    value_events_counted_for,
    value_stories_counted_for,
    value_stories_visible_to,
)

# While a community is being set up or is coalescing, members build trust and get first
# help; realised results (cycle 4) are not expected yet, and the dashboard says so
# rather than showing an empty table as a shortfall.
STAGES_WITHOUT_REALISED_VALUE = frozenset({Community.Stage.POTENTIAL, Community.Stage.COALESCING})

# Participation levels over the period, by posts (threads + replies) written in it.
CORE_POSTS = 10
ACTIVE_POSTS = 3


class Median(Func):
    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()
    contains_aggregate = True


@dataclass
class Period:
    start: datetime
    end: datetime

    def q(self, name: str = "created_at") -> Q:
        return Q(**{f"{name}__gte": self.start, f"{name}__lt": self.end})


@dataclass
class Dashboard:
    communities: list[Community]
    period: Period
    development: dict[str, Any] = field(default_factory=dict)
    organisations: list[tuple[str, int]] = field(default_factory=list)
    organisations_hidden: int = 0
    themes: list[tuple[str, int]] = field(default_factory=list)
    participation: dict[str, int] = field(default_factory=dict)
    months: list[datetime] = field(default_factory=list)
    per_month: dict[datetime, dict[int, int]] = field(default_factory=dict)
    per_cycle: dict[int, int] = field(default_factory=dict)
    conversion: dict[str, int] = field(default_factory=dict)
    capital: list[tuple[str, int]] = field(default_factory=list)
    figures: list[tuple[str, Decimal, int]] = field(default_factory=list)
    stories: list[ValueStory] = field(default_factory=list)
    stories_counted: int = 0
    knowledge_pages: list[KnowledgePage] = field(default_factory=list)
    aspirations: dict[int, list[Aspiration]] = field(default_factory=dict)

    @property
    def too_early_for_results(self) -> list[Community]:
        """The communities in a stage where no realised value is expected yet."""
        return [c for c in self.communities if c.stage in STAGES_WITHOUT_REALISED_VALUE]


def dashboard_for(user: Viewer, communities: list[Community], period: Period) -> Dashboard:
    """Everything the dashboard shows for these communities (already checked to be the
    viewer's dashboards) in the period."""
    ids = [c.pk for c in communities]
    board = Dashboard(communities=communities, period=period)
    _development(board, ids)
    _participation(board, ids)
    _value(board, user, ids)
    _stories(board, user, ids)
    board.knowledge_pages = list(
        KnowledgePage.objects.filter(community_id__in=ids)
        .select_related("community")
        .only("title", "slug", "updated_at", "community__slug", "community__name")
        .order_by("-updated_at")[:10]
    )
    board.development["knowledge_pages"] = KnowledgePage.objects.filter(
        community_id__in=ids
    ).count()
    for aspiration in Aspiration.objects.filter(community_id__in=ids).order_by("cycle", "pk"):
        board.aspirations.setdefault(aspiration.cycle, []).append(aspiration)
    return board


def _members(ids: list[int]) -> QuerySet[Membership]:
    return Membership.objects.filter(
        community_id__in=ids, state=Membership.State.ACTIVE, role__gte=Membership.Role.MEMBER
    )


def _development(board: Dashboard, ids: list[int]) -> None:
    period = board.period
    members = _members(ids)
    board.development.update(
        members.aggregate(
            members=Count("user_id", distinct=True),
            new=Count("user_id", distinct=True, filter=period.q()),
            organisations=Count("user__organization_id", distinct=True),
        )
    )
    groups = list(
        members.filter(user__organization__isnull=False)
        .values("user__organization__name")
        .annotate(people=Count("user_id", distinct=True))
        .order_by("-people", "user__organization__name")
        .values_list("user__organization__name", "people")
    )
    board.organisations = [(name, n) for name, n in groups if n >= MIN_GROUP_SIZE]
    board.organisations_hidden = sum(1 for _name, n in groups if n < MIN_GROUP_SIZE)
    threads = Thread.objects.filter(community_id__in=ids, deleted_at__isnull=True)
    first_reply = (
        Reply.objects.filter(thread=OuterRef("pk"), deleted_at__isnull=True)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    questions = Q(kind=Thread.Kind.QUESTION)
    board.development.update(
        threads.filter(period.q()).aggregate(
            discussions=Count("pk"),
            questions=Count("pk", filter=questions),
            solved=Count("pk", filter=questions & Q(accepted_reply__isnull=False)),
            median_first_answer=Median(
                ExpressionWrapper(
                    Subquery(first_reply) - F("created_at"), output_field=DurationField()
                ),
                filter=questions,
            ),
            median_solution=Median(
                ExpressionWrapper(
                    F("accepted_reply__created_at") - F("created_at"), output_field=DurationField()
                ),
                filter=questions & Q(accepted_reply__isnull=False),
            ),
        )
    )
    # The reply's own (denormalised, indexed) community: no join through its thread.
    board.development["replies"] = Reply.objects.filter(
        period.q(), community_id__in=ids, deleted_at__isnull=True
    ).count()
    board.themes = list(
        TaggedThread.objects.filter(
            content_object__community_id__in=ids,
            content_object__last_activity_at__gte=period.start,
            content_object__deleted_at__isnull=True,
        )
        .values("tag__name")
        .annotate(n=Count("content_object_id"))
        .order_by("-n", "tag__name")
        .values_list("tag__name", "n")[:12]
    )


# Participation in one statement: the period's threads and replies grouped by author
# and community (a range scan of each community's recent posts), joined to the
# memberships, instead of six correlated counts per member, which cost seconds at
# 10,000 members. Written as SQL because the ORM cannot LEFT JOIN a grouped subquery.
_THREADS, _REPLIES = Thread._meta.db_table, Reply._meta.db_table
_READS, _MEMBERSHIPS = ReadState._meta.db_table, Membership._meta.db_table
# Table names from the models; every value is a parameter.
_PARTICIPATION_SQL = f"""
WITH written AS (
    SELECT author_id, community_id, created_at FROM {_THREADS}
    WHERE community_id = ANY(%(ids)s::bigint[]) AND created_at >= %(since)s AND created_at < %(end)s
    UNION ALL
    SELECT author_id, community_id, created_at FROM {_REPLIES}
    WHERE community_id = ANY(%(ids)s::bigint[]) AND created_at >= %(since)s AND created_at < %(end)s
), posts AS (
    SELECT author_id, community_id,
           COUNT(*) FILTER (WHERE created_at >= %(start)s) AS n,
           COUNT(*) FILTER (WHERE created_at >= %(since_30)s) AS n_30,
           COUNT(*) FILTER (WHERE created_at >= %(since_90)s) AS n_90
    FROM written GROUP BY author_id, community_id
), readers AS (
    SELECT DISTINCT user_id, community_id FROM {_READS}
    WHERE community_id = ANY(%(ids)s::bigint[]) AND last_read_at >= %(start)s
)
SELECT
    COUNT(*) FILTER (WHERE COALESCE(p.n, 0) >= %(core)s),
    COUNT(*) FILTER (WHERE COALESCE(p.n, 0) >= %(active)s AND COALESCE(p.n, 0) < %(core)s),
    COUNT(*) FILTER (WHERE COALESCE(p.n, 0) >= 1 AND COALESCE(p.n, 0) < %(active)s),
    COUNT(*) FILTER (WHERE COALESCE(p.n, 0) = 0 AND r.user_id IS NOT NULL),
    COUNT(*) FILTER (WHERE COALESCE(p.n, 0) = 0 AND r.user_id IS NULL),
    COUNT(*) FILTER (WHERE COALESCE(p.n_30, 0) >= 1),
    COUNT(*) FILTER (WHERE COALESCE(p.n_90, 0) >= 1)
FROM {_MEMBERSHIPS} m
LEFT JOIN posts p ON p.author_id = m.user_id AND p.community_id = m.community_id
LEFT JOIN readers r ON r.user_id = m.user_id AND r.community_id = m.community_id
WHERE m.community_id = ANY(%(ids)s::bigint[]) AND m.state = %(state)s AND m.role >= %(role)s
"""  # noqa: S608


def _participation(board: Dashboard, ids: list[int]) -> None:
    """Levels per membership over the period (the rule `_members` states); readers are
    members who read and wrote nothing. Counts only: no reader is ever named."""
    period = board.period
    since_30, since_90 = period.end - timedelta(days=30), period.end - timedelta(days=90)
    with connection.cursor() as cursor:
        cursor.execute(
            _PARTICIPATION_SQL,
            {
                "ids": ids,
                "start": period.start,
                "end": period.end,
                "since": min(period.start, since_90),
                "since_30": since_30,
                "since_90": since_90,
                "core": CORE_POSTS,
                "active": ACTIVE_POSTS,
                "state": Membership.State.ACTIVE,
                "role": Membership.Role.MEMBER,
            },
        )
        core, active, occasional, readers, quiet, active_30, active_90 = cursor.fetchone()
    board.participation = {
        "core": core,
        "active": active,
        "occasional": occasional,
        "readers": readers,
        "quiet": quiet,
    }
    board.development["active_30"] = active_30
    board.development["active_90"] = active_90
    board.development["readers"] = readers


def _value(board: Dashboard, user: Viewer, ids: list[int]) -> None:
    counted = value_events_counted_for(user).filter(community_id__in=ids)
    in_period = counted.filter(board.period.q())
    per_month: dict[datetime, dict[int, int]] = defaultdict(dict)
    for month, cycle, n in (
        in_period.annotate(month=TruncMonth("created_at"))
        .values("month", "cycle")
        .annotate(n=Count("pk"))
        .order_by("month", "cycle")
        .values_list("month", "cycle", "n")
    ):
        per_month[month][cycle] = n
    board.months = sorted(per_month)
    board.per_month = dict(per_month)
    board.per_cycle = {c: sum(m.get(c, 0) for m in per_month.values()) for c in Cycle.values}

    def reached(cycle: int) -> Exists:
        return Exists(counted.filter(chain=OuterRef("chain"), cycle__gte=cycle))

    board.conversion = in_period.filter(cycle=Cycle.IMMEDIATE).aggregate(
        helped=Count("pk"),
        applied=Count("pk", filter=Q(reached(Cycle.APPLIED))),
        realised=Count("pk", filter=Q(reached(Cycle.REALISED))),
    )
    board.capital = list(
        in_period.filter(cycle=Cycle.POTENTIAL)
        .values("capital")
        .annotate(n=Count("pk"))
        .order_by("-n", "capital")
        .values_list("capital", "n")
    )
    board.figures = list(
        in_period.filter(cycle=Cycle.REALISED, figure__isnull=False)
        .annotate(unit_key=Lower("unit"))
        .values("unit_key")
        .annotate(total=Sum("figure"), n=Count("pk"))
        .order_by("unit_key")
        .values_list("unit_key", "total", "n")
    )


def _stories(board: Dashboard, user: Viewer, ids: list[int]) -> None:
    period = board.period
    board.stories = list(
        value_stories_visible_to(user)
        .filter(period.q("published_at"), community_id__in=ids, state=ValueStory.State.PUBLISHED)
        .select_related("community")
        .prefetch_related("authors__organization")
        .order_by("-published_at")[:6]
    )
    board.stories_counted = (
        value_stories_counted_for(user)
        .filter(period.q("published_at"), community_id__in=ids)
        .count()
    )
