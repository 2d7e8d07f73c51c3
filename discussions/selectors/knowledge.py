"""Reads on knowledge pages, always built on knowledge_pages_visible_to / threads_visible_to."""

import difflib
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from communities.models import Community
from discussions.models import KnowledgePage, KnowledgePageRevision, Thread
from discussions.permissions import (
    knowledge_pages_visible_to,
    replies_visible_to,
    threads_visible_to,
)
from members.types import Viewer


def knowledge_page_list_for_community(
    user: Viewer, community: Community
) -> QuerySet[KnowledgePage]:
    return (
        knowledge_pages_visible_to(user)
        .filter(community=community)
        .select_related("community", "updated_by")
        .order_by("title", "pk")
    )


def knowledge_page_get(user: Viewer, *, slug: str, page_slug: str) -> KnowledgePage | None:
    """The page if the user may read it, else None (missing and forbidden alike)."""
    return (
        knowledge_pages_visible_to(user)
        .filter(community__slug=slug, slug=page_slug)
        .select_related("community", "updated_by")
        .first()
    )


def knowledge_page_sources(user: Viewer, page: KnowledgePage) -> QuerySet[Thread]:
    """The page's source threads the user may read (none for anonymous visitors)."""
    return (
        threads_visible_to(user)
        .filter(pk__in=page.source_threads.values("pk"))
        .order_by("-created_at", "-pk")
    )


def knowledge_pages_for_thread(user: Viewer, thread: Thread) -> QuerySet[KnowledgePage]:
    """The pages the thread was distilled into that the user may read ("distilled
    into" on the thread page)."""
    return (
        knowledge_pages_visible_to(user)
        .filter(pk__in=thread.knowledge_pages.values("pk"))
        .select_related("community")
        .order_by("title", "pk")
    )


def knowledge_source_candidates(
    user: Viewer, community: Community, page: KnowledgePage | None = None
) -> QuerySet[Thread]:
    """Threads an editor may link as sources: the community's visible, live threads, and
    whatever the page already links that the editor can see."""
    wanted = Q(deleted_at__isnull=True, is_hidden=False)
    if page is not None:
        wanted |= Q(pk__in=page.source_threads.values("pk"))
    return (
        threads_visible_to(user)
        .filter(community=community)
        .filter(wanted)
        .order_by("-last_activity_at", "-pk")
    )


def knowledge_revision_list(page: KnowledgePage) -> QuerySet[KnowledgePageRevision]:
    return page.revisions.select_related("edited_by").order_by("-version")


def knowledge_revision_get(page: KnowledgePage, version: int) -> KnowledgePageRevision | None:
    return page.revisions.filter(version=version).first()


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line.strip() else ">" for line in text.strip().splitlines())


def knowledge_outline_for_thread(user: Viewer, thread: Thread) -> str:
    """A Markdown starting point for a page distilled from the thread: room for the
    lesson, the question quoted, and the accepted answer quoted when the user may read it."""
    parts = [
        "## " + _("In short"),
        _("Write here, in a few sentences, what the community learned."),
        "## " + _("The question"),
        _quote(thread.body),
    ]
    accepted = (
        replies_visible_to(user).filter(pk=thread.accepted_reply_id).first()
        if thread.accepted_reply_id
        else None
    )
    if accepted is not None:
        parts += ["## " + _("The accepted answer"), _quote(accepted.body)]
    title = thread.title.replace("[", "(").replace("]", ")")
    parts.append("{}: [{}]({})".format(_("Source"), title, thread.get_absolute_url()))
    return "\n\n".join(parts) + "\n"


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "added", "removed", "context" or "hunk"
    text: str


def text_diff(old: str, new: str) -> list[DiffLine]:
    """A unified diff as lines for the template, which escapes them."""
    kinds = {"+": "added", "-": "removed", "@": "hunk"}
    lines = difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2)
    return [
        DiffLine(kinds.get(line[:1], "context"), line)
        for line in lines
        if not line.startswith(("+++", "---"))
    ]
