"""Who may see and do what with threads, replies and knowledge pages: the one place.

Built on communities.permissions. Lists, search, feeds and notifications start from
`threads_visible_to` / `replies_visible_to`; objects are fetched through the
`get_*_for_user_or_404` helpers (one 404 for missing and forbidden).

Deleted posts are visible only to facilitators and site admins (who can restore them);
hidden posts to facilitators, site admins and their authors.
"""

from collections.abc import Callable
from typing import Any, cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.models import Community, Membership
from communities.permissions import (
    Role,
    can_read_community,
    communities_readable_by,
    is_site_admin,
    role_in,
)
from discussions.models import Attachment, CommunityMute, KnowledgePage, Reply, Thread
from members.models import User
from members.types import Viewer


def _moderated_communities(user: User) -> QuerySet[Membership, Any]:
    return Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__gte=Membership.Role.FACILITATOR
    ).values("community_id")


_QUERYSETS_ATTR = "_visibility_querysets"


def _built_once(user: Viewer, name: str, build: Callable[[], QuerySet[Any]]) -> QuerySet[Any]:
    """A visibility queryset, built once per user object (so once per request; building
    one cost more than running it). Only its shape is kept: which rows match is read
    from the database each time it runs, and the shape follows from who the user is."""
    if not user.is_authenticated:
        return build()
    built: dict[tuple[str, bool], QuerySet[Any]] | None = getattr(user, _QUERYSETS_ATTR, None)
    if built is None:
        built = {}
        setattr(user, _QUERYSETS_ATTR, built)
    key = (name, user.is_staff)
    if key not in built:
        built[key] = build()
    return built[key].all()  # a copy: callers may filter or evaluate it


def threads_visible_to(user: Viewer) -> QuerySet[Thread]:
    """Threads the user may read: in readable communities; deleted ones only for
    moderators, hidden ones for moderators and their authors."""
    return _built_once(user, "threads", lambda: _threads_visible_to(user))


def _threads_visible_to(user: Viewer) -> QuerySet[Thread]:
    threads = Thread.objects.filter(community__in=communities_readable_by(user))
    if not user.is_authenticated:
        return threads.none()
    if user.is_staff:
        return threads
    moderates = Q(community__in=_moderated_communities(user))
    return threads.filter(
        moderates | (Q(deleted_at__isnull=True) & (Q(is_hidden=False) | Q(author=user)))
    )


def can_read_thread(user: Viewer, thread: Thread) -> bool:
    """`threads_visible_to` for one thread fetched with its community, decided in Python
    from the viewer's cached roles: the thread page's own query then carries no
    visibility subqueries. Tests hold the two to the same answers for every persona."""
    if not user.is_authenticated or not can_read_community(user, thread.community):
        return False
    if user.is_staff or can_moderate(user, thread.community):
        return True
    return thread.deleted_at is None and (not thread.is_hidden or thread.author_id == user.pk)


def replies_visible_to(user: Viewer) -> QuerySet[Reply]:
    """Replies in threads the user may read, with the same rules for deleted/hidden."""
    return _built_once(user, "replies", lambda: _replies_visible_to(user))


def _replies_visible_to(user: Viewer) -> QuerySet[Reply]:
    replies = Reply.objects.filter(thread__in=threads_visible_to(user))
    if not user.is_authenticated or user.is_staff:
        return replies
    moderates = Q(thread__community__in=_moderated_communities(user))
    return replies.filter(
        moderates | (Q(deleted_at__isnull=True) & (Q(is_hidden=False) | Q(author=user)))
    )


def reply_readable_in_thread(user: Viewer, thread: Thread) -> Q | None:
    """For a thread the user may read (fetched through `get_thread_for_user_or_404`):
    the condition on its replies that `replies_visible_to` would apply, without checking
    the thread again (which costs a scan of the visible threads per reply on a large
    site). None means every reply."""
    if can_moderate(user, thread.community):
        return None
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(deleted_at__isnull=True) & (Q(is_hidden=False) | Q(author=user))


def get_thread_for_user_or_404(user: Viewer, thread_id: int) -> Thread:
    # One 404 for missing and forbidden: ids must not reveal existence.
    return get_object_or_404(
        threads_visible_to(user).select_related("community", "author"), pk=thread_id
    )


def get_reply_for_user_or_404(user: Viewer, reply_id: int) -> Reply:
    return get_object_or_404(
        replies_visible_to(user).select_related("thread__community", "author"), pk=reply_id
    )


def attachments_visible_to(user: Viewer) -> QuerySet[Attachment]:
    """Attachments of the threads and replies the user may read (same rules)."""
    return Attachment.objects.filter(
        Q(thread__in=threads_visible_to(user)) | Q(reply__in=replies_visible_to(user))
    )


def get_attachment_for_user_or_404(user: Viewer, attachment_id: int) -> Attachment:
    # One 404 for missing and forbidden, as for threads.
    return get_object_or_404(attachments_visible_to(user), pk=attachment_id)


