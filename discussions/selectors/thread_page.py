"""The thread page, read in a fixed number of queries whatever its size: the thread
(with its tags, the viewer's reactions and read state as subqueries), every reply of the
thread in one query (with the same subqueries), and the attachments of the thread and
the page's replies in one more (skipped when the thread has none)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from django.conf import settings
from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.module_loading import import_string

from discussions.bylines import byline, byline_annotations
from discussions.models import Attachment, Reply, Thread
from discussions.permissions import (
    can_read_thread,
    muted_annotation,
    replies_shown_q,
    replies_visible_to,
    reply_readable_in_thread,
)
from discussions.selectors.annotations import (
    UNSHOWN,
    decorate,
    knowledge_links,
    reaction_kinds,
    reader_state,
    tag_names,
)
from discussions.selectors.subscriptions import viewer_level_annotations
from discussions.tree import ReplyNode, RootPage, iter_nodes, page_of, paginate_roots, reply_tree
from members.models import User
from members.prepared import ID_PLACEHOLDERS, TIME_PLACEHOLDER, PreparedQuery
from members.types import Viewer


def extension_annotations() -> dict[str, Any]:
    """What higher apps add to the thread (settings.THREAD_PAGE_ANNOTATIONS names their
    functions, so this app never imports them): the meetings that discussed it."""
    extra: dict[str, Any] = {}
    for name in settings.THREAD_PAGE_ANNOTATIONS:
        extra |= import_string(name)()
    return extra


def _thread_query(thread_id: int, user: Viewer, now: datetime) -> QuerySet[Thread]:
    annotations: dict[str, Any] = {
        **extension_annotations(),
        "tag_names": tag_names(),
        "knowledge_links": knowledge_links(),
        "reaction_kinds": reaction_kinds("thread"),
        # Most threads have no attachments at all: then their query is skipped.
        "has_attachments": Exists(
            Attachment.objects.filter(
                Q(thread_id=OuterRef("pk")) | Q(reply__thread_id=OuterRef("pk"))
            )
        ),
    }
    if user.is_authenticated:
        annotations.update(
            my_reaction_kinds=reaction_kinds("thread", user),
            **byline_annotations(cast(int, user.pk)),
            viewer_is_muted=muted_annotation(user, now),
            **viewer_level_annotations(cast(User, user)),
            **reader_state(user),
        )
    else:
        annotations.update(byline_annotations(None))
    # No visibility subqueries: can_read_thread decides from the viewer's access.
    return (
        Thread.objects.filter(pk=thread_id)
        .select_related("community", "author")
        .defer("body", *UNSHOWN)
        .annotate(**annotations)
    )


# Building and compiling the page's two queries cost more than running them: each is
# compiled once per process and shape (see members.prepared).
_THREAD_FOR_USER = PreparedQuery(
    lambda thread_id, user_id, now: _thread_query(thread_id, User(pk=user_id), now),
    thread_id=ID_PLACEHOLDERS[0],
    user_id=ID_PLACEHOLDERS[1],
    now=TIME_PLACEHOLDER,
)


def thread_get_for_page(user: Viewer, thread_id: int) -> Thread:
    """The thread with what its page shows, or 404 for missing and not readable alike."""
    if user.is_authenticated:
        found = _THREAD_FOR_USER.run(thread_id=thread_id, user_id=user.pk, now=timezone.now())
        thread = found[0] if found else None
    else:
        thread = _thread_query(thread_id, user, timezone.now()).first()
    if thread is None or not can_read_thread(user, thread):
        raise Http404  # one answer for missing and not readable alike
    decorate(thread)
    author = thread.author
    thread.byline = byline(  # type: ignore[attr-defined]
        user, thread, author_id=thread.author_id, name=author.name if author else ""
    )
    return thread


def _reply_query(
    thread_id: int, user: Viewer, readable: Q | None, community_id: int
) -> QuerySet[Reply]:
    replies = (
        Reply.objects.filter(thread_id=thread_id)
        .defer("body", "search_vector")
        .annotate(
            # The author's name without a User object per reply: `author_name` below.
            author_display_name=F("author__display_name"),
            author_email=F("author__email"),
            is_visible=Value(True)
            if readable is None
            else ExpressionWrapper(readable, output_field=BooleanField()),
            reaction_kinds=reaction_kinds("reply"),
            **byline_annotations(
                cast(int, user.pk) if user.is_authenticated else None, community=community_id
            ),
        )
        .order_by("created_at", "pk")
    )
    if user.is_authenticated:
        replies = replies.annotate(my_reaction_kinds=reaction_kinds("reply", user))
    return replies


def _prepared_replies(shown: bool) -> PreparedQuery[Reply]:
    def build(thread_id: int, user_id: int, community_id: int) -> QuerySet[Reply]:
        return _reply_query(
            thread_id, User(pk=user_id), replies_shown_q(user_id) if shown else None, community_id
        )

    return PreparedQuery(
        build,
        thread_id=ID_PLACEHOLDERS[0],
        user_id=ID_PLACEHOLDERS[1],
        community_id=ID_PLACEHOLDERS[2],
    )


# For moderators (every reply visible) and for other readers (`replies_shown_q`).
_REPLIES_ALL, _REPLIES_SHOWN = _prepared_replies(shown=False), _prepared_replies(shown=True)


def reply_rows_for_thread(user: Viewer, thread: Thread) -> list[Reply]:
    """Every reply of the thread in one query, oldest first. Replies the viewer may not
    read (deleted, hidden) come without their content, marked `is_visible=False`, so the
    tree can keep a placeholder where replies to them hang."""
    readable = reply_readable_in_thread(user, thread)
    rows: list[Reply]
    values = {"thread_id": thread.pk, "user_id": user.pk, "community_id": thread.community_id}
    if user.is_authenticated and readable is None:
        rows = _REPLIES_ALL.run(**values)
    elif user.is_authenticated and readable == replies_shown_q(user.pk):
        rows = _REPLIES_SHOWN.run(**values)
    else:
        rows = list(_reply_query(thread.pk, user, readable, thread.community_id))
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
        reply.byline = byline(  # type: ignore[attr-defined]
            user,
            reply,
            author_id=reply.author_id if reply.is_visible else None,  # type: ignore[attr-defined]
            name=reply.author_name,  # type: ignore[attr-defined]
        )
        decorate(reply)
    return rows


def _attach_attachments(thread: Thread, replies: list[Reply]) -> None:
    """The attachments of the thread and of these replies in one query, as a plain list
    in `post.attachment_list` (a related manager per reply cost more than the query)."""
    by_post: dict[tuple[str, int], list[Attachment]] = {("thread", thread.pk): []}
    by_post.update({("reply", reply.pk): [] for reply in replies})
    found: Iterable[Attachment] = ()
    if getattr(thread, "has_attachments", True):  # most threads have none: no queryset
        found = Attachment.objects.filter(
            Q(thread=thread) | Q(reply_id__in=[r.pk for r in replies])
        ).order_by("created_at", "pk")
    for attachment in found:
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
        .annotate(reaction_kinds=reaction_kinds("reply"))
    )
    if user.is_authenticated:
        replies = replies.annotate(my_reaction_kinds=reaction_kinds("reply", user))
    reply = get_object_or_404(replies, pk=reply_id)
    decorate(reply)
    return reply


def revision_list(post: Thread | Reply) -> QuerySet[Any]:
    """Earlier versions of the post, newest first (the caller checked can_view_revisions)."""
    return post.revisions.select_related("edited_by").order_by("-created_at", "-pk")
