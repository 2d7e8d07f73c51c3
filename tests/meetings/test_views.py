"""Meeting and topic pages, full-stack through the test client."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.models import Community
from meetings.models import Meeting, Rsvp, TopicProposal
from meetings.services.outputs import output_add
from meetings.services.proposals import proposal_create, vote_cast
from meetings.services.rsvps import rsvp_set
from members.models import User
from tests.conftest import _with_role, make_community
from tests.meetings.helpers import plan

pytestmark = pytest.mark.django_db


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_meetings_page_lists_upcoming_first_then_past_with_outputs(
    community: Community,
    facilitator: User,
    member: User,
    site_admin: User,
    django_assert_num_queries,
) -> None:
    for days in (5, 2, 9):
        plan(
            community,
            facilitator,
            starts_at=timezone.now() + timedelta(days=days),
            title=f"Over {days}",
        )
    for days in (3, 10):
        past = plan(
            community,
            facilitator,
            starts_at=timezone.now() - timedelta(days=days),
            title=f"{days} geleden",
        )
        output_add(meeting=past, by=facilitator, kind="summary", body=f"Lessen {days}")
        output_add(meeting=past, by=facilitator, kind="action", body="Doen", owner=member)
    client = _login(member)
    url = reverse("meetings:meeting-list", kwargs={"slug": community.slug})
    client.get(url)
    # session, user (with the viewer's access), community, readable check, upcoming,
    # past, outputs
    with django_assert_num_queries(7):
        response = client.get(url)
    text = response.content.decode()
    assert (
        text.index("Over 2")
        < text.index("Over 5")
        < text.index("Over 9")
        < text.index("3 geleden")
        < text.index("10 geleden")
    )
    assert "Lessen 3" in text and "Lessen 10" in text


def test_the_meeting_page_answers_and_shows_the_link_after_yes(
    community: Community, facilitator: User, member: User, django_assert_num_queries
) -> None:
    meeting = plan(community, facilitator, online_link="https://meet.example.org/abc")
    client = _login(member)
    url = meeting.get_absolute_url()
    client.get(url)
    # session, user (with the viewer's access), meeting, own answer, answers,
    # attendance, agenda, outputs, files
    with django_assert_num_queries(9):
        page = client.get(url)
    assert "meet.example.org/abc" not in page.content.decode()
    response = client.post(
        reverse("meetings:meeting-rsvp", kwargs={"meeting_id": meeting.pk}), {"answer": "yes"}
    )
    assert response.status_code == 302
    assert "meet.example.org/abc" in client.get(url).content.decode()


def test_a_full_meeting_shows_the_waiting_list_position(
    community: Community, facilitator: User, member: User, site_admin: User
) -> None:
    meeting = plan(community, facilitator, capacity=1)
    rsvp_set(meeting=meeting, user=_with_role(community, site_admin, 10), answer="yes")
    rsvp_set(meeting=meeting, user=_with_role(community, site_admin, 10), answer="yes")
    client = _login(member)
    client.post(
        reverse("meetings:meeting-rsvp", kwargs={"meeting_id": meeting.pk}), {"answer": "yes"}
    )
    assert Rsvp.objects.get(user=member).waiting_position == 2
    text = client.get(meeting.get_absolute_url()).content.decode()
    assert "2" in text and ("wachtlijst" in text or "waiting list" in text)


def test_outsiders_get_404_for_a_members_only_meeting_sponsors_too(
    community: Community, facilitator: User, outsider: User, sponsor: User
) -> None:
    meeting = plan(community, facilitator)
    for person in (outsider, sponsor):
        client = _login(person)
        assert client.get(meeting.get_absolute_url()).status_code == 404
        assert (
            client.get(
                reverse("meetings:meeting-ics", kwargs={"meeting_id": meeting.pk})
            ).status_code
            == 404
        )
        rsvp = reverse("meetings:meeting-rsvp", kwargs={"meeting_id": meeting.pk})
        assert client.post(rsvp, {"answer": "yes"}).status_code == 404
    assert not Rsvp.objects.exists()


def test_a_confidential_communitys_meetings_page_is_404_for_outsiders(
    site_admin: User, facilitator: User, outsider: User
) -> None:
    secret = make_community(
        site_admin, facilitator, "geheim", is_confidential=True, is_listed=False
    )
    client = _login(outsider)
    assert (
        client.get(reverse("meetings:meeting-list", kwargs={"slug": secret.slug})).status_code
        == 404
    )
    assert (
        client.get(reverse("meetings:proposal-list", kwargs={"slug": secret.slug})).status_code
        == 404
    )


def test_members_cannot_plan_or_cancel(
    community: Community, facilitator: User, member: User
) -> None:
    meeting = plan(community, facilitator)
    client = _login(member)
    assert (
        client.get(reverse("meetings:meeting-create", kwargs={"slug": community.slug})).status_code
        == 403
    )
    assert (
        client.post(
            reverse("meetings:meeting-cancel", kwargs={"meeting_id": meeting.pk})
        ).status_code
        == 403
    )
    meeting.refresh_from_db()
    assert meeting.state == Meeting.State.SCHEDULED


def test_a_facilitator_plans_a_meeting_through_the_form(
    community: Community, facilitator: User
) -> None:
    client = _login(facilitator)
    url = reverse("meetings:meeting-create", kwargs={"slug": community.slug})
    day = (timezone.now() + timedelta(days=10)).date()
    response = client.post(
        url,
        {
            "kind": "webinar",
            "title": "Webinar AVG",
            "description": "",
            "date": day.isoformat(),
            "start_time": "19:30",
            "end_time": "21:00",
            "time_zone": "Europe/Amsterdam",
            "place": "",
            "online_link": "https://meet.example.org/avg",
            "capacity": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    local = meeting.starts_at.astimezone(meeting.zone)
    assert (local.date(), local.hour, local.minute) == (day, 19, 30)


def test_the_topics_page_sorts_by_votes_and_by_organisations(
    community: Community,
    facilitator: User,
    member: User,
    site_admin: User,
    django_assert_num_queries,
) -> None:
    from tests.factories import OrganizationFactory

    one_org = OrganizationFactory(name="Zorggroep")
    popular = proposal_create(community=community, by=member, title="Veel stemmen")
    spread = proposal_create(community=community, by=member, title="Veel organisaties")
    for _ in range(3):
        vote_cast(
            proposal=popular, user=_with_role(community, site_admin, 10, organization=one_org)
        )
    for _ in range(2):
        vote_cast(proposal=spread, user=_with_role(community, site_admin, 10))
    client = _login(facilitator)
    url = reverse("meetings:proposal-list", kwargs={"slug": community.slug})
    client.get(url)
    # session, user (with the viewer's access), community, readable, proposals, taken
    # up, meetings
    with django_assert_num_queries(7):
        by_votes = client.get(url).content.decode()
    by_orgs = client.get(url + "?order=organisations").content.decode()
    assert by_votes.index("Veel stemmen") < by_votes.index("Veel organisaties")
    assert by_orgs.index("Veel organisaties") < by_orgs.index("Veel stemmen")
    assert "Turn into a meeting" in by_votes or "Maak er een bijeenkomst van" in by_votes


def test_voting_and_withdrawing_through_the_page(
    community: Community, member: User, core_member: User
) -> None:
    proposal = proposal_create(community=community, by=member, title="Onderwerp")
    client = _login(core_member)
    url = reverse("meetings:proposal-vote", kwargs={"proposal_id": proposal.pk})
    client.post(url, {"action": "vote"})
    client.post(url, {"action": "vote"})
    assert proposal.votes.count() == 2
    client.post(url, {"action": "withdraw"})
    assert proposal.votes.count() == 1


def test_take_up_into_meeting_opens_the_form_with_the_topic(
    community: Community, facilitator: User, member: User
) -> None:
    proposal = proposal_create(community=community, by=member, title="Zelfmanagement-apps")
    client = _login(facilitator)
    response = client.post(
        reverse("meetings:proposal-take-up", kwargs={"proposal_id": proposal.pk}),
        {"into": "meeting"},
    )
    assert response.status_code == 302
    form = client.get(response["Location"])
    assert "Zelfmanagement-apps" in form.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == TopicProposal.State.OPEN  # only planning the meeting takes it up


def test_the_community_home_shows_the_next_meeting(
    community: Community, facilitator: User, member: User
) -> None:
    plan(community, facilitator, title="Later", starts_at=timezone.now() + timedelta(days=20))
    plan(
        community, facilitator, title="Eerstvolgende", starts_at=timezone.now() + timedelta(days=2)
    )
    text = _login(member).get(community.get_absolute_url()).content.decode()
    assert "Eerstvolgende" in text and "Later" not in text


def test_meeting_outputs_are_found_by_search_only_where_one_may_read(
    community: Community, facilitator: User, member: User, outsider: User
) -> None:
    past = plan(community, facilitator, starts_at=timezone.now() - timedelta(days=1))
    output_add(meeting=past, by=facilitator, kind="summary", body="Thuismonitoring werkt bij COPD.")
    url = reverse("meetings:search") + "?q=thuismonitoring"
    assert "COPD" in _login(member).get(url).content.decode()
    assert "COPD" not in _login(outsider).get(url).content.decode()
