"""Reads on threads and replies, always built on the permission querysets.

The thread page is read in a fixed number of queries whatever its size: the thread (with
its tags, the viewer's reactions and read state as subqueries), every reply of the thread
in one query (with the same subqueries), and the attachments of the thread and the
page's replies in one more. Thread lists are keyset-paginated.
"""

import base64
import binascii
import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import JSONObject
from django.http import Http404
from django.shortcuts import get_object_or_404

from communities.models import Community
from discussions.models import (
    Attachment,
    CommunityVisit,
    KnowledgePage,
    Reaction,
    ReadState,
    Reply,
    TaggedThread,
    Thread,
)
from discussions.permissions import (
    can_read_thread,
    muted_annotation,
    replies_visible_to,
    reply_readable_in_thread,
    threads_visible_to,
)
from discussions.selectors.subscriptions import viewer_level_annotations
from discussions.tree import ReplyNode, RootPage, iter_nodes, page_of, paginate_roots, reply_tree
from members.models import User
from members.types import Viewer

LIST_PAGE_SIZE = 25
SIMILAR_LIMIT = 5
TAG_SUGGESTIONS = 20

# Columns the pages never show but would parse for every row: the Markdown source, the
# search vector, and the author's profile text and settings.
_UNSHOWN = ("search_vector", "author__password", "author__bio", "author__field_visibility")

# Keyset orderings: every field descending, the id last so ties are stable.
SORTS: dict[str, tuple[str, ...]] = {
    "activity": ("is_pinned", "last_activity_at", "id"),
    "newest": ("created_at", "id"),
    "reactions": ("reaction_count", "id"),
    "feed": ("last_activity_at", "id"),
}


# --- annotations ------------------------------------------------------------------------


def _knowledge_links() -> ArraySubquery:
    """The knowledge pages the thread was distilled into, as {title, slug} pairs. Only
    pages of the thread's own community: whoever may read the thread may read those
    (knowledge_pages_visible_to), so the page shows them without another query."""
    return ArraySubquery(
        KnowledgePage.objects.filter(
            source_threads=OuterRef("pk"), community_id=OuterRef("community_id")
        )
        .order_by("title", "pk")
        .values(link=JSONObject(title="title", slug="slug"))
    )


def _tag_names() -> ArraySubquery:
    return ArraySubquery(
        TaggedThread.objects.filter(content_object=OuterRef("pk"))
        .order_by("tag__name")
        .values("tag__name")
    )


def _reaction_kinds(post_field: str, user: Viewer | None = None) -> ArraySubquery:
    reactions = Reaction.objects.filter(**{post_field: OuterRef("pk")})
    if user is not None:
        reactions = reactions.filter(user_id=cast(int, user.pk))
    return ArraySubquery(reactions.order_by().values("kind"))


def _reader_state(user: Viewer) -> dict[str, Subquery]:
    """When the viewer last read each thread and last visited its community."""
    if not user.is_authenticated:
        return {}
    return {
        "last_read_at": Subquery(
            ReadState.objects.filter(user=user, thread=OuterRef("pk")).values("last_read_at")[:1]
        ),
        "last_visit_at": Subquery(
            CommunityVisit.objects.filter(user=user, community=OuterRef("community")).values(
                "last_visit_at"
            )[:1]
        ),
    }


def reaction_summary(kinds: list[str] | None, mine: list[str] | None) -> list[dict[str, Any]]:
    """Per kind of the fixed set: its label, how many, and whether the viewer gave it."""
    counts = Counter(kinds or [])
    given = set(mine or [])
    return [
        {"kind": kind, "label": label, "count": counts[kind], "mine": kind in given}
        for kind, label in Reaction.Kind.choices
    ]


def _decorate(post: Thread | Reply) -> None:
    post.reactions_shown = reaction_summary(  # type: ignore[union-attr]
        getattr(post, "reaction_kinds", None), getattr(post, "my_reaction_kinds", None)
    )


def thread_is_unread(thread: Thread) -> bool:
    last_read = getattr(thread, "last_read_at", None)
    return last_read is None or thread.last_activity_at > last_read


def thread_is_new(thread: Thread) -> bool:
    """Started since the viewer's previous visit to its community (never on a first visit,
    when everything would be new)."""
    last_visit = getattr(thread, "last_visit_at", None)
    return last_visit is not None and thread.created_at > last_visit


# --- thread lists ----------------------------------------------------------------------------


def _list_base(user: Viewer) -> QuerySet[Thread]:
    return (
        threads_visible_to(user)
        .select_related("author")
        .defer("body", "body_html", *_UNSHOWN)
        .annotate(tag_names=_tag_names(), **_reader_state(user))
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
    for thread in threads:
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
    threads: QuerySet[Thread], *, sort: str, cursor: str = "", size: int = LIST_PAGE_SIZE
) -> ThreadPage:
    """One page after the cursor (descending on every field of the sort), in one query."""
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


# --- the thread page -----------------------------------------------------------------------


