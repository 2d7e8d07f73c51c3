import pytest
from django.test import Client

from communities.models import Community
from discussions.models import Thread
from discussions.services.posts import reply_create, thread_create
from discussions.services.reactions import reaction_toggle
from members.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(community: Community, member: User) -> Thread:
    return thread_create(
        community=community,
        author=member,
        kind=Thread.Kind.QUESTION,
        title="Hoe krijg je collega's mee?",
        body="Wie heeft *tips*?",
    )


def test_thread_body_is_stored_as_sanitised_html(community: Community, member: User) -> None:
    thread = thread_create(
        community=community,
        author=member,
        kind=Thread.Kind.TIP,
        title="XSS",
        body="<script>alert(1)</script> [x](javascript:alert(1)) [ok](https://example.org)",
    )
    assert "<script>" not in thread.body_html
    assert 'href="javascript' not in thread.body_html
    assert 'rel="nofollow ugc noopener"' in thread.body_html


def test_members_read_the_thread_with_nested_replies(
    thread: Thread, member: User, facilitator: User, client: Client
) -> None:
    first = reply_create(thread=thread, author=facilitator, body="Kies ambassadeurs.")
    reply_create(thread=thread, author=member, body="Dank!", parent=first)
    client.force_login(member)
    response = client.get(f"/t/{thread.pk}/")
    assert response.status_code == 200
    roots = response.context["replies"]
    assert [n.reply.body for n in roots] == ["Kies ambassadeurs."]
    assert [n.reply.body for n in roots[0].children] == ["Dank!"]


def test_outsiders_get_404_for_members_only_threads(
    thread: Thread, outsider: User, client: Client
) -> None:
    client.force_login(outsider)
    assert client.get(f"/t/{thread.pk}/").status_code == 404


@pytest.mark.parametrize("replies", [1, 20, 200])
def test_thread_page_query_count_does_not_grow_with_replies(
    thread: Thread,
    member: User,
    core_member: User,
    client: Client,
    django_assert_num_queries,
    replies: int,
) -> None:
    parent = None
    for i in range(replies):
        # Every third reply starts a new branch; the others nest, some past MAX_DEPTH.
        parent = reply_create(
            thread=thread,
            author=core_member,
            body=f"Antwoord {i}",
            parent=None if i % 3 == 0 else parent,
        )
        if i % 7 == 0:
            reaction_toggle(user=member, post=parent, kind="thanks")
    client.force_login(member)
    client.get("/")  # settle the session
    # session, user (with the viewer's access as subqueries), thread (tags, reactions,
    # read state, the viewer's subscription settings, mute, "has attachments" as
    # subqueries), replies (visibility, reactions as subqueries), the read-state upsert
    # (the unread count in the header is cached after the first visit); the member's
    # unread notifications about the thread are marked read on opening it, and the
    # header's count read again
    with django_assert_num_queries(7):
        assert client.get(f"/t/{thread.pk}/").status_code == 200


def test_the_thread_page_includes_the_partials_of_the_other_features(
    thread: Thread, member: User, client: Client
) -> None:
    client.force_login(member)
    response = client.get(f"/t/{thread.pk}/")
    used = {t.name for t in response.templates}
    assert {
        "discussions/components/attachments.html",
        "discussions/components/subscription.html",
        "discussions/components/moderation_tools.html",
        "discussions/components/flag_link.html",
    } <= used


def test_the_reply_form_accepts_files(thread: Thread, member: User, client: Client) -> None:
    client.force_login(member)
    content = client.get(f"/t/{thread.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in content
    assert 'name="attachments" multiple' in content


def test_the_forms_keep_drafts_with_a_small_script(
    thread: Thread, member: User, client: Client
) -> None:
    client.force_login(member)
    content = client.get(f"/t/{thread.pk}/").content.decode()
    assert "js/drafts.js" in content and "data-draft-key=" in content


def test_the_thread_list_is_a_get_only_page(
    community: Community, member: User, client: Client
) -> None:
    client.force_login(member)
    assert client.post(f"/c/{community.slug}/threads/").status_code == 405


def test_the_feed_sends_anonymous_visitors_to_log_in(client: Client) -> None:
    assert client.get("/feed/").status_code == 302


def test_files_sent_with_a_reply_are_attached(
    thread: Thread, core_member: User, member: User, client: Client, django_assert_num_queries
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(core_member)
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(
        f"/t/{thread.pk}/reply/", {"body": "Zie bijlage", "attachments": [upload]}
    )
    assert response.status_code == 302
    reply = thread.replies.get()
    assert reply.attachments.count() == 1
    client.force_login(member)
    client.get("/")
    # as without attachments, plus the one query for the thread's and replies' files
    with django_assert_num_queries(8):
        assert client.get(f"/t/{thread.pk}/").status_code == 200
