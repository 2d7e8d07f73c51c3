"""People: who sees whom, profile pages and photos, the expert finder, "members like
you" and a community's members list. Privacy first: hidden fields never show, filter
or rank."""

import io

import pytest
from django.test import Client
from PIL import Image

from communities.models import Community, Membership
from communities.selectors.people import member_list, people_visible_to
from communities.services.communities import community_create
from communities.services.memberships import membership_grant, membership_leave
from members.images import avatar_render
from members.models import User
from members.permissions import FieldVisibility
from tests.factories import OrganizationFactory, UserFactory, set_profile

pytestmark = pytest.mark.django_db

PRIVATE = FieldVisibility.PRIVATE.value


def add_member(community: Community, admin: User, role: int = Membership.Role.MEMBER, **fields):
    user = UserFactory(**fields)
    membership_grant(community=community, user=user, role=role, granted_by=admin)
    return user


def photo() -> object:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "blue").save(buffer, "PNG")
    buffer.seek(0)
    return avatar_render(buffer)


@pytest.fixture
def other_community(site_admin: User, facilitator: User) -> Community:
    return community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Schade-experts",
        slug="schade",
        focus="f",
        urgency="u",
        member_value="m",
    )


# --- Who may see whom ---------------------------------------------------------------


def test_members_see_the_people_of_their_communities(
    member: User, core_member: User, facilitator: User, sponsor: User
) -> None:
    visible = set(people_visible_to(member))
    assert {member, core_member, facilitator, sponsor} <= visible


def test_people_in_no_shared_community_are_not_visible(member: User, outsider: User) -> None:
    assert outsider not in people_visible_to(member)
    assert member not in people_visible_to(outsider)


def test_a_sponsor_role_alone_shows_nobody(sponsor: User, member: User) -> None:
    assert not people_visible_to(sponsor).exists()


def test_people_who_left_are_no_longer_visible(
    community: Community, member: User, core_member: User
) -> None:
    membership_leave(community=community, user=core_member)
    assert core_member not in people_visible_to(member)


def test_site_admins_see_everyone(site_admin: User, outsider: User) -> None:
    assert outsider in people_visible_to(site_admin)


# --- Profile pages ------------------------------------------------------------------


def test_a_member_opens_a_co_members_profile(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, job_title="Wijkverpleegkundige", bio="Ik help graag.")
    client.force_login(member)
    response = client.get(f"/communities/people/{core_member.pk}/")
    assert response.status_code == 200
    assert "Wijkverpleegkundige" in response.content.decode()
    assert "Ik help graag." in response.content.decode()


def test_an_outsider_gets_404_for_a_members_profile(
    client: Client, member: User, outsider: User
) -> None:
    client.force_login(outsider)
    assert client.get(f"/communities/people/{member.pk}/").status_code == 404


def test_a_sponsor_gets_404_for_a_members_profile(
    client: Client, member: User, sponsor: User
) -> None:
    client.force_login(sponsor)
    assert client.get(f"/communities/people/{member.pk}/").status_code == 404


def test_a_missing_person_is_the_same_404(client: Client, member: User) -> None:
    client.force_login(member)
    assert client.get("/communities/people/999999/").status_code == 404


def test_everyone_can_open_their_own_profile(client: Client, outsider: User) -> None:
    client.force_login(outsider)
    response = client.get(f"/communities/people/{outsider.pk}/")
    assert response.status_code == 200
    assert response.context["is_self"]


def test_private_fields_never_appear_on_another_members_view(
    client: Client, member: User, core_member: User
) -> None:
    organization = OrganizationFactory(name="Geheime Zorg BV")
    set_profile(
        core_member,
        organization=organization,
        job_title="Geheim agent",
        bio="Geheime bio",
        expertise=["geheime-kennis"],
        interests=["geheime-interesse"],
        avatar=photo(),
        visibility=dict.fromkeys(
            ["organization", "job_title", "bio", "expertise", "interests", "avatar"], PRIVATE
        ),
    )
    client.force_login(member)
    html = client.get(f"/communities/people/{core_member.pk}/").content.decode()
    for secret in ("Geheime Zorg BV", "Geheim agent", "Geheime bio", "geheime-", "/avatar/"):
        assert secret not in html
    assert core_member.name in html


