"""Reading along without signing in: a link to a thread of a community open to the
public opens for anyone, with the threads and replies but nothing of the members'
profiles and no way to post; everywhere else a visitor is sent to log in, the same
answer for every address."""

import pytest
from django.test import Client, override_settings

from communities.models import Community
from communities.services.communities import community_update
from discussions.models import Thread
from discussions.services.moderation import post_set_hidden
from discussions.services.posts import reply_create
from members.models import Organization, User
from tests.factories import set_profile

pytestmark = pytest.mark.django_db


def _open_to_public(community: Community, facilitator: User, **fields: object) -> None:
    community_update(community=community, by=facilitator, visibility="public", **fields)


def test_a_shared_link_opens_the_thread_without_a_login(
    client: Client, community: Community, facilitator: User, thread: Thread, member: User
) -> None:
    _open_to_public(community, facilitator)
    reply_create(thread=thread, author=facilitator, body="Begin klein, met één team.")
    response = client.get(thread.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "krijg je collega" in html and "Begin klein, met één team." in html
    assert "Mira Member" in html and "Fenna Facilitator" in html
    # No posting forms, a call to join instead; no notification settings.
    assert 'name="body"' not in html
    assert "join-call" in html and "/accounts/signup/" in html
    assert "Notifications for this thread" not in html
    # Not for search engines unless the community says so.
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex"


def test_visitors_see_no_member_only_profile_data(
    client: Client, community: Community, facilitator: User, thread: Thread, member: User
) -> None:
    _open_to_public(community, facilitator)
    shown_to_signed_in, _ = Organization.objects.get_or_create(name="Zorggroep Noord")
    set_profile(member, organization=shown_to_signed_in, visibility={"organization": "signed_in"})
    User.objects.filter(pk=member.pk).update(avatar="avatars/abcdef123456.webp")
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Zorggroep Noord" not in html
    assert "/avatar/" not in html  # initials only: a photo's address answers 404 to them
    assert "avatar-initials" in html
    assert "/people/" not in html and "@example.org" not in html


def test_hidden_and_deleted_replies_stay_hidden_from_visitors(
    client: Client, community: Community, facilitator: User, thread: Thread, member: User
) -> None:
    _open_to_public(community, facilitator)
    hidden = reply_create(thread=thread, author=member, body="Iets wat weg moest.")
    post_set_hidden(post=hidden, by=facilitator, hidden=True)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Iets wat weg moest." not in html


def test_an_opted_in_community_may_be_indexed(
    client: Client, community: Community, facilitator: User, thread: Thread
) -> None:
    _open_to_public(community, facilitator, allow_indexing=True)
    response = client.get(thread.get_absolute_url())
    assert "noindex" not in response.content.decode()
    assert "X-Robots-Tag" not in response


@pytest.mark.parametrize(
    "fields",
    [
        {"visibility": "members"},
        {"visibility": "signed_in"},
        {"visibility": "public", "is_listed": False},
        {"is_confidential": True, "join_policy": "invite", "is_listed": False},
    ],
)
def test_elsewhere_visitors_are_sent_to_log_in_for_any_address(
    client: Client, community: Community, facilitator: User, thread: Thread, fields: dict
) -> None:
    community_update(community=community, by=facilitator, **fields)
    for url in (
        thread.get_absolute_url(),
        "/t/999999/",
        f"/c/{community.slug}/threads/",
        "/c/no-such-community/threads/",
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_the_thread_list_reads_along_too(
    client: Client, community: Community, facilitator: User, thread: Thread
) -> None:
    _open_to_public(community, facilitator)
    response = client.get(f"/c/{community.slug}/threads/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "krijg je collega" in html and "join-call" in html
    assert "Ask a question or share something" not in html


def test_a_visitor_s_thread_page_takes_a_fixed_number_of_queries(
    client: Client,
    community: Community,
    facilitator: User,
    thread: Thread,
    member: User,
    django_assert_num_queries,
) -> None:
    _open_to_public(community, facilitator)
    for i in range(5):
        reply_create(thread=thread, author=member if i % 2 else facilitator, body=f"Antwoord {i}")
    # the public communities (the visitor's access), the thread, its replies
    with django_assert_num_queries(3):
        assert client.get(thread.get_absolute_url()).status_code == 200


@override_settings(COP_RATE_LIMITS={"public_read": "3/m"}, RATELIMIT_ENABLE=True)
def test_visitors_reading_too_fast_are_slowed_down(
    client: Client, community: Community, facilitator: User, thread: Thread
) -> None:
    _open_to_public(community, facilitator)
    statuses = [client.get(thread.get_absolute_url()).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_signed_in_non_members_are_invited_to_join(
    client: Client, community: Community, facilitator: User, thread: Thread, outsider: User
) -> None:
    _open_to_public(community, facilitator)
    client.force_login(outsider)
    html = client.get(thread.get_absolute_url()).content.decode()
    assert f"/communities/{community.slug}/join/" in html
