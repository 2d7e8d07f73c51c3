"""Directory, community home, settings, stage and audit log pages."""

import pytest
from django.test import Client

from communities.models import AuditEvent, Community, StageChange
from members.models import User
from tests.conftest import make_community

pytestmark = pytest.mark.django_db


def _make(admin: User, facilitator: User, slug: str, **settings: object) -> Community:
    return make_community(admin, facilitator, slug, **{"focus": "Zorg digitaal", **settings})


def test_directory_lists_what_the_viewer_may_know_of(
    client: Client, site_admin: User, facilitator: User, outsider: User
) -> None:
    _make(site_admin, facilitator, "open-one")
    _make(site_admin, facilitator, "hidden-one", is_listed=False)
    client.force_login(outsider)
    names = [c.slug for c in client.get("/communities/").context["page"].object_list]
    assert names == ["open-one"]


def test_directory_searches_name_and_focus(
    client: Client, site_admin: User, facilitator: User, outsider: User
) -> None:
    _make(site_admin, facilitator, "webdev", focus="Toegankelijke websites")
    _make(site_admin, facilitator, "schade", focus="Schade aan huizen")
    client.force_login(outsider)
    page = client.get("/communities/", {"q": "toegankelijk"}).context["page"]
    assert [c.slug for c in page.object_list] == ["webdev"]


@pytest.mark.parametrize("count", [3, 12])
def test_directory_query_count_does_not_grow(
    client: Client,
    site_admin: User,
    facilitator: User,
    outsider: User,
    count: int,
    django_assert_num_queries,
) -> None:
    for i in range(count):
        _make(site_admin, facilitator, f"c{i}")
    client.force_login(outsider)
    client.get("/")
    # session, user, count for the paginator, the page, can_create permission lookups (2)
    # (the unread count in the header is cached after the first visit)
    with django_assert_num_queries(6):
        client.get("/communities/")


@pytest.mark.parametrize("members", [1, 15])
def test_community_home_query_count_does_not_grow(
    client: Client,
    community: Community,
    facilitator: User,
    site_admin: User,
    members: int,
    django_assert_num_queries,
) -> None:
    from communities.models import Membership
    from communities.services.memberships import membership_grant
    from tests.factories import UserFactory

    for _ in range(members):
        membership_grant(
            community=community,
            user=UserFactory(),
            role=Membership.Role.MEMBER,
            granted_by=site_admin,
        )
    client.force_login(facilitator)
    client.get("/")
    # the viewer's access comes with the user (no query of its own for their role);
    # one query reads the next meeting (settings.COMMUNITY_HOME_CONTEXT); the
    # discussions block: one mute check, the latest threads, unanswered ones
    with django_assert_num_queries(11):
        assert client.get(f"/communities/{community.slug}/").status_code == 200


def test_only_allowed_people_create_communities(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    assert client.get("/communities/new/").status_code == 403


def test_creating_a_community_makes_the_creator_facilitator(
    client: Client, site_admin: User
) -> None:
    client.force_login(site_admin)
    response = client.post(
        "/communities/new/",
        {
            "name": "Schade-experts",
            "slug": "schade",
            "focus": "Lastige schades.",
            "urgency": "Nieuwe risico's.",
            "member_value": "Sneller oordelen.",
            "charter": "",
            "language": "nl",
            "join_policy": "invite",
            "visibility": "signed_in",
            "is_listed": "",
            "is_confidential": "on",
        },
    )
    assert response.status_code == 302
    community = Community.objects.get(slug="schade")
    assert community.visibility == Community.Visibility.MEMBERS  # confidential wins
    assert community.memberships.get().user == site_admin


def test_create_form_rejects_reserved_short_names(client: Client, site_admin: User) -> None:
    client.force_login(site_admin)
    response = client.post("/communities/new/", {"name": "Nieuw", "slug": "new"})
    assert "slug" in response.context["form"].errors
    assert {"focus", "urgency", "member_value"} <= set(response.context["form"].errors)


def test_facilitators_move_the_stage_and_the_history_is_kept(
    client: Client, facilitator: User, community: Community
) -> None:
    client.force_login(facilitator)
    client.post(
        f"/communities/{community.slug}/stage/", {"stage": "coalescing", "note": "Na de kick-off."}
    )
    community.refresh_from_db()
    assert community.stage == "coalescing"
    assert list(
        StageChange.objects.filter(community=community).values_list("from_stage", "to_stage")
    ) == [("potential", "coalescing"), ("", "potential")]


def test_settings_are_for_facilitators(
    client: Client, member: User, facilitator: User, community: Community
) -> None:
    client.force_login(member)
    assert client.get(f"/communities/{community.slug}/settings/").status_code == 403
    client.force_login(facilitator)
    response = client.get(f"/communities/{community.slug}/settings/")
    assert response.status_code == 200
    data = {**response.context["form"].initial, "name": "Nieuwe naam"}
    data = {k: v for k, v in data.items() if v not in (False, None)}
    client.post(f"/communities/{community.slug}/settings/", data)
    community.refresh_from_db()
    assert community.name == "Nieuwe naam"
    assert AuditEvent.objects.filter(action=AuditEvent.Action.COMMUNITY_UPDATED).exists()


def test_audit_log_is_for_facilitators_only(
    client: Client, member: User, facilitator: User, community: Community
) -> None:
    client.force_login(facilitator)
    response = client.get(f"/communities/{community.slug}/audit/")
    assert response.status_code == 200
    assert len(response.context["events"]) >= 2
    client.force_login(member)
    assert client.get(f"/communities/{community.slug}/audit/").status_code == 403


def test_the_directory_counts_active_members_only(
    site_admin: User, facilitator: User, community: Community, member: User
) -> None:
    from communities.models import Membership
    from communities.selectors.communities import community_directory
    from tests.factories import UserFactory

    empty = make_community(site_admin, facilitator, "leeg")
    Membership.objects.filter(community=empty).delete()
    Membership.objects.create(
        community=community,
        user=UserFactory(),
        role=Membership.Role.MEMBER,
        state=Membership.State.INVITED,
    )
    counts = {c.slug: c.active_members for c in community_directory(site_admin)}
    # The facilitator and the member are active; the invitee is not counted yet.
    assert counts == {community.slug: 2, "leeg": 0}


def test_facilitators_may_let_erased_accounts_take_their_posts(
    client, community: Community, facilitator: User
) -> None:
    """The erasure setting (off by default) is one of the community's settings."""
    assert community.erasure_removes_posts is False
    client.force_login(facilitator)
    html = client.get(f"/communities/{community.slug}/settings/").content.decode()
    assert 'name="erasure_removes_posts"' in html
