"""Reads on threads: the community's list, the feed, tag suggestions and similar
threads, always built on the permission querysets and keyset-paginated. The thread page
lives in `thread_page` (its names are re-exported here for existing callers)."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from communities.models import Community
from communities.permissions import access_of
from discussions.bylines import byline, byline_annotations
from discussions.models import TaggedThread, Thread
from discussions.permissions import replies_visible_to, threads_visible_to
from discussions.selectors.annotations import (
    UNSHOWN,
    reader_state,
    tag_names,
)
from discussions.selectors.annotations import (
    reaction_summary as reaction_summary,
)
from discussions.selectors.annotations import (
    thread_is_new as thread_is_new,
)
from discussions.selectors.annotations import (
    thread_is_unread as thread_is_unread,
)
from discussions.selectors.thread_page import (
    ThreadReplies as ThreadReplies,
)
from discussions.selectors.thread_page import (
    reply_get_for_page as reply_get_for_page,
)
from discussions.selectors.thread_page import (
    reply_page_number as reply_page_number,
)
from discussions.selectors.thread_page import (
    reply_rows_for_thread as reply_rows_for_thread,
)
from discussions.selectors.thread_page import (
    revision_list as revision_list,
)
from discussions.selectors.thread_page import (
    thread_get_for_page as thread_get_for_page,
)
from discussions.selectors.thread_page import (
    thread_replies as thread_replies,
)
from members.models import User
from members.types import Viewer

LIST_PAGE_SIZE = 25
SIMILAR_LIMIT = 5
TAG_SUGGESTIONS = 20

# Keyset orderings: every field descending, the id last so ties are stable.
SORTS: dict[str, tuple[str, ...]] = {
    "activity": ("is_pinned", "last_activity_at", "id"),
    "newest": ("created_at", "id"),
    "reactions": ("reaction_count", "id"),
    "feed": ("last_activity_at", "id"),
}


# --- thread lists ----------------------------------------------------------------------------


def _list_base(user: Viewer) -> QuerySet[Thread]:
    return (
        threads_visible_to(user)
        .select_related("author")
        .defer("body", "body_html", *UNSHOWN)
        .annotate(
            tag_names=tag_names(),
            **reader_state(user),
            **byline_annotations(user.pk if user.is_authenticated else None),
        )
    )


def bylines_attach(user: Viewer, threads: list[Thread]) -> None:
    """Each listed thread's byline (`thread.byline`), from the columns `_list_base` read."""
    for thread in threads:
        author = thread.author
        thread.byline = byline(  # type: ignore[attr-defined]
            user, thread, author_id=thread.author_id, name=author.name if author else ""
        )


def thread_list_for_community(
    user: Viewer,
    community: Community,
    *,
    kind: str = "",
    tag: str = "",
    state: str = "",
    mine: bool = False,
    sort: str = "activity",
) -> QuerySet[Thread]:
    """The community's threads the viewer may read, filtered, ordered for keyset paging.
    Pinned threads come first on the default sort."""
    threads = _list_base(user).filter(community=community)
    if kind:
        threads = threads.filter(kind=kind)
    if tag:
        threads = threads.filter(tags__name__iexact=tag)
    if state == "unanswered":
        threads = threads.filter(reply_count=0)
    elif state == "answered":
        threads = threads.filter(reply_count__gt=0)
    elif state == "solved":
        threads = threads.filter(accepted_reply__isnull=False)
    if mine and user.is_authenticated:
        threads = threads.filter(author_id=user.pk)
    fields = SORTS.get(sort, SORTS["activity"])
    return threads.order_by(*(f"-{name}" for name in fields))


def thread_feed(user: Viewer) -> QuerySet[Thread]:
    """Everything the viewer may read, across communities, latest activity first."""
    return (
        _list_base(user)
        .select_related("community")
        .order_by(*(f"-{name}" for name in SORTS["feed"]))
    )


def thread_list_recent(user: Viewer, limit: int = 10) -> list[Thread]:
    """The latest activity across every community the user may read."""
    threads = list(thread_feed(user)[:limit])
    bylines_attach(user, threads)
    for thread in threads:
        thread.is_unread = thread_is_unread(thread)  # type: ignore[attr-defined]
        thread.is_new = thread_is_new(thread)  # type: ignore[attr-defined]
    return threads