def thread_recipients(thread: Thread) -> QuerySet[User]:
    """Everyone who may be told about this thread: active users who can read it now."""
    community = thread.community
    readers = User.objects.filter(is_active=True)
    if not (
        community.visibility == Community.Visibility.SIGNED_IN
        and community.is_listed
        and not community.is_confidential
    ):
        readers = readers.filter(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"),
                    community=community,
                    state=Membership.State.ACTIVE,
                    role__gte=Membership.Role.MEMBER,
                )
            )
            | Q(is_staff=True)
        )
    return readers


def can_moderate(user: Viewer, community: Community) -> bool:
    """Hide, lock, pin, move, mute, restore, see flags: facilitators and site admins."""
    return is_site_admin(user) or role_in(user, community) >= Role.FACILITATOR


def muted_annotation(user: Viewer) -> Exists:
    """For a thread query: whether the viewer is muted in the thread's community now
    (`viewer_is_muted`, read by `can_reply` instead of a query of its own)."""
    return Exists(
        CommunityMute.objects.filter(
            community=OuterRef("community_id"), user_id=cast(int, user.pk), until__gt=timezone.now()
        )
    )


def is_muted(user: Viewer, community: Community) -> bool:
    if not user.is_authenticated:
        return False
    return CommunityMute.objects.filter(
        community=community, user=user, until__gt=timezone.now()
    ).exists()


def can_start_thread(user: Viewer, community: Community, kind: str = Thread.Kind.QUESTION) -> bool:
    role = role_in(user, community)
    if kind == Thread.Kind.ANNOUNCEMENT:
        return role >= Role.FACILITATOR
    return role >= Role.MEMBER and not is_muted(user, community)


def can_reply(user: Viewer, thread: Thread) -> bool:
    if thread.is_deleted:
        return False
    if thread.is_locked:
        return can_moderate(user, thread.community)
    if role_in(user, thread.community) < Role.MEMBER:
        return False
    muted = getattr(thread, "viewer_is_muted", None)
    return not (is_muted(user, thread.community) if muted is None else muted)


def can_edit_post(user: Viewer, post: Thread | Reply) -> bool:
    """Authors edit their own posts while they may post; moderators edit any."""
    community = post.community if isinstance(post, Thread) else post.thread.community
    if can_moderate(user, community):
        return True
    return (
        user.is_authenticated
        and post.author_id == user.pk
        and not post.is_deleted
        and role_in(user, community) >= Role.MEMBER
    )


def reply_rights_in(user: Viewer, thread: Thread) -> Callable[[Reply], tuple[bool, bool]]:
    """`can_edit_post` and `can_view_revisions` for many replies of one thread: the
    viewer's standing in the community is looked up once, not per reply."""
    community = thread.community
    moderates = can_moderate(user, community)
    user_id = user.pk if user.is_authenticated else None
    posts = role_in(user, community) >= Role.MEMBER

    def rights(reply: Reply) -> tuple[bool, bool]:
        own = user_id is not None and reply.author_id == user_id
        return moderates or (own and posts and not reply.is_deleted), moderates or own

    return rights


def can_delete_post(user: Viewer, post: Thread | Reply) -> bool:
    return can_edit_post(user, post)


def can_view_revisions(user: Viewer, post: Thread | Reply) -> bool:
    """The author and the community's moderators see earlier versions."""
    community = post.community if isinstance(post, Thread) else post.thread.community
    return can_moderate(user, community) or (user.is_authenticated and post.author_id == user.pk)


def can_accept_answer(user: Viewer, thread: Thread) -> bool:
    """On questions: the asker or a moderator marks the answer that solved it."""
    if thread.kind != Thread.Kind.QUESTION or thread.is_deleted:
        return False
    return can_moderate(user, thread.community) or (
        user.is_authenticated and thread.author_id == user.pk
    )


def can_react(user: Viewer, thread: Thread) -> bool:
    return not thread.is_deleted and role_in(user, thread.community) >= Role.MEMBER


def can_flag(user: Viewer, thread: Thread) -> bool:
    """Anyone who may read a thread may report a post in it to the facilitators."""
    return user.is_authenticated and can_read_community(user, thread.community)


def knowledge_pages_visible_to(user: Viewer) -> QuerySet[KnowledgePage]:
    """Public pages of communities that allow it, and pages of readable communities."""
    public = Q(visibility=KnowledgePage.Visibility.PUBLIC, community__is_confidential=False)
    if not user.is_authenticated:
        return KnowledgePage.objects.filter(public)
    return KnowledgePage.objects.filter(public | Q(community__in=communities_readable_by(user)))


def can_edit_knowledge(user: Viewer, community: Community) -> bool:
    """Core members, facilitators and site admins write the community's knowledge."""
    return is_site_admin(user) or role_in(user, community) >= Role.CORE
