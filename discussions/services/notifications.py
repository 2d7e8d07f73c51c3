"""Records notification events once and hands them to tasks on commit. (Placeholder:
filled in by the notifications work; the post services already call these.)"""

from discussions.models import Reply, Thread
from members.models import User


def notify_thread_created(thread: Thread) -> None:
    """New thread: tell those who watch the community; mentions in the body."""


def notify_reply_created(reply: Reply) -> None:
    """New reply: tell the parent's author, watchers of the thread; mentions in the body."""


def notify_answer_accepted(*, thread: Thread, reply: Reply, by: User) -> None:
    """Accepted answer: tell the reply's author."""


def notify_mentions_edited(*, post: Thread | Reply, previous_body: str) -> None:
    """An edit that adds mentions notifies only the newly mentioned."""