def test_email_addresses_are_never_shown_on_a_profile(
    client: Client, member: User, core_member: User
) -> None:
    client.force_login(member)
    html = client.get(f"/communities/people/{core_member.pk}/").content.decode()
    assert core_member.email not in html


def test_a_profile_lists_the_communities_you_share(
    client: Client, community: Community, member: User, core_member: User
) -> None:
    client.force_login(member)
    response = client.get(f"/communities/people/{core_member.pk}/")
    assert response.context["communities"] == [community]


# --- Photos -------------------------------------------------------------------------


def test_a_visible_photo_is_served_with_safe_headers(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, avatar=photo())
    client.force_login(member)
    response = client.get(f"/communities/people/{core_member.pk}/avatar/")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]
    assert Image.open(io.BytesIO(response.content)).format == "JPEG"


def test_a_private_photo_is_404_for_other_members(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, avatar=photo(), visibility={"avatar": PRIVATE})
    client.force_login(member)
    assert client.get(f"/communities/people/{core_member.pk}/avatar/").status_code == 404


def test_a_photo_is_404_for_outsiders(client: Client, member: User, outsider: User) -> None:
    set_profile(member, avatar=photo())
    client.force_login(outsider)
    assert client.get(f"/communities/people/{member.pk}/avatar/").status_code == 404


# --- Expert finder ------------------------------------------------------------------


def _experts(client: Client, query: str) -> list[str]:
    response = client.get("/communities/people/experts/", {"q": query})
    return [row.profile.name for row in response.context["rows"]]


def test_the_expert_finder_matches_a_tag_in_any_case(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, expertise=["Wondzorg"])
    client.force_login(member)
    assert _experts(client, "WONDZORG") == [core_member.name]


def test_the_expert_finder_skips_private_expertise(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, expertise=["wondzorg"], visibility={"expertise": PRIVATE})
    client.force_login(member)
    assert _experts(client, "wondzorg") == []


def test_the_expert_finder_finds_nobody_outside_shared_communities(
    client: Client, site_admin: User, facilitator: User, other_community: Community, member: User
) -> None:
    stranger = add_member(other_community, site_admin)
    set_profile(stranger, expertise=["wondzorg"])
    client.force_login(member)
    assert _experts(client, "wondzorg") == []


