"""The consent tier rule: for every tier and every role, the queryset and the check give
the same answer, and nobody reads a text above its tier."""

import pytest

from communities.models import Community
from discussions.models import Reply
from members.models import User
from value_cycles.models import Cycle, Tier, ValueEvent, ValueStory
from value_cycles.permissions import (
    can_read_event,
    can_read_story,
    can_view_dashboard,
    value_events_counted_for,
    value_events_visible_to,
    value_stories_visible_to,
)
from value_cycles.services.events import EventTexts, value_event_record
from value_cycles.services.stories import value_story_create

# Who reads a text of each tier (besides its author), from the product rules.
READERS = {
    Tier.ONLY_ME: set(),
    Tier.FACILITATORS: {"facilitator", "site_admin"},
    Tier.MEMBERS: {"facilitator", "site_admin", "core_member"},
    Tier.SPONSOR_COUNTS: {"facilitator", "site_admin", "core_member"},
    Tier.SPONSOR_TEXT: {"facilitator", "site_admin", "core_member", "sponsor"},
    Tier.SPONSOR_TEXT_NAMED: {"facilitator", "site_admin", "core_member", "sponsor"},
    Tier.PUBLIC: {"facilitator", "site_admin", "core_member", "sponsor", "outsider"},
}
# Whose dashboard counts include an event of each tier.
COUNTERS = {
    Tier.ONLY_ME: set(),
    Tier.FACILITATORS: {"facilitator", "site_admin"},
    Tier.MEMBERS: {"facilitator", "site_admin"},
    Tier.SPONSOR_COUNTS: {"facilitator", "site_admin", "sponsor"},
    Tier.SPONSOR_TEXT: {"facilitator", "site_admin", "sponsor"},
    Tier.SPONSOR_TEXT_NAMED: {"facilitator", "site_admin", "sponsor"},
    Tier.PUBLIC: {"facilitator", "site_admin", "sponsor"},
}
PERSONAS = ["facilitator", "site_admin", "core_member", "sponsor", "outsider"]


@pytest.fixture
def people(
    facilitator: User, site_admin: User, core_member: User, sponsor: User, outsider: User
) -> dict[str, User]:
    return {
        "facilitator": facilitator,
        "site_admin": site_admin,
        "core_member": core_member,
        "sponsor": sponsor,
        "outsider": outsider,
    }


def _fresh(user: User) -> User:
    # A new user object, as each request has: no roles cached from an earlier check.
    return User.objects.get(pk=user.pk)


@pytest.mark.parametrize("tier", list(Tier))
def test_an_event_is_read_by_exactly_the_roles_its_tier_allows(
    tier: Tier, community: Community, member: User, answer: Reply, people: dict[str, User]
) -> None:
    event = value_event_record(
        member=member,
        community=community,
        cycle=Cycle.APPLIED,
        source=answer,
        texts=EventTexts(what_changed="Ambassadeurs per team."),
        tier=tier,
    )
    for persona, user in people.items():
        expected = persona in READERS[tier]
        in_list = value_events_visible_to(_fresh(user)).filter(pk=event.pk).exists()
        assert in_list == expected, persona
        assert can_read_event(_fresh(user), event) == expected, persona
    assert can_read_event(_fresh(member), event)
    assert value_events_visible_to(_fresh(member)).filter(pk=event.pk).exists()


@pytest.mark.parametrize("tier", list(Tier))
def test_dashboard_counts_include_an_event_only_where_its_tier_allows(
    tier: Tier, community: Community, member: User, people: dict[str, User]
) -> None:
    event = value_event_record(member=member, community=community, cycle=Cycle.IMMEDIATE, tier=tier)
    for persona, user in people.items():
        counted = value_events_counted_for(_fresh(user)).filter(pk=event.pk).exists()
        assert counted == (persona in COUNTERS[tier]), persona


@pytest.mark.parametrize("tier", list(Tier))
def test_a_published_story_is_read_by_exactly_the_roles_its_tier_allows(
    tier: Tier, community: Community, member: User, people: dict[str, User]
) -> None:
    story = value_story_create(
        community=community,
        author=member,
        title="Verhaal",
        sections={"applied": "We deden het."},
        ending=ValueStory.Ending.ACHIEVED,
        tier=tier,
        publish=True,
    )
    for persona, user in people.items():
        expected = persona in READERS[tier]
        assert value_stories_visible_to(_fresh(user)).filter(pk=story.pk).exists() == expected
        assert can_read_story(_fresh(user), story, is_author=False) == expected, persona


def test_a_draft_is_read_by_its_authors_only(
    community: Community, member: User, facilitator: User
) -> None:
    story = value_story_create(
        community=community,
        author=member,
        title="Concept",
        sections={"immediate": "Begin."},
        ending=ValueStory.Ending.HOPED,
        tier=Tier.PUBLIC,
    )
    assert value_stories_visible_to(_fresh(member)).filter(pk=story.pk).exists()
    assert not value_stories_visible_to(_fresh(facilitator)).filter(pk=story.pk).exists()


def test_the_dashboard_is_for_facilitators_sponsors_and_site_admins(
    community: Community, member: User, people: dict[str, User]
) -> None:
    allowed = {p for p in PERSONAS if can_view_dashboard(_fresh(people[p]), community)}
    assert allowed == {"facilitator", "site_admin", "sponsor"}
    assert not can_view_dashboard(_fresh(member), community)


def test_a_sponsor_of_another_community_counts_nothing_here(
    community: Community, member: User, site_admin: User
) -> None:
    from communities.models import Membership
    from communities.services.memberships import membership_grant
    from tests.conftest import make_community
    from tests.factories import UserFactory

    other = make_community(site_admin, UserFactory(), "ander")
    elsewhere = UserFactory()
    membership_grant(
        community=other, user=elsewhere, role=Membership.Role.SPONSOR, granted_by=site_admin
    )
    value_event_record(member=member, community=community, cycle=1, tier=Tier.PUBLIC)
    assert not value_events_counted_for(_fresh(elsewhere)).exists()
    assert ValueEvent.objects.count() == 1
