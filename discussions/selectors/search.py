"""Full-text search over threads and replies.

Built on `threads_visible_to` / `replies_visible_to`: nothing from a community the
searcher may not read can match, so neither results nor the count reveal it. Each
row's vector was made with its community's configuration (dutch or english), so the
query is parsed with both and each row is matched with its own language's query.

One SQL query per results page: the matching threads and replies are ranked together
(UNION ALL), counted with a window function and cut to one page; only that page's
bodies are read for the snippets.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString

from communities.models import Community
from discussions.models import Reply, TaggedThread, Thread
from discussions.permissions import replies_visible_to, threads_visible_to
from discussions.text import (
    Matcher,
    fold,
    has_words,
    highlight,
    html_to_text,
    snippet,
    tsquery_lexemes,
)
from members.models import User
from members.types import Viewer

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
# Deep pages cost an ever larger sort; nobody reads past this.
MAX_PAGE = 50
THREAD, REPLY = "thread", "reply"
CONFIGS = {Community.Language.NL: "dutch", Community.Language.EN: "english"}

# The columns both halves of the union select, in this order.
_COLUMNS = (
    "hit_type",
    "hit_id",
    "hit_thread_id",
    "hit_title",
    "hit_kind",
    "hit_community",
    "hit_slug",
    "hit_author",
    "hit_email",
    "hit_created",
    "hit_rank",
)


@dataclass(frozen=True)
class SearchFilters:
    community: Community | None = None
    kind: str = ""  # a Thread.Kind; a reply matches by its thread's kind
    post_type: str = ""  # THREAD, REPLY or "" for both
    tag: str = ""
    author: str = ""  # part of the author's display name
    date_from: date | None = None
    date_to: date | None = None  # inclusive


@dataclass(frozen=True)
class SearchHit:
    post_type: str
    url: str
    title: SafeString  # escaped, with <mark>
    snippet: SafeString  # escaped, with <mark>
    kind_label: str
    community_name: str
    community_url: str
    author_name: str | None
    created_at: datetime

    @property
    def is_reply(self) -> bool:
        return self.post_type == REPLY


class _CountedPaginator(Paginator):
    """A paginator whose count came with the page (from the window function)."""

    def __init__(self, count: int, per_page: int) -> None:
        super().__init__([], per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@dataclass
class SearchResults:
    query: str
    # False when the query holds nothing to search for (empty, only stop words).
    searchable: bool
    page: Page | None = None
    object_list: list[SearchHit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return self.page.paginator.count if self.page is not None else 0


def _queries(folded: str) -> dict[str, SearchQuery]:
    return {
        language: SearchQuery(folded, config=config, search_type="websearch")
        for language, config in CONFIGS.items()
    }


def _match_and_rank(
    queryset: QuerySet[Any], language_field: str, queries: dict[str, SearchQuery]
) -> QuerySet[Any]:
    """Rows whose vector matches the query parsed in their community's language."""
    matches = Q()
    ranks = []
    for language, query in queries.items():
        matches |= Q(**{language_field: language}, search_vector=query)
        ranks.append(When(**{language_field: language}, then=SearchRank(F("search_vector"), query)))
    return queryset.filter(matches).annotate(hit_rank=Case(*ranks, default=Value(0.0)))


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _filtered(queryset: QuerySet[Any], filters: SearchFilters, thread: str) -> QuerySet[Any]:
    """Apply the filters; `thread` is the path from the row to its thread ("" or
    "thread__")."""
    if filters.community is not None:
        queryset = queryset.filter(**{f"{thread}community": filters.community})
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


def _thread_hits(user: Viewer, queries: dict[str, SearchQuery], filters: SearchFilters) -> Any:
    threads = _filtered(threads_visible_to(user).filter(deleted_at__isnull=True), filters, "")
    return (
        _match_and_rank(threads, "community__language", queries)
        .annotate(
            hit_type=Value(THREAD),
            hit_id=F("pk"),
            hit_thread_id=F("pk"),
            hit_title=F("title"),
            hit_kind=F("kind"),
            hit_community=F("community__name"),
            hit_slug=F("community__slug"),
            hit_author=F("author__display_name"),
            hit_email=F("author__email"),
            hit_created=F("created_at"),
        )
        .values(*_COLUMNS)
    )


