"""Demo value for `make run`: events in every cycle, chains that reach cycle 4,
stories at several consent tiers and aspirations, so the sponsor login
(sander@example.org, sponsor of the e-health network) shows a dashboard worth reading.

Written through the services; only the dates are moved back afterwards, so the
dashboard has months to show. Running it twice adds nothing.
"""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from communities.models import Community
from discussions.models import Reply
from meetings.models import Meeting
from members.models import User
from value_cycles.models import Capital, Cycle, Tier, ValueEvent, ValueStory
from value_cycles.services.events import EventTexts, value_event_record
from value_cycles.services.stories import aspiration_record, value_story_create

EHEALTH = "e-health-projectleiders"

# (member, days ago, cycle, capital, texts, tier) per chain; each chain is on one reply.
CHAINS: list[tuple[str, int, list[tuple[int, int, str, EventTexts, int]]]] = [
    (
        "mira",
        0,
        [
            (
                150,
                Cycle.IMMEDIATE,
                "",
                EventTexts(why_it_helped="Eindelijk een aanpak die werkt."),
                Tier.SPONSOR_TEXT,
            ),
            (
                149,
                Cycle.POTENTIAL,
                Capital.TANGIBLE,
                EventTexts(why_it_helped="Het ambassadeursmodel."),
                Tier.SPONSOR_TEXT,
            ),
            (
                110,
                Cycle.APPLIED,
                "",
                EventTexts(
                    what_changed="Elk wijkteam heeft nu een ambassadeur die collega's laat oefenen."
                ),
                Tier.SPONSOR_TEXT,
            ),
            (
                60,
                Cycle.REALISED,
                "",
                EventTexts(
                    what_result="Beeldbelgesprekken per week verdubbeld.",
                    figure=Decimal("120"),
                    unit="uur reistijd bespaard",
                ),
                Tier.SPONSOR_TEXT_NAMED,
            ),
        ],
    ),
    (
        "olivia",
        0,
        [
            (
                140,
                Cycle.IMMEDIATE,
                "",
                EventTexts(why_it_helped="Confirmed what we saw."),
                Tier.SPONSOR_COUNTS,
            ),
            (
                100,
                Cycle.POTENTIAL,
                Capital.SOCIAL,
                EventTexts(why_it_helped="Met Fenna's team."),
                Tier.SPONSOR_COUNTS,
            ),
            (
                70,
                Cycle.APPLIED,
                "",
                EventTexts(what_changed="Champions per team in two more clinics."),
                Tier.SPONSOR_COUNTS,
            ),
            (
                20,
                Cycle.REALISED,
                "",
                EventTexts(
                    what_result="Fewer no-shows at video appointments.",
                    figure=Decimal("35"),
                    unit="uur reistijd bespaard",
                ),
                Tier.SPONSOR_TEXT,
            ),
        ],
    ),
    (
        "fenna",
        1,
        [
            (
                90,
                Cycle.IMMEDIATE,
                "",
                EventTexts(why_it_helped="Good to see it worked elsewhere."),
                Tier.MEMBERS,
            ),
        ],
    ),
    (
        "mira",
        1,
        [
            (
                45,
                Cycle.IMMEDIATE,
                "",
                EventTexts(why_it_helped="Leden laten kiezen werkt."),
                Tier.SPONSOR_TEXT,
            ),
            (44, Cycle.POTENTIAL, Capital.LEARNING, EventTexts(), Tier.SPONSOR_TEXT),
            (
                15,
                Cycle.APPLIED,
                "",
                EventTexts(what_changed="We laten leden nu stemmen op webinaronderwerpen."),
                Tier.SPONSOR_TEXT,
            ),
            (
                5,
                Cycle.REFRAMING,
                "",
                EventTexts(what_result="We tellen opkomst niet meer als succes, maar toepassing."),
                Tier.SPONSOR_TEXT,
            ),
        ],
    ),
    (
        "olivia",
        3,
        [
            (30, Cycle.IMMEDIATE, "", EventTexts(), Tier.ONLY_ME),
        ],
    ),
]

