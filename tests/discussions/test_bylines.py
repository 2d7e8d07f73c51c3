"""Bylines: an avatar, the organisation and a role badge next to every author name, on
the thread page, the thread lists and search, as the viewer may see them."""

import re

import pytest
from django.test import Client

from communities.models import Community, Membership
from communities.services.communities import community_update
from discussions.models import Thread
from discussions.services.posts import reply_create
from members.models import Organization, User
from members.selectors import initials
from tests.factories import set_profile

pytestmark = pytest.mark.django_db


def _org(user: User, name: str, visibility: str = "shared") -> None:
    organization, _ = Organization.objects.get_or_create(name=name)
    set_profile(user, organization=organization, visibility={"organization": visibility})


def _page(client: Client, viewer: User, url: str) -> str:
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_initials_take_the_first_and_last_word() -> None:
    assert initials("Fenna de Facilitator") == "FF"
    assert initials("mira") == "M"
    assert initials("jan.jansen") == "JJ"
    assert initials("  ") == "?"


def test_the_thread_page_shows_avatars_organisations_and_the_facilitator_badge(
    client: Client, thread: Thread, member: User, facilitator: User, core_member: User
) -> None:
    _org(facilitator, "GGD Utrecht")
    _org(member, "Zorggroep Noord")
    reply_create(thread=thread, author=facilitator, body="Zo doen wij het.")
    reply_create(thread=thread, author=core_member, body="En wij zo.")
    html = _page(client, core_member, thread.get_absolute_url())
    assert "GGD Utrecht" in html and "Zorggroep Noord" in html  # co-members see the default
    assert html.count('class="badge badge-role"') == 2  # the facilitator and the core member
    assert "Facilitator" in html
    assert re.search(r'avatar-initials avatar-c\d" aria-hidden="true">FF<', html)
    assert re.search(r'avatar-initials avatar-c\d" aria-hidden="true">MM<', html)


def test_an_organisation_its_owner_keeps_to_themselves_is_not_shown(
    client: Client, thread: Thread, member: User, core_member: User
) -> None:
    _org(member, "Geheime Kliniek", visibility="private")
    html = _page(client, core_member, thread.get_absolute_url())
    assert "Geheime Kliniek" not in html
    assert "Mira Member" in html


def test_a_reader_who_shares_no_community_sees_only_what_is_shown_to_everyone(
    client: Client,
    community: Community,
    thread: Thread,
    member: User,
    facilitator: User,
    outsider: User,
) -> None:
    community_update(community=community, by=facilitator, visibility=Community.Visibility.SIGNED_IN)
    _org(member, "Zorggroep Noord")  # shared with co-members only
    _org(facilitator, "GGD Utrecht", visibility="signed_in")
    reply_create(thread=thread, author=facilitator, body="Welkom.")
    html = _page(client, outsider, thread.get_absolute_url())
    assert "Zorggroep Noord" not in html
    assert "GGD Utrecht" in html


def test_a_photo_shows_only_to_who_may_open_it(
    client: Client, thread: Thread, member: User, core_member: User, outsider: User
) -> None:
    User.objects.filter(pk=member.pk).update(avatar="avatars/abcdef123456.webp")
    html = _page(client, core_member, thread.get_absolute_url())
    assert f"/people/{member.pk}/avatar/?v=abcdef123456" in html


def test_thread_lists_and_search_show_bylines(
    client: Client, thread: Thread, member: User, core_member: User, facilitator: User
) -> None:
    _org(member, "Zorggroep Noord")
    html = _page(client, core_member, f"/c/{thread.community.slug}/threads/")
    assert "Zorggroep Noord" in html and "avatar-initials" in html
    html = _page(client, core_member, "/search/?q=collega")
    assert "Zorggroep Noord" in html and "avatar-initials" in html


def test_the_role_badge_is_of_the_thread_s_own_community(
    client: Client,
    site_admin: User,
    thread: Thread,
    member: User,
    core_member: User,
) -> None:
    """A facilitator elsewhere is a member here: no badge."""
    from tests.conftest import make_community

    other = make_community(site_admin, member, "elders")
    assert other.memberships.get(user=member).role == Membership.Role.FACILITATOR
    html = _page(client, core_member, thread.get_absolute_url())
    assert 'class="badge badge-role"' not in html
