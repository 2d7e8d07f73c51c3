"""Who may see and do what with threads, replies and knowledge pages: the one place.

Built on the viewer's `communities.permissions.Access` (the communities they read and
moderate): every rule here is one condition on those ids and on the post's own flags,
in a database form (`thread_visible_q`, `reply_visible_q`, for the querysets and
notifications) and a Python form (`can_read_thread`, `can_read_reply`, for one object
in hand); `thread_recipients` is the same rule for every user at once. Lists, search,
feeds and notifications start from `threads_visible_to` / `replies_visible_to`; objects
are fetched through the `get_*_for_user_or_404` helpers (one 404 for missing and
forbidden).

Deleted posts are visible only to facilitators and site admins (who can restore them);
hidden posts to facilitators, site admins and their authors.
"""

from collections.abc import Callable
from datetime import datetime
from typing import cast

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.models import Community, Membership
from communities.permissions import (
    Access,
    Role,
    access_of,
    can_join,
    can_manage_community,
    can_read_community,
    can_request_to_join,
    communities_readable_by,
    community_readers,
    is_site_admin,
    role_in,
)
from discussions.models import (
    Attachment,
    CommunityMute,
    KnowledgePage,
    Notification,
    Reply,
    Thread,
)
from members.models import User
from members.types import Viewer

# --- the one rule on posts ----------------------------------------------------------------
# A post (thread or reply) is shown to who may read its community when it is not deleted
# and, if hidden, only to its author; moderators of the community see every post. Each
# rule below has a database form (`*_q`, for querysets) and a Python form (for one object
# in hand), side by side; tests hold the two equal for every persona and setting.


def _shown_q(user_id: int | None, prefix: str = "") -> Q:
    shown = Q(**{f"{prefix}is_hidden": False})
    if user_id is not None:
        shown |= Q(**{f"{prefix}author_id": user_id})
    return Q(**{f"{prefix}deleted_at__isnull": True}) & shown


def _shown(post: Thread | Reply, user_id: int | None) -> bool:
    return post.deleted_at is None and (
        not post.is_hidden or (user_id is not None and post.author_id == user_id)
    )


def thread_visible_q(access: Access, prefix: str = "") -> Q:
    """The threads (at `prefix`, e.g. "thread__") the viewer may read."""
    if access.everything:
        return Q()
    community = f"{prefix}community_id"
    return access.where("moderates", community) | (
        access.where("reads", community) & _shown_q(access.user_id, prefix)
    )


def reply_visible_q(access: Access, prefix: str = "") -> Q:
    """The replies (at `prefix`) the viewer may read: in a thread they may read, and
    shown themselves. Filtered on the reply's own community column: no join for it."""
    if access.everything:
        return Q()
    community = f"{prefix}community_id"
    user_id = access.user_id
    return access.where("moderates", community) | (
        access.where("reads", community)
        & _shown_q(user_id, f"{prefix}thread__")
        & _shown_q(user_id, prefix)
    )


def threads_visible_to(user: Viewer) -> QuerySet[Thread]:
    """Threads the user may read: in readable communities (for visitors who are not
    signed in, those open to the public); deleted ones only for moderators, hidden ones
    for moderators and their authors."""
    return Thread.objects.filter(thread_visible_q(access_of(user)))


def can_read_thread(user: Viewer, thread: Thread) -> bool:
    """`threads_visible_to` for one thread in hand (no query beyond the viewer's access)."""
    access = access_of(user)
    if access.has("moderates", thread.community_id):
        return True
    return access.has("reads", thread.community_id) and _shown(thread, access.user_id)


def replies_visible_to(user: Viewer) -> QuerySet[Reply]:
    """Replies in threads the user may read, with the same rules for deleted/hidden."""
    return Reply.objects.filter(reply_visible_q(access_of(user)))


def replies_shown_q(user_id: int | None) -> Q:
    """What a reader who does not moderate sees of a readable thread's replies (the
    thread page prepares its query for this condition)."""
    return _shown_q(user_id)


def reply_readable_in_thread(user: Viewer, thread: Thread) -> Q | None:
    """For a thread the user may read (`can_read_thread`): the condition on its replies
    that `replies_visible_to` applies, without checking the thread again. None means
    every reply."""
    access = access_of(user)
    if access.has("moderates", thread.community_id):
        return None
    if not access.has("reads", thread.community_id) or not _shown(thread, access.user_id):
        return Q(pk__in=[])
    return _shown_q(access.user_id)


