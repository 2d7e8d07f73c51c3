"""Annotations the thread lists and the thread page share: tags, reactions, the
viewer's read state, and the reaction summary built from them."""

from collections import Counter
from typing import Any, cast

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, Subquery
from django.db.models.functions import JSONObject

from discussions.models import (
    CommunityVisit,
    KnowledgePage,
    Reaction,
    ReadState,
    Reply,
    TaggedThread,
    Thread,
)
from members.types import Viewer

# Columns the pages never show but would parse for every row: the Markdown source, the
# search vector, and the author's profile text and settings.
UNSHOWN = ("search_vector", "author__password", "author__bio", "author__field_visibility")


def knowledge_links() -> ArraySubquery:
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


def tag_names() -> ArraySubquery:
    return ArraySubquery(
        TaggedThread.objects.filter(content_object=OuterRef("pk"))
        .order_by("tag__name")
        .values("tag__name")
    )


def reaction_kinds(post_field: str, user: Viewer | None = None) -> ArraySubquery:
    reactions = Reaction.objects.filter(**{post_field: OuterRef("pk")})
    if user is not None:
        reactions = reactions.filter(user_id=cast(int, user.pk))
    return ArraySubquery(reactions.order_by().values("kind"))


def reader_state(user: Viewer) -> dict[str, Subquery]:
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


# The fixed kinds with their (lazy, so still per-language) labels: `Kind.choices` builds
# its list anew on every read, once per reply on the thread page.
_REACTION_CHOICES = tuple(Reaction.Kind.choices)


def reaction_summary(kinds: list[str] | None, mine: list[str] | None) -> list[dict[str, Any]]:
    """Per kind of the fixed set: its label, how many, and whether the viewer gave it."""
    counts = Counter(kinds or [])
    given = set(mine or [])
    return [
        {"kind": kind, "label": label, "count": counts[kind], "mine": kind in given}
        for kind, label in _REACTION_CHOICES
    ]


def decorate(post: Thread | Reply) -> None:
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
