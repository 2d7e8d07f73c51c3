"""Nested replies from a flat, ordered list: one query, no recursion in the database."""

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from discussions.models import Reply

MAX_DEPTH = 4
ROOTS_PER_PAGE = 50


@dataclass
class ReplyNode:
    reply: Reply
    depth: int
    # Set when the reply is shown flatter than it was written, to keep the context.
    in_reply_to: Reply | None = None
    children: list["ReplyNode"] = field(default_factory=list)
    # A reply the viewer may not read (deleted or hidden) that is kept only because
    # replies to it are shown: it renders as a placeholder, without its text.
    placeholder: bool = False
    # What the viewer may do with it, decided by the view from the permission rules.
    can_edit: bool = False
    can_view_revisions: bool = False
    # The card's HTML, set by discussions.fragments.reply_cards for the page it is on.
    card: str = ""


def reply_tree(replies: Iterable[Reply]) -> list[ReplyNode]:
    """Build the reply tree from replies ordered oldest first. Replies nested deeper
    than MAX_DEPTH are shown beside their parent, with `in_reply_to` set.

    A reply annotated `is_visible=False` becomes a placeholder, and is left out
    altogether when no visible reply hangs below it."""
    roots: list[ReplyNode] = []
    nodes: dict[int, ReplyNode] = {}
    # The list each node sits in, so a too-deep reply can join its parent's list.
    container: dict[int, list[ReplyNode]] = {}
    for reply in replies:
        parent = nodes.get(reply.parent_id) if reply.parent_id else None
        placeholder = not getattr(reply, "is_visible", True)
        if parent is None:
            node, siblings = ReplyNode(reply=reply, depth=0, placeholder=placeholder), roots
        elif parent.depth >= MAX_DEPTH:
            node = ReplyNode(
                reply=reply, depth=parent.depth, in_reply_to=parent.reply, placeholder=placeholder
            )
            siblings = container[parent.reply.pk]
        else:
            node = ReplyNode(reply=reply, depth=parent.depth + 1, placeholder=placeholder)
            siblings = parent.children
        siblings.append(node)
        nodes[reply.pk] = node
        container[reply.pk] = siblings
    return _prune(roots)


def _prune(nodes: list[ReplyNode]) -> list[ReplyNode]:
    """Drop placeholders that keep nothing visible in place (post-order)."""
    kept = []
    for node in nodes:
        node.children = _prune(node.children)
        if not node.placeholder or node.children or _has_flattened_followers(node, nodes):
            kept.append(node)
    return kept


def _has_flattened_followers(node: ReplyNode, siblings: list[ReplyNode]) -> bool:
    # Past MAX_DEPTH, replies to a node sit beside it rather than below it.
    return any(
        other.in_reply_to is not None
        and other.in_reply_to.pk == node.reply.pk
        and not other.placeholder
        for other in siblings
    )


def iter_nodes(nodes: Iterable[ReplyNode]) -> Iterable[ReplyNode]:
    """Every node, depth first, in display order."""
    for node in nodes:
        yield node
        yield from iter_nodes(node.children)


@dataclass
class RootPage:
    """One page of a reply tree: whole top-level replies with all their descendants."""

    roots: list[ReplyNode]
    number: int
    num_pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1


def paginate_roots(roots: list[ReplyNode], number: int, per_page: int = ROOTS_PER_PAGE) -> RootPage:
    num_pages = max(1, math.ceil(len(roots) / per_page))
    number = min(max(1, number), num_pages)
    start = (number - 1) * per_page
    return RootPage(roots=roots[start : start + per_page], number=number, num_pages=num_pages)


def page_of(roots: list[ReplyNode], reply_id: int, per_page: int = ROOTS_PER_PAGE) -> int:
    """The page number showing the reply, 1 when it is not in the tree."""
    for index, root in enumerate(roots):
        if any(node.reply.pk == reply_id for node in iter_nodes([root])):
            return index // per_page + 1
    return 1
