"""Keeps each post's stored search vector up to date.

The vector is built from accent-folded plain text (see `discussions.text`) with the
text-search configuration of the community's language: the title and tags weigh A,
the body B. The post services call `thread_index` / `reply_index` after each write;
`rebuild_search_index` refills every row in batches with `threads_reindex` /
`replies_reindex`, which build the same vector in SQL.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Case, OuterRef, Subquery, TextField, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast

from communities.models import Community
from discussions.markdown import render_markdown
from discussions.models import Reply, TaggedThread, Thread
from discussions.text import fold, html_to_text

# Community.language -> Postgres text-search configuration.
SEARCH_CONFIGS = {Community.Language.NL: "dutch", Community.Language.EN: "english"}
DEFAULT_CONFIG = "english"


def search_config_of(language: str) -> str:
    return SEARCH_CONFIGS.get(language, DEFAULT_CONFIG)  # type: ignore[call-overload]


def _config_of_community(community_ref: str) -> Cast:
    """The regconfig name for the community whose id is the outer row's `community_ref`.

    Wrapped in a Cast (a Func) because SearchVector adds its config's SQL parameters to
    a list, and a bare Subquery compiles to a tuple (TypeError in Django 5.2)."""
    subquery = Subquery(
        Community.objects.filter(pk=OuterRef(community_ref))
        .annotate(
            config=Case(
                *(When(language=code, then=Value(name)) for code, name in SEARCH_CONFIGS.items()),
                default=Value(DEFAULT_CONFIG),
            )
        )
        .values("config")[:1]
    )
    return Cast(subquery, output_field=TextField())


def _body_text(body_html: str, body: str) -> str:
    # Rows written before body_html existed are rendered now.
    return fold(html_to_text(body_html or render_markdown(body)))


def _thread_vector(config: Any, title: str, tags: str, body: str) -> Combinable:
    return (
        SearchVector(Value(title), weight="A", config=config)
        + SearchVector(Value(tags), weight="A", config=config)
        + SearchVector(Value(body), weight="B", config=config)
    )


def thread_index(thread: Thread) -> None:
    """Recompute the thread's search vector from its title, body and tags: one read of
    the tag names and one UPDATE (the configuration is looked up inside it)."""
    tags = " ".join(
        TaggedThread.objects.filter(content_object_id=thread.pk).values_list("tag__name", flat=True)
    )
    Thread.objects.filter(pk=thread.pk).update(
        search_vector=_thread_vector(
            _config_of_community("community_id"),
            fold(thread.title),
            fold(tags),
            _body_text(thread.body_html, thread.body),
        )
    )


def reply_index(reply: Reply) -> None:
    """Recompute the reply's search vector from its body: one UPDATE."""
    config = Cast(
        Subquery(
            Thread.objects.filter(pk=OuterRef("thread_id"))
            .annotate(config=_config_of_community("community_id"))
            .values("config")[:1]
        ),
        output_field=TextField(),
    )
    Reply.objects.filter(pk=reply.pk).update(
        search_vector=SearchVector(
            Value(_body_text(reply.body_html, reply.body)), weight="B", config=config
        )
    )


# The batch versions build the same vector as above for many rows in one UPDATE.
_BATCH_THREADS = """
    UPDATE discussions_thread AS t SET search_vector =
        setweight(to_tsvector(v.config::regconfig, v.title), 'A')
        || setweight(to_tsvector(v.config::regconfig, v.tags), 'A')
        || setweight(to_tsvector(v.config::regconfig, v.body), 'B')
    FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[])
        AS v(id, config, title, tags, body)
    WHERE t.id = v.id
"""
_BATCH_REPLIES = """
    UPDATE discussions_reply AS r SET search_vector =
        setweight(to_tsvector(v.config::regconfig, v.body), 'B')
    FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, config, body)
    WHERE r.id = v.id
"""


def threads_reindex(ids: Sequence[int]) -> int:
    """Recompute the vectors of these threads in three queries; returns how many."""
    rows = Thread.objects.filter(pk__in=ids).values_list(
        "pk", "community__language", "title", "body_html", "body"
    )
    tags: dict[int, list[str]] = defaultdict(list)
    for thread_id, name in TaggedThread.objects.filter(content_object_id__in=ids).values_list(
        "content_object_id", "tag__name"
    ):
        tags[thread_id].append(name)
    columns: list[list[Any]] = [[], [], [], [], []]
    for pk, language, title, body_html, body in rows:
        values = (
            pk,
            search_config_of(language),
            fold(title),
            fold(" ".join(tags[pk])),
            _body_text(body_html, body),
        )
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    if columns[0]:
        with connection.cursor() as cursor:
            cursor.execute(_BATCH_THREADS, columns)
    return len(columns[0])


def replies_reindex(ids: Sequence[int]) -> int:
    """Recompute the vectors of these replies in two queries; returns how many."""
    rows = Reply.objects.filter(pk__in=ids).values_list(
        "pk", "thread__community__language", "body_html", "body"
    )
    columns: list[list[Any]] = [[], [], []]
    for pk, language, body_html, body in rows:
        for column, value in zip(
            columns, (pk, search_config_of(language), _body_text(body_html, body)), strict=True
        ):
            column.append(value)
    if columns[0]:
        with connection.cursor() as cursor:
            cursor.execute(_BATCH_REPLIES, columns)
    return len(columns[0])
