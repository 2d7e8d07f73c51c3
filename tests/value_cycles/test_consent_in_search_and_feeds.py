"""Consent tiers in search and feeds: value texts are found or shown only where their
tier allows, and today no search, feed or digest carries them at all: not the
discussions' search, not the meetings' search, not the thread feed, not the digest
preview, not the personal calendar feed. A test per tier, for every persona, so that a
feed or search that starts to show value must go through value_cycles.permissions."""

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import Community
from meetings.services.calendar import calendar_feed_create
from members.models import User
from tests.factories import make_thread
from tests.meetings.helpers import plan
from value_cycles.models import Cycle, Tier, ValueStory
from value_cycles.permissions import value_events_visible_to, value_stories_visible_to
from value_cycles.services.events import EventTexts, value_event_record
from value_cycles.services.stories import value_story_create

pytestmark = pytest.mark.django_db

# A word no post, meeting or page holds: it can only come from a value text.
MARK = "zwaluwstaartverbinding"
TEXTS = [f"Nu met een {MARK}", f"Verhaal van de {MARK}", f"De {MARK} werkt"]
# The member fixture writes the value; the core member is a member who did not.
PERSONAS = ["member", "core_member", "facilitator", "sponsor", "outsider", "site_admin"]


def _surfaces(client: Client, user: User) -> dict[str, str]:
    token = calendar_feed_create(user=user)
    return {
        "search": client.get(reverse("discussions:search"), {"q": MARK}).content.decode(),
        "meetings search": client.get(reverse("meetings:search"), {"q": MARK}).content.decode(),
        "feed": client.get(reverse("discussions:feed")).content.decode(),
        "digest preview": client.get(reverse("discussions:digest-preview")).content.decode(),
        "calendar feed": Client()
        .get(reverse("meetings:calendar-feed", kwargs={"token": token}))
        .content.decode(),
    }


@pytest.mark.parametrize("tier", Tier.values)
def test_no_search_or_feed_shows_a_value_text_of_any_tier(
    tier: int,
    request: pytest.FixtureRequest,
    community: Community,
    facilitator: User,
    member: User,
    core_member: User,
) -> None:
    thread = make_thread(community, core_member, kind="tip", title="Tip over intake")
    plan(community, facilitator, title="Intakeoverleg")
    event = value_event_record(
        member=member,
        community=community,
        cycle=Cycle.APPLIED,
        source=thread,
        texts=EventTexts(what_changed=f"Nu met een {MARK} in het team."),
        tier=tier,
    )
    story = value_story_create(
        community=community,
        author=member,
        title=f"Verhaal van de {MARK}",
        sections={"applied": f"De {MARK} werkt."},
        ending=ValueStory.Ending.ACHIEVED,
        tier=tier,
        events=[event],
        publish=True,
    )
    for persona in PERSONAS:
        user = request.getfixturevalue(persona)
        client = Client()
        client.force_login(user)
        for surface, text in _surfaces(client, user).items():
            # (The search pages repeat the query itself, so the texts are looked for.)
            shown = [t for t in TEXTS if t in text]
            assert shown == [], f"{surface} shows tier-{tier} value texts to {persona}"
        # The texts themselves stay readable exactly where the tier allows (the rule
        # tests/value_cycles/test_permissions.py holds for every tier and role).
        story_page = client.get(story.get_absolute_url())
        readable = value_stories_visible_to(user).filter(pk=story.pk).exists()
        assert story_page.status_code == (200 if readable else 404)
        assert (TEXTS[2] in story_page.content.decode()) == readable
        assert value_events_visible_to(user).filter(pk=event.pk).exists() == (
            persona == "member"
            or (tier >= Tier.FACILITATORS and persona in {"facilitator", "site_admin"})
            or (tier >= Tier.MEMBERS and persona == "core_member")
            or (tier >= Tier.SPONSOR_TEXT and persona == "sponsor")
            or (tier == Tier.PUBLIC and persona == "outsider" and community.is_listed)
        )
