"""Full-text search over threads and replies.

Built on `threads_visible_to` / `replies_visible_to`: nothing from a community the
searcher may not read can match, so neither results nor the count reveal it. Each
row's vector was made with its community's configuration (dutch or english), so the
query is parsed with both and each row is matched with its own language's query.

One SQL query per results page. A common word matches a large share of a big site, so
the work is bounded: the newest `CANDIDATES` matches of each type (threads, replies) are
taken in an index-friendly order, and only those are ranked together (UNION ALL),
counted with a window function and cut to one page; only that page's bodies are read
for the snippets. Below the cap the count is exact; above it the results say "more
than" (`SearchResults.capped`).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
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
# How many matches of each type (threads, replies) are ranked: the newest ones. Ranking
# reads every candidate's vector and the count touches every candidate, and a common
# word matches hundreds of thousands of posts on a large site (seconds of work). The
# pages reach MAX_PAGE * PAGE_SIZE = 1,000 results, so 1,000 of each type fill them all
# with what is recent; older matches are found with more words or a date filter.
CANDIDATES = 1000
THREAD, REPLY = "thread", "reply"
CONFIGS = {Community.Language.NL: "dutch", Community.Language.EN: "english"}

# The columns both halves of the union select, in this order.
_CANDIDATE_COLUMNS = ("hit_type", "hit_id", "hit_created", "hit_language", "hit_vector")
# The columns of a row of the page, in this order.
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
    "total",
    "capped",
    "body_html",
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
    """A paginator whose count came with the page (from the window function), with no
    pages past MAX_PAGE. `capped`: there are more results than `count`."""

    def __init__(self, count: int, per_page: int, capped: bool = False) -> None:
        super().__init__([], per_page)
        self._known_count = count
        self.capped = capped

    @cached_property
    def count(self) -> int:
        return self._known_count

    @cached_property
    def num_pages(self) -> int:
        return min(super().num_pages, MAX_PAGE)


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


def _queries(folded: str) -> dict[str, SearchQuery]:
    return {
        language: SearchQuery(folded, config=config, search_type="websearch")
        for language, config in CONFIGS.items()
    }


def _newest_matches(
    queryset: QuerySet[Any],
    post_type: str,
    language_field: str,
    queries: dict[str, SearchQuery],
) -> QuerySet[Any]:
    """The newest CANDIDATES + 1 rows whose vector matches the query parsed in their
    community's language (one more than are ranked, to tell whether there are more)."""
    matches = Q()
    for language, query in queries.items():
        matches |= Q(**{language_field: language}, search_vector=query)
    return (
        queryset.filter(matches)
        .annotate(
            hit_type=Value(post_type),
            hit_id=F("pk"),
            hit_created=F("created_at"),
            hit_language=F(language_field),
            hit_vector=F("search_vector"),
        )
        .order_by("-created_at", "-pk")
        .values(*_CANDIDATE_COLUMNS)[: CANDIDATES + 1]
    )


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
    return _newest_matches(threads, THREAD, "community__language", queries)


def _reply_hits(user: Viewer, queries: dict[str, SearchQuery], filters: SearchFilters) -> Any:
    replies = _filtered(
        replies_visible_to(user).filter(deleted_at__isnull=True, thread__deleted_at__isnull=True),
        filters,
        "thread__",
    )
    return _newest_matches(replies, REPLY, "thread__community__language", queries)


def _page_sql(hits_sql: str) -> str:
    """Rank and count the candidates, cut one page; then read that page's titles,
    authors and bodies only. Parameters: the query once per configuration, the hits'
    parameters, limit and offset."""
    queries = ", ".join(
        f"websearch_to_tsquery('{config}'::regconfig, %s) AS q_{language}"
        for language, config in CONFIGS.items()
    )
    rank = " ".join(
        f"WHEN '{language}' THEN ts_rank(hit_vector, q.q_{language})" for language in CONFIGS
    )
    order = "hit_rank DESC, hit_created DESC, hit_type, hit_id DESC"
    thread, reply = Thread._meta.db_table, Reply._meta.db_table
    community, user = Community._meta.db_table, User._meta.db_table
    return f"""
        WITH q AS (SELECT {queries}),
        candidates AS ({hits_sql}),
        numbered AS (
            SELECT candidates.*,
                ROW_NUMBER() OVER (PARTITION BY hit_type ORDER BY hit_created DESC, hit_id DESC)
                    AS seq,
                COUNT(*) OVER (PARTITION BY hit_type) AS of_type
            FROM candidates
        ),
        ranked AS (
            SELECT hit_type, hit_id, hit_created, of_type > {CANDIDATES} AS over_cap,
                COALESCE(CASE hit_language {rank} END, 0.0) AS hit_rank
            FROM numbered, q WHERE seq <= {CANDIDATES}
        ),
        page AS (
            SELECT ranked.*, COUNT(*) OVER () AS total, BOOL_OR(over_cap) OVER () AS capped
            FROM ranked ORDER BY {order} LIMIT %s OFFSET %s
        )
        SELECT page.hit_type, page.hit_id, t.id, t.title, t.kind, c.name, c.slug,
            u.display_name, u.email, page.hit_created, page.hit_rank, page.total, page.capped,
            CASE page.hit_type WHEN '{THREAD}' THEN t.body_html ELSE r.body_html END,
            {", ".join(f"q.q_{language}::text" for language in CONFIGS)}
        FROM page CROSS JOIN q
        LEFT JOIN {reply} r ON page.hit_type = '{REPLY}' AND r.id = page.hit_id
        JOIN {thread} t ON t.id = COALESCE(r.thread_id, page.hit_id)
        JOIN {community} c ON c.id = t.community_id
        LEFT JOIN {user} u
            ON u.id = CASE page.hit_type WHEN '{THREAD}' THEN t.author_id ELSE r.author_id END
        ORDER BY {order}
    """  # noqa: S608 - only constants and Django-compiled SQL; values are parameters


def _hit(row: Sequence[Any], matcher: Matcher) -> SearchHit:
    values = dict(zip(_COLUMNS, row, strict=False))
    body_html = values["body_html"]
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
            [*[folded] * len(CONFIGS), *hits_params, PAGE_SIZE, (page - 1) * PAGE_SIZE],
        )
        rows = cursor.fetchall()
    if not rows:
        if page > 1:
            return search(user, query, filters, page=1)
        return SearchResults(query=query, searchable=_has_lexemes(folded))
    first = dict(zip(_COLUMNS, rows[0], strict=False))
    matcher = Matcher(folded, tsquery_lexemes(*(text or "" for text in rows[0][len(_COLUMNS) :])))
    object_list = [_hit(row, matcher) for row in rows]
    paginator = _CountedPaginator(first["total"], PAGE_SIZE, capped=first["capped"])
    return SearchResults(
        query=query,
        searchable=True,
        page=Page(object_list, page, paginator),
        object_list=object_list,
    )