def can_read_reply(user: Viewer, reply: Reply) -> bool:
    """`replies_visible_to` for one reply in hand, with its thread."""
    access = access_of(user)
    if access.has("moderates", reply.community_id):
        return True
    return (
        access.has("reads", reply.community_id)
        and _shown(reply.thread, access.user_id)
        and _shown(reply, access.user_id)
    )


def thread_recipients(thread: Thread) -> QuerySet[User]:
    """Everyone who may be told about this thread: active users who can read it now
    (`can_read_thread` for every user at once), in one query however many they are."""
    readers = community_readers(thread.community)
    if thread.deleted_at is None and not thread.is_hidden:
        return readers
    moderators = Exists(
        Membership.objects.filter(
            user=OuterRef("pk"),
            community_id=thread.community_id,
            state=Membership.State.ACTIVE,
            role__gte=Role.FACILITATOR,
        )
    ) | Q(is_staff=True)
    if thread.deleted_at is None and thread.author_id is not None:
        moderators |= Q(pk=thread.author_id)  # hidden: its author still sees it
    return readers.filter(moderators)


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
    access = access_of(user)
    on_thread = Q(thread__isnull=False) & thread_visible_q(access, "thread__")
    on_reply = Q(reply__isnull=False) & reply_visible_q(access, "reply__")
    return Attachment.objects.filter(on_thread | on_reply)


def get_attachment_for_user_or_404(user: Viewer, attachment_id: int) -> Attachment:
    # One 404 for missing and forbidden, as for threads.
    return get_object_or_404(attachments_visible_to(user), pk=attachment_id)


def can_moderate(user: Viewer, community: Community) -> bool:
    """Hide, lock, pin, move, mute, restore, see flags: who manages the community."""
    return can_manage_community(user, community)


def muted_annotation(user: Viewer, now: datetime | None = None) -> Exists:
    """For a thread query: whether the viewer is muted in the thread's community now
    (`viewer_is_muted`, read by `can_reply` instead of a query of its own)."""
    return Exists(
        CommunityMute.objects.filter(
            community=OuterRef("community_id"),
            user_id=cast(int, user.pk),
            until__gt=now or timezone.now(),
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


def communities_to_ask_in(user: Viewer, communities: list[Community]) -> list[Community]:
    """Of these communities, those where the user may start a question (the home's ask
    button); a mute is checked by the form itself, so no query per community here."""
    access = access_of(user)
    return [community for community in communities if access.has("posts", community.pk)]


def can_reply(user: Viewer, thread: Thread) -> bool:
    if thread.is_deleted:
        return False
    if thread.is_locked:
        return can_moderate(user, thread.community)
    if role_in(user, thread.community) < Role.MEMBER:
        return False
    muted = getattr(thread, "viewer_is_muted", None)
    return not (is_muted(user, thread.community) if muted is None else muted)


def join_call(user: Viewer, community: Community) -> str:
    """What a reader who may not post is invited to do to answer: "login" (visitors
    reading along), "join" or "request" (signed-in people who may), or nothing."""
    if not user.is_authenticated:
        return "login"
    if can_join(user, community):
        return "join"
    if can_request_to_join(user, community):
        return "request"
    return ""


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


def can_read_knowledge_page(user: Viewer, page: KnowledgePage) -> bool:
    """`knowledge_pages_visible_to` for one page in hand, its community loaded (no query
    beyond the viewer's access)."""
    if page.visibility == KnowledgePage.Visibility.PUBLIC and not page.community.is_confidential:
        return True
    return user.is_authenticated and access_of(user).has("reads", page.community_id)


def can_edit_knowledge(user: Viewer, community: Community) -> bool:
    """Core members, facilitators and site admins write the community's knowledge."""
    return is_site_admin(user) or role_in(user, community) >= Role.CORE


def notifications_visible_to(user: User) -> QuerySet[Notification]:
    """The user's own notifications about threads and replies they may still read:
    someone removed from a community keeps no trace of its threads."""
    access = access_of(user)
    about_reply = Q()  # `Q(...) | Q()` would drop the empty side: site admins see all
    if not access.everything:
        about_reply = Q(reply__isnull=True) | reply_visible_q(access, "reply__")
    return Notification.objects.filter(
        thread_visible_q(access, "thread__"), about_reply, recipient=user
    )
