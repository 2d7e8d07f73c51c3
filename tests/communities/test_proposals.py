"""Communities grow from below: proposals, "I'd join", founding by a site admin or by
enough supporters, closing, the admins' email, the pages and their limits."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from communities.models import (
    AuditEvent,
    Community,
    CommunityProposal,
    Invitation,
    Membership,
    ProposalEvent,
)
from communities.services.proposals import (
    free_slug,
    proposal_close,
    proposal_create,
    proposal_found,
    proposal_support_toggle,
)
from members.models import User
from outbox.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def propose(by: User, name: str = "Wijkverpleging en apps") -> CommunityProposal:
    return proposal_create(
        by=by,
        name=name,
        focus="Apps in de wijkverpleging.",
        urgency="Elke organisatie zoekt het zelf uit.",
        member_value="Ervaringen van collega's.",
        who_else="Wijkverpleegkundigen, ICT",
    )


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_member_proposes_a_community_and_the_site_admins_are_told_once_each(
    site_admin: User, member: User
) -> None:
    other_admin = UserFactory(is_staff=True)
    proposal = propose(member)
    assert proposal.state == CommunityProposal.State.OPEN
    assert proposal.proposer == member
    assert ProposalEvent.objects.get(proposal=proposal).action == ProposalEvent.Action.PROPOSED
    messages = Message.objects.filter(kind="communities.proposal_new")
    assert sorted(m.recipient_id for m in messages) == sorted([site_admin.pk, other_admin.pk])
    propose(member, name="Nog een")  # another proposal: another message each
    assert Message.objects.filter(kind="communities.proposal_new").count() == 4


def test_the_admins_email_says_what_is_proposed_and_links_to_it(
    site_admin: User, member: User, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(member)
    [email] = [m for m in mail.outbox if site_admin.email in m.to]
    assert "Wijkverpleging en apps" in email.subject
    assert proposal.get_absolute_url() in email.body
    assert email.alternatives  # text and HTML


def test_a_proposal_needs_its_focus_urgency_and_value(member: User) -> None:
    with pytest.raises(ValidationError):
        proposal_create(by=member, name="X", focus=" ", urgency="u", member_value="m")


def test_others_say_they_would_join_and_can_take_it_back(member: User, outsider: User) -> None:
    proposal = propose(member)
    assert proposal_support_toggle(proposal=proposal, user=outsider) is True
    assert proposal.supports.count() == 1
    assert proposal_support_toggle(proposal=proposal, user=outsider) is False
    assert proposal.supports.count() == 0


def test_the_proposer_does_not_support_their_own_proposal(member: User) -> None:
    proposal = propose(member)
    with pytest.raises(PermissionDenied):
        proposal_support_toggle(proposal=proposal, user=member)


def test_a_site_admin_founds_it_with_the_proposer_facilitating_and_supporters_invited(
    site_admin: User, member: User, outsider: User
) -> None:
    proposal = propose(member)
    second = UserFactory()
    proposal_support_toggle(proposal=proposal, user=outsider)
    proposal_support_toggle(proposal=proposal, user=second)
    community = proposal_found(proposal=proposal, by=site_admin, slug="wijk-apps")
    assert community.focus == "Apps in de wijkverpleging."
    assert Membership.objects.get(community=community, user=member).role == (
        Membership.Role.FACILITATOR
    )
    invited = set(Invitation.objects.filter(community=community).values_list("email", flat=True))
    assert invited == {outsider.email, second.email}
    proposal.refresh_from_db()
    assert proposal.state == CommunityProposal.State.FOUNDED
    assert proposal.community == community
    created = AuditEvent.objects.get(
        community=community, action=AuditEvent.Action.COMMUNITY_CREATED
    )
    assert created.detail == {"proposal": proposal.pk}
    assert proposal.events.filter(action=ProposalEvent.Action.FOUNDED).exists()


def test_only_site_admins_found_a_proposal(member: User, facilitator: User) -> None:
    proposal = propose(member)
    with pytest.raises(PermissionDenied):
        proposal_found(proposal=proposal, by=facilitator, slug="x")
    with pytest.raises(PermissionDenied):
        proposal_found(proposal=proposal, by=member, slug="x")


def test_enough_supporters_found_it_when_the_setting_says_so(
    settings, member: User, outsider: User
) -> None:
    settings.COP_PROPOSAL_FOUND_AT = 2
    proposal = propose(member)
    proposal_support_toggle(proposal=proposal, user=outsider)
    proposal.refresh_from_db()
    assert proposal.state == CommunityProposal.State.OPEN
    proposal_support_toggle(proposal=proposal, user=UserFactory())
    proposal.refresh_from_db()
    assert proposal.state == CommunityProposal.State.FOUNDED
    assert proposal.community.slug == "wijkverpleging-en-apps"
    assert Invitation.objects.filter(community=proposal.community).count() == 2


def test_without_the_setting_supporters_alone_found_nothing(member: User) -> None:
    proposal = propose(member)
    for _ in range(5):
        proposal_support_toggle(proposal=proposal, user=UserFactory())
    proposal.refresh_from_db()
    assert proposal.state == CommunityProposal.State.OPEN


def test_the_proposer_or_a_site_admin_closes_it_and_then_nobody_supports_it(
    member: User, outsider: User, site_admin: User
) -> None:
    proposal = propose(member)
    with pytest.raises(PermissionDenied):
        proposal_close(proposal=proposal, by=outsider)
    proposal_close(proposal=proposal, by=member, reason="Bestaat al elders.")
    proposal.refresh_from_db()
    assert proposal.state == CommunityProposal.State.CLOSED
    with pytest.raises(PermissionDenied):
        proposal_support_toggle(proposal=proposal, user=outsider)
    with pytest.raises(PermissionDenied):
        proposal_found(proposal=proposal, by=site_admin, slug="x")


def test_a_free_slug_avoids_taken_and_reserved_names(site_admin: User, member: User) -> None:
    assert free_slug("Proposals") == "proposals-2"
    proposal = propose(member, name="Zorg")
    proposal_found(proposal=proposal, by=site_admin, slug="zorg")
    assert free_slug("Zorg") == "zorg-2"


def test_the_admins_email_is_skipped_once_the_proposal_is_decided(
    site_admin: User, member: User
) -> None:
    from communities.emails.proposals import render_proposal_new

    proposal = propose(member)
    message = Message.objects.get(kind="communities.proposal_new", recipient=site_admin)
    assert render_proposal_new(message) is not None
    proposal_close(proposal=proposal, by=member)
    assert render_proposal_new(message) is None


# --- pages -------------------------------------------------------------------------------------


def test_the_list_shows_open_proposals_most_supported_first_in_fixed_queries(
    member: User, outsider: User, django_assert_num_queries
) -> None:
    quiet = propose(member, name="Stil voorstel")
    popular = propose(member, name="Populair voorstel")
    for _ in range(2):
        proposal_support_toggle(proposal=popular, user=UserFactory())
    proposal_close(proposal=propose(member, name="Gesloten"), by=member)
    client = _client(outsider)
    client.get(reverse("communities:proposal-list"))
    # session + user (with access) + open proposals + decided ones
    with django_assert_num_queries(4):
        response = client.get(reverse("communities:proposal-list"))
    text = response.content.decode()
    assert text.index(popular.name) < text.index(quiet.name)
    assert "Gesloten" in text
    for _ in range(3):
        propose(member, name="Meer")
    with django_assert_num_queries(4):
        client.get(reverse("communities:proposal-list"))


def test_the_empty_list_says_what_to_do(outsider: User) -> None:
    response = _client(outsider).get(reverse("communities:proposal-list"))
    assert reverse("communities:proposal-create") in response.content.decode()


def test_proposing_through_the_page(member: User) -> None:
    response = _client(member).post(
        reverse("communities:proposal-create"),
        {"name": "Buurtzorg", "focus": "f", "urgency": "u", "member_value": "m", "who_else": ""},
    )
    proposal = CommunityProposal.objects.get(name="Buurtzorg")
    assert response.status_code == 302
    assert response["Location"] == proposal.get_absolute_url()


def test_proposals_are_limited_per_person_per_day(settings, member: User) -> None:
    settings.RATELIMIT_ENABLE = True
    settings.COP_RATE_LIMITS = {**settings.COP_RATE_LIMITS, "proposal": "1/d"}
    client = _client(member)
    data = {"name": "A", "focus": "f", "urgency": "u", "member_value": "m"}
    assert client.post(reverse("communities:proposal-create"), data).status_code == 302
    assert client.post(reverse("communities:proposal-create"), data).status_code == 429
    assert CommunityProposal.objects.count() == 1


def test_i_would_join_is_a_post_that_toggles(member: User, outsider: User) -> None:
    proposal = propose(member)
    client = _client(outsider)
    url = reverse("communities:proposal-support", kwargs={"community_proposal_id": proposal.pk})
    assert client.get(url).status_code == 405
    client.post(url)
    assert proposal.supports.filter(user=outsider).exists()
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "I would not join after all" in page or "toch niet" in page
    client.post(url)
    assert not proposal.supports.exists()


def test_only_site_admins_see_who_would_join(
    member: User, outsider: User, site_admin: User
) -> None:
    proposal = propose(member)
    fan = UserFactory(display_name="Femke Fan")
    proposal_support_toggle(proposal=proposal, user=fan)
    assert "Femke Fan" not in _client(outsider).get(proposal.get_absolute_url()).content.decode()
    assert "Femke Fan" in _client(site_admin).get(proposal.get_absolute_url()).content.decode()


def test_a_site_admin_founds_it_through_the_page(site_admin: User, member: User) -> None:
    proposal = propose(member)
    url = reverse("communities:proposal-found", kwargs={"community_proposal_id": proposal.pk})
    client = _client(site_admin)
    assert 'value="wijkverpleging-en-apps"' in client.get(url).content.decode()
    response = client.post(url, {"slug": "wijk", "join_policy": "approval"})
    community = Community.objects.get(slug="wijk")
    assert response["Location"] == community.get_absolute_url()
    assert community.join_policy == "approval"


def test_the_directory_links_to_the_proposals(outsider: User) -> None:
    page = _client(outsider).get(reverse("communities:directory")).content.decode()
    assert reverse("communities:proposal-list") in page


def test_a_proposal_page_reads_in_fixed_queries(
    member: User, site_admin: User, django_assert_num_queries
) -> None:
    proposal = propose(member)
    proposal_support_toggle(proposal=proposal, user=UserFactory())
    client = _client(site_admin)
    client.get(proposal.get_absolute_url())
    # session + user (with access) + proposal with counts + supporters + events
    with django_assert_num_queries(5):
        client.get(proposal.get_absolute_url())
    for _ in range(3):
        proposal_support_toggle(proposal=proposal, user=UserFactory())
    with django_assert_num_queries(5):
        client.get(proposal.get_absolute_url())


def test_a_founded_proposal_links_its_community_only_for_who_may_know_it(
    site_admin: User, member: User, outsider: User
) -> None:
    from communities.services.communities import community_update

    proposal = propose(member)
    community = proposal_found(proposal=proposal, by=site_admin, slug="wijk")
    assert (
        community.get_absolute_url()
        in _client(outsider).get(proposal.get_absolute_url()).content.decode()
    )
    community_update(community=community, by=member, is_listed=False)
    page = _client(outsider).get(proposal.get_absolute_url()).content.decode()
    assert community.get_absolute_url() not in page
    assert (
        community.get_absolute_url()
        in _client(member).get(proposal.get_absolute_url()).content.decode()
    )
