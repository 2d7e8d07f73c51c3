"""Demo data of the console's act side and of proposed communities: facilitator notes,
playbook steps ticked off, two proposals with supporters. Written through the services;
running it twice changes nothing (existing rows are left alone)."""

from typing import Any

from django.db import transaction

from communities.models import Community, CommunityProposal
from communities.services.proposals import proposal_create, proposal_support_toggle
from facilitation.models import FacilitatorNote, PlaybookTick
from facilitation.services.act import note_create, playbook_tick_toggle
from members.models import User

NOTES = {
    "e-health-projectleiders": (
        "fenna",
        [
            "Mira en Olivia kennen elkaar van het webinar. Vraag ze samen de **checklist "
            "voor de eerste twee weken** te schrijven.",
            "Sander (sponsor) vraagt in maart om resultaten. Nog te vroeg: leg uit dat we "
            "in de plakfase zitten en laat de eerste geholpen vragen zien.",
        ],
    ),
    "aanjagers-lokale-gezondheid": (
        "fenna",
        ["Veel aanjagers zitten in WhatsApp-groepen. Eerst de drie actiefste bellen."],
    ),
    "web-developers": (
        "ravi",
        ["Olivia offered to run a session on screen-reader testing. Plan it for May."],
    ),
}
TICKS = {
    "e-health-projectleiders": ("fenna", ["charter", "hard_case"]),
    "aanjagers-lokale-gezondheid": ("fenna", ["focus"]),
    "web-developers": ("ravi", ["topics", "knowledge"]),
}
PROPOSALS: list[dict[str, Any]] = [
    {
        "proposer": "ilse",
        "supporters": ["kees", "mira"],
        "name": "Thuisbatterijen en brandrisico",
        "focus": "Schade-experts, brandweer en installateurs delen wat ze leren over "
        "branden door thuisbatterijen.",
        "urgency": "Het aantal thuisbatterijen verdubbelt elk jaar; niemand heeft de "
        "schadebeelden al goed in kaart.",
        "member_value": "Snellere, betere inschattingen en contact met vakgenoten buiten de "
        "eigen verzekeraar.",
        "who_else": "Brandweer, installateurs, schade-experts van andere verzekeraars.",
    },
    {
        "proposer": "olivia",
        "supporters": ["ravi"],
        "name": "Accessibility testing on a budget",
        "focus": "Small teams share how they test accessibility without a dedicated tester.",
        "urgency": "The European Accessibility Act applies now.",
        "member_value": "Checklists and tools that work for a team of three.",
        "who_else": "",
    },
]


@transaction.atomic
def load_demo(personas: dict[str, User], communities: dict[str, Community]) -> None:
    for slug, (author, bodies) in NOTES.items():
        community = communities.get(slug)
        if community is None or FacilitatorNote.objects.filter(community=community).exists():
            continue
        for body in bodies:
            note_create(community=community, author=personas[author], body=body)
    for slug, (by, items) in TICKS.items():
        community = communities.get(slug)
        if community is None:
            continue
        done = set(PlaybookTick.objects.filter(community=community).values_list("item", flat=True))
        for item in items:
            if item not in done:
                playbook_tick_toggle(community=community, by=personas[by], item=item)
    for idea in PROPOSALS:
        if CommunityProposal.objects.filter(name=idea["name"]).exists():
            continue
        fields = {k: v for k, v in idea.items() if k not in {"proposer", "supporters"}}
        proposal = proposal_create(by=personas[idea["proposer"]], **fields)
        for key in idea["supporters"]:
            proposal_support_toggle(proposal=proposal, user=personas[key])
