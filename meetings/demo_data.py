"""Demo meetings and topics: past meetings with their outputs, upcoming ones with
answers and an agenda, topics with votes. Written through the services; running it
twice changes nothing (a community that has meetings is left alone)."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from communities.models import Community
from discussions.models import Thread
from meetings.models import Meeting, MeetingOutput, Rsvp
from meetings.services.meetings import agenda_item_add, meeting_create
from meetings.services.outputs import output_add, output_files_add
from meetings.services.proposals import proposal_create, vote_cast
from meetings.services.rsvps import attendance_mark, rsvp_set
from members.models import User

AMSTERDAM = "Europe/Amsterdam"


# A one-page PDF (checked by content like every upload): the demo meeting's slides.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _at(days: int, hour: int) -> datetime:
    day = (timezone.localtime() + timedelta(days=days)).date()
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _meeting(community: Community, by: User, days: int, hour: int, **fields: object) -> Meeting:
    start = _at(days, hour)
    return meeting_create(
        community=community,
        by=by,
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone=AMSTERDAM,
        **fields,  # type: ignore[arg-type]
    )


@transaction.atomic
def load_demo(personas: dict[str, User], communities: dict[str, Community]) -> None:
    ehealth = communities.get("e-health-projectleiders")
    if ehealth is None or Meeting.objects.filter(community=ehealth).exists():
        return
    fenna, mira, olivia = personas["fenna"], personas["mira"], personas["olivia"]

    past = _meeting(
        ehealth,
        fenna,
        -14,
        15,
        kind=Meeting.Kind.MEETUP,
        title="Praktijkmiddag thuismonitoring",
        description="Drie projectleiders vertellen wat thuismonitoring hun team opleverde.",
        place="Utrecht, Kennisnetwerk Zorg",
        capacity=20,
    )
    attendance_mark(meeting=past, by=fenna, present=[fenna, mira])
    output_add(
        meeting=past,
        by=fenna,
        kind=MeetingOutput.Kind.SUMMARY,
        body="Thuismonitoring werkt als de praktijkondersteuner de eerste weken meekijkt. "
        "Zonder vaste contactpersoon haken patiënten af.",
    )
    output_add(
        meeting=past,
        by=fenna,
        kind=MeetingOutput.Kind.ACTION,
        body="Checklist voor de eerste twee weken delen in de community.",
        owner=mira,
        due_on=(timezone.localdate() + timedelta(days=7)),
    )
    # The slides as a file, and the discussion the afternoon took up: its thread page
    # says "discussed at" this meeting.
    output_files_add(meeting=past, by=fenna, files=[SimpleUploadedFile("Dia's.pdf", DEMO_PDF)])
    discussed = Thread.objects.filter(community=ehealth).order_by("created_at", "pk").first()
    if discussed is not None:
        agenda_item_add(meeting=past, by=fenna, title="Uit de community", thread=discussed)

    webinar_topic = proposal_create(
        community=ehealth,
        by=mira,
        title="AVG en gezondheidsapps: wat mag wel?",
        description="Wat moet je regelen voordat een team een app gaat gebruiken?",
    )
    vote_cast(proposal=webinar_topic, user=olivia)
    vote_cast(proposal=webinar_topic, user=fenna)
    proposal_create(
        community=ehealth,
        by=olivia,
        title="Video consultation: what do patients actually like?",
        description="Experiences from the first year, in English or Dutch.",
    )

    upcoming = _meeting(
        ehealth,
        fenna,
        9,
        19,
        kind=Meeting.Kind.WEBINAR,
        title="Webinar: e-health invoeren zonder extra werkdruk",
        description="Een uur met twee teams die het net hebben gedaan, en ruimte voor vragen.",
        online_link="https://meet.example.org/e-health-webinar",
        capacity=2,
    )
    agenda_item_add(meeting=upcoming, by=fenna, title="Welkom en kennismaking")
    agenda_item_add(meeting=upcoming, by=fenna, title="Twee teams vertellen")
    rsvp_set(meeting=upcoming, user=mira, answer=Rsvp.Answer.YES)
    rsvp_set(meeting=upcoming, user=olivia, answer=Rsvp.Answer.MAYBE)

    _meeting(
        ehealth,
        fenna,
        30,
        14,
        kind=Meeting.Kind.PEER_CONSULTATION,
        title="Intervisie: vastgelopen implementaties",
        description="Breng een casus mee. Wat hier besproken wordt, blijft hier.",
        place="Amersfoort",
        capacity=8,
    )

    experts = communities.get("schade-experts")
    if experts is not None and "kees" in personas:
        _meeting(
            experts,
            personas["kees"],
            12,
            10,
            kind=Meeting.Kind.PEER_CONSULTATION,
            title="Casusbespreking brandschade",
            description="Alleen voor leden; geen klantnamen.",
            place="Zwolle",
        )
