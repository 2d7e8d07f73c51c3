import pytest
from django.test import Client

from communities.models import Community
from discussions.models import Thread
from discussions.services.posts import reply_create, thread_create
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


@pytest.mark.parametrize("replies", [1, 20])
def test_thread_page_query_count_does_not_grow_with_replies(
    thread: Thread, member: User, client: Client, django_assert_num_queries, replies: int
) -> None:
    parent = None
    for i in range(replies):
        parent = reply_create(thread=thread, author=member, body=f"Antwoord {i}", parent=parent)
    client.force_login(member)
    client.get("/")  # settle the session
    # session, user, thread (permission filter in a subquery), replies
    with django_assert_num_queries(4):
        assert client.get(f"/t/{thread.pk}/").status_code == 200