def _reply_hits(user: Viewer, queries: dict[str, SearchQuery], filters: SearchFilters) -> Any:
    replies = _filtered(
        replies_visible_to(user).filter(deleted_at__isnull=True, thread__deleted_at__isnull=True),
        filters,
        "thread__",
    )
    return (
        _match_and_rank(replies, "thread__community__language", queries)
        .annotate(
            hit_type=Value(REPLY),
            hit_id=F("pk"),
            hit_thread_id=F("thread_id"),
            hit_title=F("thread__title"),
            hit_kind=F("thread__kind"),
            hit_community=F("thread__community__name"),
            hit_slug=F("thread__community__slug"),
            hit_author=F("author__display_name"),
            hit_email=F("author__email"),
            hit_created=F("created_at"),
        )
        .values(*_COLUMNS)
    )


def _page_sql(hits_sql: str) -> str:
    """Rank, count and cut the hits; then read the bodies of that page only."""
    order = "hit_rank DESC, hit_created DESC, hit_type, hit_id DESC"
    columns = ", ".join(f"page.{name}" for name in _COLUMNS)
    return f"""
        SELECT {columns}, page.total,
            CASE page.hit_type
                WHEN '{THREAD}' THEN (SELECT body_html FROM {Thread._meta.db_table}
                                      WHERE id = page.hit_id)
                ELSE (SELECT body_html FROM {Reply._meta.db_table} WHERE id = page.hit_id)
            END AS body_html,
            websearch_to_tsquery('dutch'::regconfig, %s)::text,
            websearch_to_tsquery('english'::regconfig, %s)::text
        FROM (
            SELECT hits.*, COUNT(*) OVER () AS total FROM ({hits_sql}) AS hits
            ORDER BY {order} LIMIT %s OFFSET %s
        ) AS page
        ORDER BY {order}
    """  # noqa: S608 - only constants and Django-compiled SQL; values are parameters


def _hit(row: Sequence[Any], matcher: Matcher) -> SearchHit:
    values = dict(zip(_COLUMNS, row, strict=False))
    body_html = row[len(_COLUMNS) + 1]
    post_type = values["hit_type"]
    if post_type == THREAD:
        url = Thread(pk=values["hit_id"]).get_absolute_url()
    else:
        url = Reply(pk=values["hit_id"], thread_id=values["hit_thread_id"]).get_absolute_url()
    author = None
    if values["hit_email"] is not None:
        author = User(display_name=values["hit_author"], email=values["hit_email"]).name
    return SearchHit(
        post_type=post_type,
        url=url,
        title=highlight(values["hit_title"], matcher),
        snippet=snippet(html_to_text(body_html or ""), matcher),
        kind_label=str(Thread.Kind(values["hit_kind"]).label),
        community_name=values["hit_community"],
        community_url=Community(slug=values["hit_slug"]).get_absolute_url(),
        author_name=author,
        created_at=values["hit_created"],
    )


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

    `query` uses web-search syntax ("quoted phrases", -excluded, or). One query for a
    page with results; a second one only for an empty page, to tell "nothing found"
    from "nothing to search for" or to fall back to page 1 past the last page.
    """
    query = query.strip()[:MAX_QUERY_LENGTH]
    folded = fold(query)
    if not has_words(folded):
        return SearchResults(query=query, searchable=False)
    filters = filters or SearchFilters()
    page = min(max(page, 1), MAX_PAGE)
    queries = _queries(folded)
    parts = []
    if filters.post_type != REPLY:
        parts.append(_thread_hits(user, queries, filters))
    if filters.post_type != THREAD:
        parts.append(_reply_hits(user, queries, filters))
    hits = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    hits_sql, hits_params = hits.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            _page_sql(hits_sql),
            [folded, folded, *hits_params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
        )
        rows = cursor.fetchall()
    if not rows:
        if page > 1:
            return search(user, query, filters, page=1)
        return SearchResults(query=query, searchable=_has_lexemes(folded))
    total = rows[0][len(_COLUMNS)]
    matcher = Matcher(folded, tsquery_lexemes(rows[0][-2] or "", rows[0][-1] or ""))
    object_list = [_hit(row, matcher) for row in rows]
    paginator = _CountedPaginator(total, PAGE_SIZE)
    return SearchResults(
        query=query,
        searchable=True,
        page=Page(object_list, page, paginator),
        object_list=object_list,
    )