def test_the_expert_finder_leaves_out_a_private_organisation(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(
        core_member,
        organization=OrganizationFactory(name="Stille Zorg BV"),
        expertise=["wondzorg"],
        visibility={"organization": PRIVATE},
    )
    client.force_login(member)
    response = client.get("/communities/people/experts/", {"q": "wondzorg"})
    assert response.context["rows"][0].profile.organization == ""
    assert "Stille Zorg BV" not in response.content.decode()


def test_the_expert_finder_suggests_only_visible_expertise(
    client: Client, member: User, core_member: User, facilitator: User
) -> None:
    set_profile(core_member, expertise=["openbaar"])
    set_profile(facilitator, expertise=["verborgen"], visibility={"expertise": PRIVATE})
    client.force_login(member)
    suggestions = client.get("/communities/people/experts/").context["suggestions"]
    assert suggestions == ["openbaar"]


def test_the_expert_finder_explains_an_empty_result(client: Client, member: User) -> None:
    client.force_login(member)
    html = client.get("/communities/people/experts/", {"q": "kwantumzorg"}).content.decode()
    assert "empty-state" in html


@pytest.mark.parametrize("experts", [3, 15])
def test_the_expert_finder_query_count_does_not_grow(
    client: Client,
    community: Community,
    site_admin: User,
    member: User,
    experts: int,
    django_assert_num_queries,
) -> None:
    for _ in range(experts):
        set_profile(add_member(community, site_admin), expertise=["wondzorg"])
    client.force_login(member)
    client.get("/")
    # session, user, paginator count, page, expertise tags, shared memberships
    with django_assert_num_queries(6):
        response = client.get("/communities/people/experts/", {"q": "wondzorg"})
    assert len(response.context["rows"]) == experts


# --- Members like you ---------------------------------------------------------------


def _like_you(client: Client) -> list[tuple[str, int]]:
    rows = client.get("/communities/people/like-you/").context["rows"]
    return [(row.profile.name, row.score) for row in rows]


def test_members_like_you_are_ranked_by_topics_in_common(
    client: Client, community: Community, site_admin: User, member: User
) -> None:
    set_profile(member, interests=["fhir", "privacy"], expertise=["wondzorg"])
    close = add_member(community, site_admin, display_name="Anna Dichtbij")
    closer = add_member(community, site_admin, display_name="Bert Dichterbij")
    add_member(community, site_admin, display_name="Cor Niets")
    set_profile(close, interests=["privacy"])
    set_profile(closer, expertise=["FHIR", "Wondzorg"], interests=["privacy"])
    client.force_login(member)
    assert _like_you(client) == [("Bert Dichterbij", 3), ("Anna Dichtbij", 1)]


def test_a_topic_in_both_fields_counts_once(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(member, interests=["privacy"])
    set_profile(core_member, interests=["privacy"], expertise=["privacy"])
    client.force_login(member)
    assert _like_you(client) == [(core_member.name, 1)]


def test_private_interests_do_not_count_for_members_like_you(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(member, interests=["privacy"])
    set_profile(core_member, interests=["privacy"], visibility={"interests": PRIVATE})
    client.force_login(member)
    assert _like_you(client) == []


def test_private_expertise_does_not_count_for_members_like_you(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(member, interests=["privacy"])
    set_profile(
        core_member, interests=["fhir"], expertise=["privacy"], visibility={"expertise": PRIVATE}
    )
    client.force_login(member)
    assert _like_you(client) == []


def test_members_like_you_leaves_out_the_viewer(client: Client, member: User) -> None:
    set_profile(member, interests=["privacy"])
    client.force_login(member)
    assert _like_you(client) == []


def test_members_like_you_leaves_out_people_in_no_shared_community(
    client: Client, site_admin: User, other_community: Community, member: User
) -> None:
    set_profile(member, interests=["privacy"])
    set_profile(add_member(other_community, site_admin), interests=["privacy"])
    client.force_login(member)
    assert _like_you(client) == []


def test_members_like_you_asks_for_topics_first(client: Client, member: User) -> None:
    client.force_login(member)
    response = client.get("/communities/people/like-you/")
    assert not response.context["has_tags"]
    assert 'href="/account/profile/"' in response.content.decode()


@pytest.mark.parametrize("people", [3, 15])
def test_members_like_you_query_count_does_not_grow(
    client: Client,
    community: Community,
    site_admin: User,
    member: User,
    people: int,
    django_assert_num_queries,
) -> None:
    set_profile(member, interests=["privacy"])
    for _ in range(people):
        set_profile(add_member(community, site_admin), interests=["privacy"], expertise=["x"])
    client.force_login(member)
    client.get("/")
    # session, user, own tags, ranking, expertise, interests, shared memberships
    with django_assert_num_queries(7):
        response = client.get("/communities/people/like-you/")
    assert len(response.context["rows"]) == min(people, 10)


# --- Members list -------------------------------------------------------------------


def _listed(client: Client, slug: str = "e-health", **filters: object) -> list[str]:
    response = client.get(f"/communities/{slug}/members/", filters)
    return [row.profile.name for row in response.context["rows"]]


def test_a_member_sees_the_members_list(
    client: Client, member: User, core_member: User, facilitator: User, sponsor: User
) -> None:
    client.force_login(member)
    assert set(_listed(client)) == {m.name for m in (member, core_member, facilitator, sponsor)}


def test_a_sponsor_may_not_open_the_members_list(client: Client, sponsor: User) -> None:
    client.force_login(sponsor)
    assert client.get("/communities/e-health/members/").status_code == 403


def test_an_outsider_gets_403_for_a_listed_communitys_members(
    client: Client, community: Community, outsider: User
) -> None:
    client.force_login(outsider)
    assert client.get("/communities/e-health/members/").status_code == 403


def test_an_outsider_gets_404_for_an_unlisted_communitys_members(
    client: Client, site_admin: User, facilitator: User, outsider: User
) -> None:
    community_create(
        creator=site_admin,
        facilitator=facilitator,
        name="Verborgen",
        slug="verborgen",
        focus="f",
        urgency="u",
        member_value="m",
        is_listed=False,
        is_confidential=True,
    )
    client.force_login(outsider)
    assert client.get("/communities/verborgen/members/").status_code == 404


def test_a_site_admin_sees_any_members_list(client: Client, site_admin: User, member: User) -> None:
    client.force_login(site_admin)
    assert member.name in _listed(client)


def test_the_members_list_filters_by_role(
    client: Client, member: User, core_member: User, facilitator: User
) -> None:
    client.force_login(member)
    assert _listed(client, role=Membership.Role.CORE) == [core_member.name]


def test_the_members_list_filters_by_organisation(
    client: Client, member: User, core_member: User
) -> None:
    client.force_login(member)
    assert _listed(client, organization=core_member.organization_id) == [core_member.name]


def test_a_private_organisation_is_not_a_filter_option(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, visibility={"organization": PRIVATE})
    client.force_login(member)
    response = client.get("/communities/e-health/members/")
    options = list(response.context["form"].fields["organization"].queryset)
    assert core_member.organization not in options
    assert member.organization in options


def test_a_private_organisation_does_not_match_the_organisation_filter(
    community: Community, member: User, core_member: User
) -> None:
    set_profile(core_member, visibility={"organization": PRIVATE})
    listed = member_list(member, community, organization=core_member.organization)
    assert not listed.exists()


def test_the_members_list_filters_by_expertise_in_any_case(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, expertise=["Wondzorg"])
    client.force_login(member)
    assert _listed(client, expertise="wondzorg") == [core_member.name]


def test_private_expertise_does_not_match_the_expertise_filter(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(core_member, expertise=["wondzorg"], visibility={"expertise": PRIVATE})
    client.force_login(member)
    assert _listed(client, expertise="wondzorg") == []


def test_private_fields_do_not_show_in_the_members_list(
    client: Client, member: User, core_member: User
) -> None:
    set_profile(
        core_member,
        job_title="Geheim agent",
        expertise=["geheime-kennis"],
        visibility={"job_title": PRIVATE, "expertise": PRIVATE, "organization": PRIVATE},
    )
    client.force_login(member)
    html = client.get("/communities/e-health/members/").content.decode()
    assert "Geheim agent" not in html
    assert "geheime-kennis" not in html
    assert core_member.organization.name not in html


def test_the_members_list_is_paginated_by_fifty(
    client: Client, community: Community, site_admin: User, member: User
) -> None:
    for _ in range(50):
        add_member(community, site_admin)
    client.force_login(member)
    response = client.get("/communities/e-health/members/")
    assert len(response.context["rows"]) == 50
    assert response.context["page"].has_next()


def test_facilitators_get_role_controls_in_the_members_list(
    client: Client, facilitator: User, member: User
) -> None:
    client.force_login(facilitator)
    html = client.get("/communities/e-health/members/").content.decode()
    assert "/memberships/" in html


def test_members_get_no_role_controls_in_the_members_list(
    client: Client, member: User, core_member: User
) -> None:
    client.force_login(member)
    html = client.get("/communities/e-health/members/").content.decode()
    assert "/memberships/" not in html


@pytest.mark.parametrize("members", [3, 30])
def test_the_members_list_query_count_does_not_grow(
    client: Client,
    community: Community,
    site_admin: User,
    member: User,
    members: int,
    django_assert_num_queries,
) -> None:
    for _ in range(members):
        set_profile(add_member(community, site_admin), expertise=["wondzorg"])
    client.force_login(member)
    client.get("/")
    # session, user (with the viewer's access), community, organisation options, count,
    # page, expertise
    with django_assert_num_queries(7):
        client.get("/communities/e-health/members/")