def thread_get_for_page(user: Viewer, thread_id: int) -> Thread:
    """The thread with what its page shows, or 404 for missing and not readable alike."""
    annotations: dict[str, Any] = {
        "tag_names": _tag_names(),
        "knowledge_links": _knowledge_links(),
        "reaction_kinds": _reaction_kinds("thread"),
        # Most threads have no attachments at all: then their query is skipped.
        "has_attachments": Exists(
            Attachment.objects.filter(
                Q(thread_id=OuterRef("pk")) | Q(reply__thread_id=OuterRef("pk"))
            )
        ),
    }
    if user.is_authenticated:
        annotations.update(
            my_reaction_kinds=_reaction_kinds("thread", user),
            viewer_is_muted=muted_annotation(user),
            **viewer_level_annotations(user),
            **_reader_state(user),
        )
    # Building and compiling this query costs more than running it: one annotate() and
    # no visibility subqueries (can_read_thread decides from the cached roles instead).
    threads = (
        Thread.objects.filter(pk=thread_id)
        .select_related("community", "author")
        .defer("body", *_UNSHOWN)
    )
    thread = threads.annotate(**annotations).first()
    if thread is None or not can_read_thread(user, thread):
        raise Http404  # one answer for missing and not readable alike
    _decorate(thread)
    return thread


def reply_rows_for_thread(user: Viewer, thread: Thread) -> list[Reply]:
    """Every reply of the thread in one query, oldest first. Replies the viewer may not
    read (deleted, hidden) come without their content, marked `is_visible=False`, so the
    tree can keep a placeholder where replies to them hang."""
    readable = reply_readable_in_thread(user, thread)
    replies = (
        Reply.objects.filter(thread=thread)
        .defer("body", "search_vector")
        .annotate(
            # The author's name without a User object per reply: `author_name` below.
            author_display_name=F("author__display_name"),
            author_email=F("author__email"),
            is_visible=Value(True)
            if readable is None
            else ExpressionWrapper(readable, output_field=BooleanField()),
            reaction_kinds=_reaction_kinds("reply"),
        )
        .order_by("created_at", "pk")
    )
    if user.is_authenticated:
        replies = replies.annotate(my_reaction_kinds=_reaction_kinds("reply", user))
    rows: list[Reply] = list(replies)
    for reply in rows:
        reply.thread = thread  # permissions read the community through it: no query
        if not reply.is_visible:  # type: ignore[attr-defined]
            reply.body = reply.body_html = ""
            reply.author = None
        reply.author_name = (  # type: ignore[attr-defined]
            User.name_from(reply.author_display_name, reply.author_email)  # type: ignore[attr-defined]
            if reply.author_id is not None
            else ""
        )
        _decorate(reply)
    return rows


def _attach_attachments(thread: Thread, replies: list[Reply]) -> None:
    """The attachments of the thread and of these replies in one query, as a plain list
    in `post.attachment_list` (a related manager per reply cost more than the query)."""
    by_post: dict[tuple[str, int], list[Attachment]] = {("thread", thread.pk): []}
    by_post.update({("reply", reply.pk): [] for reply in replies})
    found = Attachment.objects.filter(Q(thread=thread) | Q(reply_id__in=[r.pk for r in replies]))
    if not getattr(thread, "has_attachments", True):
        found = found.none()
    for attachment in found.order_by("created_at", "pk"):
        owner = ("thread", thread.pk) if attachment.thread_id == thread.pk else None
        owner = owner or ("reply", cast(int, attachment.reply_id))
        if owner in by_post:
            by_post[owner].append(attachment)
    thread.attachment_list = by_post[("thread", thread.pk)]  # type: ignore[attr-defined]
    for reply in replies:
        reply.attachment_list = by_post[("reply", reply.pk)]  # type: ignore[attr-defined]


@dataclass
class ThreadReplies:
    page: RootPage
    accepted: ReplyNode | None
    nodes_on_page: list[ReplyNode]


def thread_replies(user: Viewer, thread: Thread, page_number: int) -> ThreadReplies:
    """One page of the thread's reply tree (whole top-level replies with everything
    below them) and the accepted answer, wherever it sits."""
    rows = reply_rows_for_thread(user, thread)
    roots = reply_tree(rows)
    page = paginate_roots(roots, page_number)
    accepted = None
    if thread.accepted_reply_id is not None:
        accepted = next(
            (
                node
                for node in iter_nodes(roots)
                if node.reply.pk == thread.accepted_reply_id and not node.placeholder
            ),
            None,
        )
    nodes = list(iter_nodes(page.roots))
    shown = {node.reply.pk: node.reply for node in nodes if not node.placeholder}
    if accepted is not None:
        shown[accepted.reply.pk] = accepted.reply
    _attach_attachments(thread, list(shown.values()))
    return ThreadReplies(page=page, accepted=accepted, nodes_on_page=nodes)


def reply_page_number(user: Viewer, thread: Thread, reply_id: int) -> int:
    """On which page of the thread the reply is shown (same tree as the page)."""
    visible = replies_visible_to(user).filter(thread=thread).values("pk")
    rows = list(
        Reply.objects.filter(thread=thread)
        .only("pk", "parent_id")
        .annotate(is_visible=ExpressionWrapper(Q(pk__in=visible), output_field=BooleanField()))
        .order_by("created_at", "pk")
    )
    return page_of(reply_tree(rows), reply_id)


def reply_get_for_page(user: Viewer, reply_id: int) -> Reply:
    """One reply with its reactions, for the reaction and accept partials."""
    replies = (
        replies_visible_to(user)
        .select_related("thread__community", "author")
        .annotate(reaction_kinds=_reaction_kinds("reply"))
    )
    if user.is_authenticated:
        replies = replies.annotate(my_reaction_kinds=_reaction_kinds("reply", user))
    reply = get_object_or_404(replies, pk=reply_id)
    _decorate(reply)
    return reply


def revision_list(post: Thread | Reply) -> QuerySet[Any]:
    """Earlier versions of the post, newest first (the caller checked can_view_revisions)."""
    return post.revisions.select_related("edited_by").order_by("-created_at", "-pk")
