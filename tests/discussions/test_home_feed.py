"""A member's home: the ask button first, then the latest threads and replies of their
own communities (not of every community they may read), in a fixed number of queries."""

import pytest
from django.test import Client

from communities.models import Community
from communities.services.communities import community_update
from discussions.services.moderation import post_set_hidden
from discussions.services.posts import reply_create
from members.models import User
from tests.conftest import make_community
from tests.factories import make_thread

pytestmark = pytest.mark.django_db


def test_the_home_shows_the_member_s_own_communities_only(
    client: Client, site_admin: User, community: Community, member: User, core_member: User
) -> None:
    make_thread(community, core_member, title="Eigen draad")
    elsewhere = make_community(site_admin, site_admin, "elders", visibility="signed_in")
    make_thread(elsewhere, site_admin, title="Open draad van een ander")
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "Eigen draad" in html
    assert "Open draad van een ander" not in html
    assert "/feed/" in html  # everything else, on request
    # The ask button, before the list.
    assert html.index(f"/c/{community.slug}/threads/new/") < html.index("Eigen draad")


def test_the_feed_tells_who_replied_last_but_not_hidden_replies(
    client: Client, community: Community, member: User, core_member: User, facilitator: User
) -> None:
    thread = make_thread(community, member, title="Vraag")
    reply_create(thread=thread, author=core_member, body="Eerste")
    hidden = reply_create(thread=thread, author=facilitator, body="Weg")
    post_set_hidden(post=hidden, by=facilitator, hidden=True)
    client.force_login(member)
    html = client.get("/").content.decode()
    assert "laatste reactie van Cor Core" in html
    assert "Fenna" not in html


def test_members_of_several_communities_choose_where_to_ask(
    client: Client, site_admin: User, community: Community, member: User
) -> None:
    make_community(site_admin, member, "tweede")
    client.force_login(member)
    html = client.get("/").content.decode()
    assert '<details class="home-ask ask-menu">' in html
    assert "/c/tweede/threads/new/" in html and f"/c/{community.slug}/threads/new/" in html


def test_sponsors_get_no_ask_button(client: Client, community: Community, sponsor: User) -> None:
    client.force_login(sponsor)
    assert "/threads/new/" not in client.get("/").content.decode()


@pytest.mark.parametrize("threads", [2, 20])
def test_the_home_takes_a_fixed_number_of_queries(
    client: Client,
    site_admin: User,
    community: Community,
    member: User,
    core_member: User,
    django_assert_num_queries,
    threads: int,
) -> None:
    second = make_community(site_admin, core_member, "tweede", visibility="signed_in")
    for i in range(threads):
        thread = make_thread(community if i % 2 else second, core_member, title=f"Draad {i}")
        reply_create(thread=thread, author=core_member, body="Antwoord")
    community_update(community=second, by=core_member, name="Tweede community")
    client.force_login(member)
    client.get("/")
    # session, user (with access), the member's communities (with counts), the feed
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200
