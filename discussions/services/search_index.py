"""Keeps each post's stored search vector up to date. (Placeholder: filled in by the
search work; the post services already call these.)"""

from discussions.models import Reply, Thread


def thread_index(thread: Thread) -> None:
    """Recompute the thread's search vector from its title, body and tags."""


def reply_index(reply: Reply) -> None:
    """Recompute the reply's search vector from its body."""
