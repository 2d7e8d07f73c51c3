"""Nested replies from a flat, ordered list: one query, no recursion in the database."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from discussions.models import Reply

MAX_DEPTH = 4


@dataclass
class ReplyNode:
    reply: Reply
    depth: int
    # Set when the reply is shown flatter than it was written, to keep the context.
    in_reply_to: Reply | None = None
    children: list["ReplyNode"] = field(default_factory=list)


def reply_tree(replies: Iterable[Reply]) -> list[ReplyNode]:
    """Build the reply tree from replies ordered oldest first. Replies nested deeper
    than MAX_DEPTH are shown beside their parent, with `in_reply_to` set."""
    roots: list[ReplyNode] = []
    nodes: dict[int, ReplyNode] = {}
    # The list each node sits in, so a too-deep reply can join its parent's list.
    container: dict[int, list[ReplyNode]] = {}
    for reply in replies:
        parent = nodes.get(reply.parent_id) if reply.parent_id else None
        if parent is None:
            node, siblings = ReplyNode(reply=reply, depth=0), roots
        elif parent.depth >= MAX_DEPTH:
            node = ReplyNode(reply=reply, depth=parent.depth, in_reply_to=parent.reply)
            siblings = container[parent.reply.pk]
        else:
            node, siblings = ReplyNode(reply=reply, depth=parent.depth + 1), parent.children
        siblings.append(node)
        nodes[reply.pk] = node
        container[reply.pk] = siblings
    return roots
