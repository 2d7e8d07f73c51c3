"""Every permission check answers as its queryset: for every persona and community
setting of the authorisation matrix, the one-object checks (`can_read_thread`, ...),
the querysets (`threads_visible_to`, ...) and the recipient lists (`thread_recipients`,
...) agree on every community, thread, reply, attachment, notification and person.

They all derive from one `communities.permissions.Access` per viewer; this holds the
database and the Python form of each rule to the same answers."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities.models import Community
from communities.permissions import (
    Access,
    access_of,
    can_know_community,
    can_manage_community,
    can_read_community,
    can_view_member_list,
    communities_readable_by,
    communities_visible_to,
    community_readers,
    people_visible_to,
    shares_community,
    shares_community_exists,
)
from discussions.models import Attachment, KnowledgePage, Notification, Reply, Thread
from discussions.permissions import (
    attachments_visible_to,
    can_moderate,
    can_read_knowledge_page,
    can_read_reply,
    can_read_thread,
    knowledge_pages_visible_to,
    notifications_visible_to,
    replies_visible_to,
    reply_readable_in_thread,
    thread_recipients,
    threads_visible_to,
)
from discussions.services.attachments import attachments_add
from discussions.services.moderation import post_set_hidden
from discussions.services.posts import reply_create, thread_create
from members.models import User
from tests.test_authz_matrix import PERSONAS, SETTINGS, World, _build_world

pytestmark = pytest.mark.django_db


def _deleted(post: Thread | Reply) -> None:
    type(post).objects.filter(pk=post.pk).update(deleted_at=timezone.now() - timedelta(days=1))


def _posts(world: World) -> None:
    """Beside the world's plain thread and reply: hidden, deleted and own hidden posts,
    replies in a hidden and a deleted thread, and posts in the other community."""
    people = world.people
    community, facilitator, member = world.community, people["facilitator"], people["member"]
    assert facilitator is not None and member is not None

    def thread(title: str, author: User = facilitator, where: Community = community) -> Thread:
        return thread_create(community=where, author=author, kind="tip", title=title, body="b")

    hidden = thread("Verborgen")
    post_set_hidden(post=hidden, by=facilitator, hidden=True)
    own_hidden = thread("Eigen", author=member)
    post_set_hidden(post=own_hidden, by=facilitator, hidden=True)
    gone = thread("Weg")
    for target in (world.thread, hidden, own_hidden, gone):
        reply_create(thread=target, author=facilitator, body="Ook")
    hidden_reply = reply_create(thread=world.thread, author=member, body="Stil")
    post_set_hidden(post=hidden_reply, by=facilitator, hidden=True)
    _deleted(reply_create(thread=world.thread, author=facilitator, body="Weg"))
    _deleted(gone)
    attachments_add(
        post=hidden_reply, files=[SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n")], by=member
    )
    for where in (community, Community.objects.get(slug="o")):
        for visibility in KnowledgePage.Visibility.values:
            KnowledgePage.objects.create(
                community=where, title=visibility, slug=visibility, body="k", visibility=visibility
            )
    other = Community.objects.get(slug="o")
    other_facilitator = people["other_facilitator"]
    assert other_facilitator is not None
    reply_create(
        thread=thread("Elders", author=other_facilitator, where=other),
        author=other_facilitator,
        body="Daar",
    )


def _viewer(world: World, persona: str) -> User | AnonymousUser:
    user = world.people[persona]
    # A fresh object: nothing cached from the world's building.
    return AnonymousUser() if user is None else User.objects.get(pk=user.pk)


def _ids(queryset: object) -> set[int]:
    return set(queryset.values_list("pk", flat=True))  # type: ignore[attr-defined]


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_every_check_answers_as_its_queryset(setting: str) -> None:
    world = _build_world(setting)
    _posts(world)
    communities = list(Community.objects.all())
    threads = list(Thread.objects.select_related("community"))
    replies = list(Reply.objects.select_related("thread"))
    attachments = list(Attachment.objects.all())
    people = [user for user in world.people.values() if user is not None]
    for user in people:  # one notification about each thread and reply for everyone
        Notification.objects.bulk_create(
            [Notification(recipient=user, kind="reply", thread=t) for t in threads]
            + [
                Notification(recipient=user, kind="reply", thread_id=r.thread_id, reply=r)
                for r in replies
            ],
            ignore_conflicts=True,
        )
    failures = []

    def check(what: str, persona: str, expected: bool, actual: bool) -> None:
        if expected != actual:
            failures.append(f"{setting} {persona:>17} {what}: check {expected}, query {actual}")

    for persona in PERSONAS:
        viewer = _viewer(world, persona)
        known, readable = (
            _ids(communities_visible_to(viewer)),
            _ids(communities_readable_by(viewer)),
        )
        for community in communities:
            name = f"community {community.slug}"
            check(
                f"knows {name}",
                persona,
                can_know_community(viewer, community),
                community.pk in known,
            )
            check(
                f"reads {name}",
                persona,
                can_read_community(viewer, community),
                community.pk in readable,
            )
            assert can_moderate(viewer, community) == can_manage_community(viewer, community)
            if isinstance(viewer, User):
                readers = _ids(community_readers(community))
                check(
                    f"is a reader of {name}",
                    persona,
                    can_read_community(viewer, community),
                    viewer.pk in readers,
                )
        visible_threads = _ids(threads_visible_to(viewer))
        for thread in threads:
            name = f"thread {thread.title!r}"
            can = can_read_thread(viewer, thread)
            check(f"reads {name}", persona, can, thread.pk in visible_threads)
            if isinstance(viewer, User):
                check(
                    f"is told of {name}", persona, can, viewer.pk in _ids(thread_recipients(thread))
                )
            if can:  # the thread page's own condition on the thread's replies
                condition = reply_readable_in_thread(viewer, thread)
                in_thread = Reply.objects.filter(thread=thread)
                shown = in_thread if condition is None else in_thread.filter(condition)
                check(
                    f"replies of {name}",
                    persona,
                    True,
                    _ids(shown) == _ids(replies_visible_to(viewer).filter(thread=thread)),
                )
        visible_pages = _ids(knowledge_pages_visible_to(viewer))
        for page in KnowledgePage.objects.select_related("community"):
            check(
                f"reads page {page.title} of {page.community.slug}",
                persona,
                can_read_knowledge_page(viewer, page),
                page.pk in visible_pages,
            )
        visible_replies = _ids(replies_visible_to(viewer))
        for reply in replies:
            check(
                f"reads reply {reply.body!r} in {reply.thread.title!r}",
                persona,
                can_read_reply(viewer, reply),
                reply.pk in visible_replies,
            )
        visible_attachments = _ids(attachments_visible_to(viewer))
        for attachment in attachments:
            post = attachment.thread or attachment.reply
            can = (
                can_read_thread(viewer, post)
                if isinstance(post, Thread)
                else can_read_reply(viewer, post)
            )  # type: ignore[arg-type]
            check(
                f"reads attachment {attachment.pk}",
                persona,
                can,
                attachment.pk in visible_attachments,
            )
        if isinstance(viewer, User):
            shown = set(notifications_visible_to(viewer).values_list("thread_id", "reply_id"))
            for thread in threads:
                check(
                    f"notified of {thread.title!r}",
                    persona,
                    can_read_thread(viewer, thread),
                    (thread.pk, None) in shown,
                )
            for reply in replies:
                check(
                    f"notified of reply {reply.pk}",
                    persona,
                    can_read_reply(viewer, reply),
                    (reply.thread_id, reply.pk) in shown,
                )
            if not viewer.is_staff:  # site admins see everyone, sharing nothing
                visible_people = _ids(people_visible_to(viewer))
                # The bylines' form of the same rule, one column per person.
                sharing = dict(
                    User.objects.annotate(
                        shares=shares_community_exists(viewer.pk, "pk")
                    ).values_list("pk", "shares")
                )
                for person in people:
                    check(
                        f"sees {person.pk}",
                        persona,
                        shares_community(viewer, person),
                        person.pk in visible_people,
                    )
                    check(
                        f"shares a community with {person.pk} (byline)",
                        persona,
                        shares_community(viewer, person),
                        sharing[person.pk],
                    )
            lists = {c.pk for c in communities if can_view_member_list(viewer, c)}
            assert lists <= readable or viewer.is_staff
    assert failures == [], "\n" + "\n".join(failures)


@pytest.mark.parametrize("setting", list(SETTINGS))
def test_the_access_loaded_with_the_user_is_the_one_read_apart(setting: str) -> None:
    """The backend loads the access with the user; a user object loaded elsewhere reads
    it in one query: the same sets either way."""
    from communities.backends import ModelBackend

    world = _build_world(setting)
    for persona, user in world.people.items():
        if user is None:
            public = {world.community.pk} if setting == "public_readable" else set()
            assert access_of(AnonymousUser()).reads == public
            continue
        loaded = ModelBackend().get_user(user.pk)
        assert loaded is not None
        apart = User.objects.get(pk=user.pk)
        with_user, read_apart = access_of(loaded), access_of(apart)
        for right in ("knows", "reads", "posts", "moderates", "manages", "member_lists"):
            assert getattr(with_user, right) == getattr(read_apart, right), (persona, right)
        assert with_user.everything == read_apart.everything == user.is_staff
        assert isinstance(with_user, Access)


# --- reading along without signing in ----------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "public"),
    [
        ({"visibility": "public"}, True),
        ({"visibility": "public", "is_listed": False}, False),
        ({"visibility": "signed_in"}, False),
        ({"visibility": "members"}, False),
        ({"visibility": "public", "is_confidential": True}, False),  # the service refuses
    ],
)
def test_visitors_read_along_only_in_listed_public_communities(
    fields: dict[str, object], public: bool
) -> None:
    world = _build_world("open_members_only")
    community = world.community
    facilitator = world.people["facilitator"]
    assert facilitator is not None
    from communities.services.communities import community_update

    community_update(community=community, by=facilitator, **fields)
    community.refresh_from_db()
    visitor = AnonymousUser()
    access = access_of(visitor)
    assert (community.pk in access.reads) is public
    assert (community.pk in access.knows) is public
    # Nothing else, wherever they read: no posting, no members list, no people.
    assert access.posts == access.moderates == access.manages == access.member_lists == set()
    assert not people_visible_to(visitor).exists()
    assert (world.thread.pk in _ids(threads_visible_to(visitor))) is public
    assert can_read_thread(visitor, world.thread) is public
    # The other community (members only) stays closed.
    assert Community.objects.get(slug="o").pk not in access.reads


def test_the_database_refuses_a_confidential_community_open_to_the_public() -> None:
    from django.db import IntegrityError, transaction

    world = _build_world("invite_confidential")
    with pytest.raises(IntegrityError), transaction.atomic():
        Community.objects.filter(pk=world.community.pk).update(visibility="public")


def test_a_visitor_s_access_is_read_once_per_request(django_assert_num_queries) -> None:
    _build_world("public_readable")
    visitor = AnonymousUser()
    with django_assert_num_queries(1):
        access_of(visitor)
        access_of(visitor)