STORIES = [
    (
        "mira",
        "Van één ambassadeur naar elk wijkteam",
        {
            "immediate": "Mijn vraag over beeldbellen kreeg binnen een dag drie antwoorden.",
            "potential": "Het ambassadeursmodel van Fenna: per team één collega die oefent.",
            "applied": "We kozen in elk wijkteam een ambassadeur en gaven ze twee uur per week.",
            "realised": "Het aantal beeldbelgesprekken verdubbelde; wijkverpleging reist minder.",
        },
        ValueStory.Ending.ACHIEVED,
        Tier.SPONSOR_TEXT_NAMED,
    ),
    (
        "mira",
        "Leden kiezen zelf de onderwerpen",
        {
            "immediate": "Fenna's verhaal over het lege webinar.",
            "applied": "Leden stemmen nu op onderwerpen voor bijeenkomsten.",
            "reframing": "Succes is niet hoeveel mensen komen, maar wat ze ermee doen.",
        },
        ValueStory.Ending.HOPED,
        Tier.SPONSOR_TEXT,
    ),
    (
        "olivia",
        "Champions in two more clinics",
        {
            "applied": "We copied the champion model in two clinics.",
            "realised": "No-shows dropped.",
        },
        ValueStory.Ending.ACHIEVED,
        Tier.SPONSOR_COUNTS,
    ),
]

ASPIRATIONS = [
    (
        "fenna",
        Cycle.APPLIED,
        "Elke deelnemende organisatie past minstens één aanpak uit het netwerk toe.",
    ),
    ("sander", Cycle.REALISED, "Minder reistijd voor de wijkverpleging door beeldbellen."),
    ("sander", Cycle.REFRAMING, "Samen bepalen wat we als succes van e-health tellen."),
]


@transaction.atomic
def load_demo(personas: dict[str, User], communities: dict[str, Community]) -> None:
    community = communities.get(EHEALTH)
    if community is None or ValueEvent.objects.filter(community=community).exists():
        return
    replies = list(
        Reply.objects.filter(thread__community=community).order_by("thread__created_at", "pk")
    )
    now = timezone.now()
    first_events: dict[tuple[str, int], ValueEvent] = {}
    for key, reply_index, steps in CHAINS:
        reply = replies[reply_index % len(replies)] if replies else None
        chain = None
        for days_ago, cycle, capital, texts, tier in steps:
            event = value_event_record(
                member=personas[key],
                community=community,
                cycle=cycle,
                source=reply,
                capital=capital,
                texts=texts,
                tier=tier,
                chain=chain,
                follow_up=False,
            )
            chain = event.chain
            first_events.setdefault((key, reply_index), event)
            ValueEvent.objects.filter(pk=event.pk).update(
                created_at=now - timedelta(days=days_ago), updated_at=now - timedelta(days=days_ago)
            )
    for key, title, sections, ending, tier in STORIES:
        events = list(ValueEvent.objects.filter(member=personas[key], community=community))
        story = value_story_create(
            community=community,
            author=personas[key],
            title=title,
            sections=sections,
            ending=ending,
            tier=tier,
            events=events[:4],
            publish=True,
        )
        ValueStory.objects.filter(pk=story.pk).update(published_at=now - timedelta(days=10))
    # "What will you do with this?" after the demo's past meet-up.
    meetup = Meeting.objects.filter(community=community, ends_at__lt=now).order_by("pk").first()
    if meetup is not None and "mira" in personas:
        value_event_record(
            member=personas["mira"],
            community=community,
            cycle=Cycle.POTENTIAL,
            source=meetup,
            capital=Capital.TANGIBLE,
            texts=EventTexts(why_it_helped="De checklist voor de eerste twee weken."),
            follow_up=False,
        )
    for key, cycle, text in ASPIRATIONS:
        aspiration_record(community=community, by=personas[key], cycle=cycle, text=text)
