"""Capture from a post to a story through the test client, and what each page shows."""

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import Community
from discussions.models import KnowledgePage, Reply, Thread
from discussions.services.knowledge import knowledge_page_create
from members.models import User
from value_cycles.models import ConsentChange, Cycle, FollowUp, Tier, ValueEvent, ValueStory


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_this_helped_is_one_tap_and_a_second_tap_changes_nothing(
    member: User, answer: Reply
) -> None:
    client = _client(member)
    url = reverse("value_cycles:reply-helped", kwargs={"reply_id": answer.pk})
    response = client.post(url)
    event = ValueEvent.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(
        reverse("value_cycles:event-edit", kwargs={"event_id": event.pk})
    )
    assert (event.cycle, event.tier, event.source_reply) == (Cycle.IMMEDIATE, Tier.MEMBERS, answer)
    client.post(url)
    assert ValueEvent.objects.count() == 1


def test_the_reply_card_offers_capture_to_members(
    member: User, sponsor: User, answer: Reply, question: Thread
) -> None:
    helped = reverse("value_cycles:reply-helped", kwargs={"reply_id": answer.pk})
    assert helped in _client(member).get(question.get_absolute_url()).text


def test_ill_use_this_asks_the_kind_of_gain_and_schedules_a_follow_up(
    member: User, answer: Reply
) -> None:
    client = _client(member)
    url = reverse("value_cycles:reply-will-use", kwargs={"reply_id": answer.pk})
    assert client.post(url, {"tier": "20"}).status_code == 200  # no kind chosen
    response = client.post(url, {"capital": "tangible", "tier": "40"})
    assert response.status_code == 302
    event = ValueEvent.objects.get()
    assert (event.cycle, event.capital, event.tier) == (
        Cycle.POTENTIAL,
        "tangible",
        Tier.SPONSOR_TEXT,
    )
    assert FollowUp.objects.get().event == event


def test_i_used_this_continues_the_chain_and_becomes_a_story(member: User, answer: Reply) -> None:
    client = _client(member)
    client.post(reverse("value_cycles:reply-helped", kwargs={"reply_id": answer.pk}))
    client.post(
        reverse("value_cycles:reply-used", kwargs={"reply_id": answer.pk}),
        {"what_changed": "Ambassadeurs per team.", "tier": "20"},
    )
    helped, used = ValueEvent.objects.order_by("cycle")
    assert helped.chain == used.chain
    url = reverse("value_cycles:story-from-chain", kwargs={"event_id": helped.pk})
    form = client.get(url).text
    assert "Ambassadeurs per team." in form  # pre-filled from the chain
    response = client.post(
        url,
        {
            "title": "Ambassadeurs",
            "applied": "Ambassadeurs per team.",
            "ending": "achieved",
            "tier": "40",
            "publish": "on",
        },
    )
    story = ValueStory.objects.get()
    assert response["Location"] == story.get_absolute_url()
    assert set(story.events.all()) == {helped, used}
    assert story.is_published and story.source_threads.get() == answer.thread


def test_a_change_of_tier_is_recorded_with_its_time(member: User, answer: Reply) -> None:
    client = _client(member)
    client.post(reverse("value_cycles:reply-helped", kwargs={"reply_id": answer.pk}))
    event = ValueEvent.objects.get()
    client.post(
        reverse("value_cycles:event-edit", kwargs={"event_id": event.pk}),
        {"why_it_helped": "Snel antwoord.", "tier": "0"},
    )
    event.refresh_from_db()
    assert (event.tier, event.why_it_helped) == (Tier.ONLY_ME, "Snel antwoord.")
    change = ConsentChange.objects.filter(event=event).order_by("changed_at", "pk").last()
    assert change is not None and (change.from_tier, change.to_tier) == (Tier.MEMBERS, Tier.ONLY_ME)
    assert change.changed_at is not None


def test_log_value_from_outside_the_platform(member: User, community: Community) -> None:
    response = _client(member).post(
        reverse("value_cycles:log", kwargs={"slug": community.slug}),
        {
            "cycle": "4",
            "text": "Minder reistijd.",
            "figure": "3",
            "unit": "uur",
            "where": "Bellen",
            "tier": "20",
        },
    )
    assert response.status_code == 302
    event = ValueEvent.objects.get()
    assert (event.cycle, event.figure, event.unit, event.where) == (4, 3, "uur", "Bellen")


def test_capture_on_a_knowledge_page(member: User, community: Community, facilitator: User) -> None:
    page = knowledge_page_create(
        community=community,
        by=facilitator,
        title="Kennis",
        body="Tekst",
        visibility=KnowledgePage.Visibility.COMMUNITY,
        source_threads=[],
    )
    client = _client(member)
    helped = reverse(
        "value_cycles:page-helped", kwargs={"slug": community.slug, "page_slug": page.slug}
    )
    assert helped in client.get(page.get_absolute_url()).text
    client.post(helped)
    assert ValueEvent.objects.get().source_page == page


def test_my_value_page_lists_my_chains_with_their_tiers_in_fixed_queries(
    member: User, answer: Reply, django_assert_num_queries: object
) -> None:
    client = _client(member)
    client.post(reverse("value_cycles:reply-helped", kwargs={"reply_id": answer.pk}))
    url = reverse("value_cycles:mine")
    client.get(url)
    with django_assert_num_queries(5):  # type: ignore[operator]
        page = client.get(url).text
    assert "Beeldbellen?" in page
    client.post(
        reverse("value_cycles:reply-used", kwargs={"reply_id": answer.pk}),
        {"what_changed": "Iets.", "tier": "10"},
    )
    with django_assert_num_queries(5):  # type: ignore[operator]
        client.get(url)


def test_the_sponsors_community_home_says_what_they_see(
    sponsor: User, member: User, community: Community
) -> None:
    dashboard = reverse("value_cycles:dashboard", kwargs={"slug": community.slug})
    home = _client(sponsor).get(community.get_absolute_url()).text
    assert dashboard in home
    assert dashboard not in _client(member).get(community.get_absolute_url()).text


@pytest.mark.parametrize("tier", [Tier.MEMBERS, Tier.SPONSOR_COUNTS])
def test_a_sponsor_cannot_open_a_story_below_the_sponsor_text_tier(
    tier: int, sponsor: User, member: User, community: Community
) -> None:
    from value_cycles.services.stories import value_story_create

    story = value_story_create(
        community=community,
        author=member,
        title="Intern",
        sections={"applied": "Zo."},
        ending="hoped",
        tier=tier,
        publish=True,
    )
    assert _client(sponsor).get(story.get_absolute_url()).status_code == 404


def test_a_sponsor_reads_a_shared_story_without_names(
    sponsor: User, member: User, community: Community
) -> None:
    from value_cycles.services.stories import value_story_create

    story = value_story_create(
        community=community,
        author=member,
        title="Gedeeld",
        sections={"applied": "Zo."},
        ending="achieved",
        tier=Tier.SPONSOR_TEXT,
        publish=True,
    )
    page = _client(sponsor).get(story.get_absolute_url()).text
    assert "Gedeeld" in page
    assert member.name not in page
    assert member.organization.name not in page
