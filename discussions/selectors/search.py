"""Full-text search over threads and replies.

Built on `threads_visible_to` / `replies_visible_to`: nothing from a community the
searcher may not read can match, so neither results nor the count reveal it. Each
row's vector was made with its community's configuration (dutch or english), so the
query is parsed with both and each row is matched with its own language's query.

A common word matches a large share of a big site, so the work is bounded: only the
newest `CANDIDATES` matches of each type (threads, replies) are ranked and counted.
They are looked for newest first, in windows of age (see `_candidates`), each query
planned with its window's dates so that Postgres can choose per window between
walking the newest rows and intersecting the search index with the window. Below the
cap the count is exact; above it the results say "more than" (`SearchResults.capped`).
The candidates are ranked and cut to one page here; one last query reads that page's
titles, authors and bodies.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from math import ceil
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import cached_property

from communities.models import Community
from discussions.models import Reply, TaggedThread, Thread
from discussions.permissions import replies_visible_to, threads_visible_to
from discussions.selectors.search_hits import (
    CONFIGS,
    REPLY,
    THREAD,
    Candidate,
    SearchHit,
    hits,
)
from discussions.text import (
    fold,
    has_words,
)
from members.types import Viewer

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# Nobody reads past this; the pages reach MAX_PAGE * PAGE_SIZE = 1,000 results.
MAX_PAGE = 50
# How many matches of each type (threads, replies) are ranked and counted: the newest.
# A common word is in a tenth of all posts, a hundred thousand on a large site, and
# fetching each candidate (its row, and its thread to see who may read it) is what a
# search costs: on the large benchmark set the slowest searches of the mix (p95) take
# 60-70 ms with 300 of each type, 150-175 ms with 500 and over 200 ms with 1,000.
# 600 results are 30 pages; older matches are found with one more word or a date filter.
CANDIDATES = 300
# The candidates are looked for in windows of age, newest first (see `_candidates`):
# the first is the last twelve hours, how far back each next one reaches follows from
# how many posts matched in the windows before it (with a margin: matches are not
# spread evenly over time).
FIRST_WINDOW = timedelta(hours=12)
MARGIN = 1.5
# The last window holds all older posts: at most this many queries find the candidates.
MAX_WINDOWS = 4


@dataclass(frozen=True)
class SearchFilters:
    community: Community | None = None
    kind: str = ""  # a Thread.Kind; a reply matches by its thread's kind
    post_type: str = ""  # THREAD, REPLY or "" for both
    tag: str = ""
    author: str = ""  # part of the author's display name
    date_from: date | None = None
    date_to: date | None = None  # inclusive


class _CountedPaginator(Paginator):
    """A paginator that knows its count (`capped`: there are more results than that)
    and has no pages past MAX_PAGE."""

    def __init__(self, count: int, per_page: int, capped: bool = False) -> None:
        super().__init__([], per_page)
        self._known_count = count
        self.capped = capped

    @cached_property
    def count(self) -> int:
        return self._known_count

    @cached_property
    def num_pages(self) -> int:
        return min(ceil(max(self.count, 1) / self.per_page), MAX_PAGE)


@dataclass
class SearchResults:
    query: str
    # False when the query holds nothing to search for (empty, only stop words).
    searchable: bool
    page: Page | None = None
    object_list: list[SearchHit] = field(default_factory=list)

    @property
    def count(self) -> int:
        """The number of results, exact unless `capped`."""
        return self.page.paginator.count if self.page is not None else 0

    @property
    def capped(self) -> bool:
        """Whether there are more results than `count` (only the newest CANDIDATES of
        each type were ranked and counted)."""
        paginator = self.page.paginator if self.page is not None else None
        return isinstance(paginator, _CountedPaginator) and paginator.capped


# A window of age: created at or after `since` and before `until` (None: no bound).
_Window = tuple[datetime | None, datetime | None]


def _queries(folded: str) -> dict[str, SearchQuery]:
    return {
        language: SearchQuery(folded, config=config, search_type="websearch")
        for language, config in CONFIGS.items()
    }


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(queryset: QuerySet[Any], filters: SearchFilters, thread: str) -> QuerySet[Any]:
    """Apply the filters; `thread` is the path from the row to its thread ("" or
    "thread__")."""
    if filters.community is not None:
        # Replies carry their thread's community: no join through the thread for it.
        queryset = queryset.filter(community=filters.community)
    if filters.kind:
        queryset = queryset.filter(**{f"{thread}kind": filters.kind})
    if filters.tag:
        tagged = TaggedThread.objects.filter(
            content_object=OuterRef(f"{thread}pk" if thread else "pk"),
            tag__name__iexact=filters.tag.strip(),
        )
        queryset = queryset.filter(Exists(tagged))
    if filters.author:
        queryset = queryset.filter(author__display_name__icontains=filters.author.strip())
    if filters.date_from:
        queryset = queryset.filter(created_at__gte=_day_start(filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(created_at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return queryset


def _matches_sql(
    queryset: QuerySet[Any], post_type: str, language_field: str, queries: dict[str, SearchQuery]
) -> tuple[str, list[Any]] | None:
    """The rows whose vector matches the query parsed in their community's language,
    with their rank, as SQL: compiled once, then queried per window."""
    matches = Q()
    ranks = []
    for language, query in queries.items():
        matches |= Q(**{language_field: language}, search_vector=query)
        ranks.append(When(**{language_field: language}, then=SearchRank(F("search_vector"), query)))
    matching = (
        queryset.filter(matches)
        .annotate(
            hit_type=Value(post_type),
            hit_id=F("pk"),
            hit_created=F("created_at"),
            hit_rank=Case(*ranks, default=Value(0.0)),
        )
        .values("hit_type", "hit_id", "hit_created", "hit_rank")
    )
    try:
        sql, params = matching.query.sql_with_params()
    except EmptyResultSet:  # nothing readable at all: Django knows without asking
        return None
    return sql, list(params)


def _matching(
    user: Viewer, queries: dict[str, SearchQuery], filters: SearchFilters
) -> dict[str, tuple[str, list[Any]]]:
    matching = {}
    if filters.post_type != REPLY:
        threads = _filtered(threads_visible_to(user).filter(deleted_at__isnull=True), filters, "")
        matching[THREAD] = _matches_sql(threads, THREAD, "community__language", queries)
    if filters.post_type != THREAD:
        replies = _filtered(
            replies_visible_to(user).filter(
                deleted_at__isnull=True, thread__deleted_at__isnull=True
            ),
            filters,
            "thread__",
        )
        matching[REPLY] = _matches_sql(replies, REPLY, "community__language", queries)
    return {post_type: sql for post_type, sql in matching.items() if sql is not None}


def _newest(
    matching: dict[str, tuple[str, list[Any]]], windows: dict[str, _Window], oldest: bool = False
) -> tuple[list[Candidate], dict[str, datetime | None]]:
    """One query: for each type, its newest CANDIDATES + 1 matches in its window (one
    more than are ranked, to tell whether there are more); with `oldest`, also when the
    oldest post of each type was written, so that no older window is looked into on a
    young site."""
    parts: list[str] = []
    params: list[Any] = []
    for post_type, (since, until) in windows.items():
        sql, matches_params = matching[post_type]
        bounds = ["TRUE"]
        if since is not None:
            bounds.append("hit_created >= %s")
        if until is not None:
            bounds.append("hit_created < %s")
        # Postgres folds the subquery into this one: the window's dates reach the plan.
        parts.append(
            f"(SELECT * FROM ({sql}) AS matches WHERE {' AND '.join(bounds)}"  # noqa: S608 - compiled SQL
            f" ORDER BY hit_created DESC, hit_id DESC LIMIT {CANDIDATES + 1})"
        )
        params += [*matches_params, *(bound for bound in (since, until) if bound is not None)]
        if oldest:
            table = (Thread if post_type == THREAD else Reply)._meta.db_table
            parts.append(
                f"(SELECT %s, NULL, MIN(created_at), NULL FROM {table}"  # noqa: S608 - constants
                " WHERE deleted_at IS NULL)"
            )
            params.append(post_type)
    with connection.cursor() as cursor, _unprepared():
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    candidates = [Candidate(*row) for row in rows if row[1] is not None]
    return candidates, {row[0]: row[2] for row in rows if row[1] is None}


def _candidates(
    matching: dict[str, tuple[str, list[Any]]], now: datetime, floor: datetime | None
) -> dict[str, list[Candidate]]:
    """Up to CANDIDATES + 1 of the newest matches of each type, one query per window of
    age (for all types still short). Each window after the first reaches as far back as
    the matches found so far say it must to hold the missing ones (with a margin, and at
    least as far as all windows before it together); the last one holds all older
    posts. A word in many posts needs a window or two; a rare one is soon looked up in
    all posts, through the search index alone. The windows start at `now` and need not
    reach before `floor` (a date filter's ends)."""
    found: dict[str, list[Candidate]] = {post_type: [] for post_type in matching}
    first_since = now - FIRST_WINDOW
    first, oldest = _newest(matching, dict.fromkeys(matching, (first_since, None)), oldest=True)
    for candidate in first:
        found[candidate.post_type].append(candidate)
    if floor is not None:
        oldest = {t: max(start, floor) if start else None for t, start in oldest.items()}
    # Per type, where the windows looked into so far begin.
    reached = {
        post_type: first_since
        for post_type, start in oldest.items()
        if start is not None and start < first_since
    }
    for window in range(2, MAX_WINDOWS + 1):
        windows: dict[str, _Window] = {}
        for post_type, until in reached.items():
            have = len(found[post_type])
            if have > CANDIDATES:
                continue
            span = now - until
            if have:
                span = max(span * ((CANDIDATES + 1 - have) / have * MARGIN), span)
            start = oldest[post_type]
            further = window < MAX_WINDOWS and have and start is not None and until - span > start
            windows[post_type] = (until - span if further else None, until)
        if not windows:
            break
        for candidate in _newest(matching, windows)[0]:
            found[candidate.post_type].append(candidate)
        reached = {
            post_type: since for post_type, (since, _) in windows.items() if since is not None
        }
    return found


def _ranked(found: dict[str, list[Candidate]]) -> tuple[list[Candidate], bool]:
    """The newest CANDIDATES of each type, best first; and whether there were more."""
    kept: list[Candidate] = []
    capped = False
    for candidates in found.values():
        candidates.sort(key=lambda c: (c.created, c.id), reverse=True)
        capped = capped or len(candidates) > CANDIDATES
        kept += candidates[:CANDIDATES]
    # Best rank first, then newest; the type and id only make the order stable.
    kept.sort(key=lambda c: (-c.rank, -c.created.timestamp(), c.post_type, -c.id))
    return kept, capped


@contextmanager
def _unprepared() -> Iterator[None]:
    """Keep psycopg from preparing the statement (it does after `prepare_threshold`
    runs of the same SQL): the plan of a prepared statement is made once for any
    words and dates, and the best plan for a word in a tenth of all posts (walk the
    newest) is the worst for a rare one (look it up in the search index), and back."""
    raw = connection.connection
    threshold = getattr(raw, "prepare_threshold", None)
    if threshold is None:
        yield
        return
    raw.prepare_threshold = None
    try:
        yield
    finally:
        raw.prepare_threshold = threshold


def _has_lexemes(folded: str) -> bool:
    """Whether the query keeps any word in both languages (stop words are dropped)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT numnode(websearch_to_tsquery('dutch'::regconfig, %s)) > 0"
            " AND numnode(websearch_to_tsquery('english'::regconfig, %s)) > 0",
            [folded, folded],
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def search(
    user: Viewer, query: str, filters: SearchFilters | None = None, page: int = 1
) -> SearchResults:
    """One page of the threads and replies the user may read that match the query,
    best first, with highlighted titles and snippets.

    `query` uses web-search syntax ("quoted phrases", -excluded, or). One query per
    window of age (`_candidates`, one to MAX_WINDOWS) and one for the page's texts;
    past the last page, the first page. With no results, one more query tells
    "nothing found" from "nothing to search for".
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    folded = fold(query)
    if not has_words(folded):
        return SearchResults(query=query, searchable=False)
    filters = filters or SearchFilters()
    matching = _matching(user, _queries(folded), filters)
    if not matching:
        return SearchResults(query=query, searchable=_has_lexemes(folded))
    now = timezone.now()
    if filters.date_to:
        now = min(now, _day_start(filters.date_to + timedelta(days=1)))
    floor = _day_start(filters.date_from) if filters.date_from else None
    ranked, capped = _ranked(_candidates(matching, now, floor))
    if not ranked:
        return SearchResults(query=query, searchable=_has_lexemes(folded))
    paginator = _CountedPaginator(len(ranked), PAGE_SIZE, capped=capped)
    number = min(max(page, 1), MAX_PAGE)
    number = number if number <= paginator.num_pages else 1
    start = (number - 1) * PAGE_SIZE
    object_list = hits(ranked[start : start + PAGE_SIZE], folded, user)
    return SearchResults(
        query=query,
        searchable=True,
        page=Page(object_list, number, paginator),
        object_list=object_list,
    )
