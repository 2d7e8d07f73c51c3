"""One rule per test: who may know of, and read, a community."""

import pytest
from django.test import Client

from communities.models import Community, Membership
from communities.permissions import (
    Role,
    communities_readable_by,
    communities_visible_to,
    role_in,
)
from communities.services.memberships import membership_grant
from members.models import User
from tests.conftest import make_community
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden(site_admin: User, facilitator: User) -> Community:
    return make_community(
        site_admin,
        facilitator,
        "schade",
        name="Schade-experts",
        join_policy=Community.JoinPolicy.INVITE,
        is_listed=False,
        is_confidential=True,
    )


@pytest.fixture
def open_community(site_admin: User, facilitator: User) -> Community:
    return make_community(
        site_admin,
        facilitator,
        "aanjagers",
        visibility=Community.Visibility.SIGNED_IN,
    )


def test_role_in_reports_the_active_role(
    community: Community, member: User, facilitator: User, sponsor: User, outsider: User
) -> None:
    assert role_in(member, community) == Role.MEMBER
    assert role_in(facilitator, community) == Role.FACILITATOR
    assert role_in(sponsor, community) == Role.SPONSOR
    assert role_in(outsider, community) == Role.NONE


def test_role_in_is_computed_once_per_user_object(
    community: Community, member: User, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        role_in(member, community)
        role_in(member, community)


def test_outsiders_do_not_know_of_unlisted_communities(hidden: Community, outsider: User) -> None:
    assert hidden not in communities_visible_to(outsider)


def test_members_know_of_their_unlisted_community(hidden: Community, site_admin: User) -> None:
    insider = UserFactory()
    membership_grant(
        community=hidden, user=insider, role=Membership.Role.MEMBER, granted_by=site_admin
    )
    assert hidden in communities_visible_to(insider)
    assert hidden in communities_readable_by(insider)


def test_members_only_content_is_not_readable_by_outsiders(
    community: Community, outsider: User
) -> None:
    assert community in communities_visible_to(outsider)
    assert community not in communities_readable_by(outsider)


def test_open_content_is_readable_by_anyone_signed_in(
    open_community: Community, outsider: User
) -> None:
    assert open_community in communities_readable_by(outsider)


def test_sponsors_do_not_read_members_only_discussions(community: Community, sponsor: User) -> None:
    assert community in communities_visible_to(sponsor)
    assert community not in communities_readable_by(sponsor)


def test_site_admins_see_everything(hidden: Community, site_admin: User) -> None:
    assert hidden in communities_readable_by(site_admin)


def test_unlisted_community_page_is_404_for_outsiders(
    hidden: Community, outsider: User, client: Client
) -> None:
    client.force_login(outsider)
    assert client.get(f"/communities/{hidden.slug}/").status_code == 404
    assert client.get("/communities/does-not-exist/").status_code == 404


def test_community_page_shows_sponsors_the_home_not_the_discussions(
    community: Community, sponsor: User, client: Client
) -> None:
    client.force_login(sponsor)
    response = client.get(f"/communities/{community.slug}/")
    assert response.status_code == 200
    assert response.context["can_read"] is False
    # They know the community exists, so reading its discussions is a 403, not a 404.
    assert client.get(f"/c/{community.slug}/threads/").status_code == 403