def home_feed(user: Viewer, limit: int = 10) -> list[Thread]:
    """A member's home: the latest activity in the communities they are a member of
    (not every community they may read: "all discussions" is the feed), each thread
    with who replied last, in one query."""
    latest = (
        replies_visible_to(user).filter(thread_id=OuterRef("pk")).order_by("-created_at", "-pk")
    )
    threads: list[Thread] = list(
        _list_base(user)
        .select_related("community")
        # Member of: active at least as a member, the communities whose list they see.
        .filter(access_of(user).where("member_lists", "community_id"))
        .annotate(
            latest_reply_name=Subquery(latest.values("author__display_name")[:1]),
            latest_reply_email=Subquery(latest.values("author__email")[:1]),
        )
        .order_by(*(f"-{name}" for name in SORTS["feed"]))[:limit]
    )
    bylines_attach(user, threads)
    for thread in threads:
        email = thread.latest_reply_email  # type: ignore[attr-defined]
        thread.latest_reply_by = (  # type: ignore[attr-defined]
            User.name_from(thread.latest_reply_name or "", email) if email else ""  # type: ignore[attr-defined]
        )
        thread.is_unread = thread_is_unread(thread)  # type: ignore[attr-defined]
        thread.is_new = thread_is_new(thread)  # type: ignore[attr-defined]
    return threads


def encode_cursor(thread: Thread, sort: str) -> str:
    values: list[Any] = []
    for name in SORTS[sort]:
        value = getattr(thread, name)
        values.append(value.isoformat() if isinstance(value, datetime) else value)
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> list[Any] | None:
    """The values a cursor stands for, or None for anything that is not a valid cursor."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
        fields = SORTS[sort]
        if not isinstance(values, list) or len(values) != len(fields):
            return None
        decoded: list[Any] = []
        for name, value in zip(fields, values, strict=True):
            if name.endswith("_at"):
                parsed = datetime.fromisoformat(value)
                if parsed.tzinfo is None:
                    return None
                decoded.append(parsed)
            elif name == "is_pinned":
                decoded.append(bool(value))
            elif isinstance(value, int) and not isinstance(value, bool):
                decoded.append(value)
            else:
                return None
        return decoded
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None


@dataclass
class ThreadPage:
    threads: list[Thread]
    next_cursor: str | None


def keyset_page(
    threads: QuerySet[Thread],
    *,
    sort: str,
    cursor: str = "",
    size: int = LIST_PAGE_SIZE,
    viewer: Viewer | None = None,
) -> ThreadPage:
    """One page after the cursor (descending on every field of the sort), in one query.
    With the `viewer` of a `_list_base` list, each thread gets its byline."""
    fields = SORTS[sort]
    values = decode_cursor(cursor, sort) if cursor else None
    if values is not None:
        after = Q()
        for i, name in enumerate(fields):
            equal = {fields[j]: values[j] for j in range(i)}
            after |= Q(**equal, **{f"{name}__lt": values[i]})
        threads = threads.filter(after)
    rows = list(threads[: size + 1])
    page = rows[:size]
    if viewer is not None:
        bylines_attach(viewer, page)
    for thread in page:
        thread.is_unread = thread_is_unread(thread)  # type: ignore[attr-defined]
        thread.is_new = thread_is_new(thread)  # type: ignore[attr-defined]
    next_cursor = encode_cursor(page[-1], sort) if len(rows) > size else None
    return ThreadPage(threads=page, next_cursor=next_cursor)


def tag_suggestions(user: Viewer, community: Community) -> list[str]:
    """The community's most used tags, for the tag field's suggestions and the filter.

    Counted over the threads every reader of the community sees (not hidden, not
    deleted), so one cached list serves all of them; callers check the viewer may read
    the community. Cached for a few minutes: a new tag shows up a little later.
    """
    key = f"discussions:tags:{community.pk}"
    tags = cache.get(key)
    if tags is None:
        shown = Thread.objects.filter(
            community=community, is_hidden=False, deleted_at__isnull=True
        ).values("pk")
        tags = list(
            TaggedThread.objects.filter(content_object__in=shown)
            .values("tag__name")
            .annotate(uses=Count("pk"))
            .order_by("-uses", "tag__name")
            .values_list("tag__name", flat=True)[:TAG_SUGGESTIONS]
        )
        cache.set(key, tags, 300)
    return list(tags)


def similar_threads(user: Viewer, community: Community, title: str) -> list[Thread]:
    """Up to five readable threads of the community whose title shares one of the
    longest three words of `title` (words shorter than four letters are ignored)."""
    words = sorted(
        {word.strip("?!.,:;'\"()").lower() for word in title.split()}, key=len, reverse=True
    )
    words = [word for word in words if len(word) >= 4][:3]
    if not words:
        return []
    matches = Q()
    for word in words:
        matches |= Q(title__icontains=word)
    return list(
        threads_visible_to(user)
        .filter(community=community)
        .filter(matches)
        .order_by("-last_activity_at", "-pk")[:SIMILAR_LIMIT]
    )
