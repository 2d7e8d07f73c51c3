"""A member who has done a bit of everything, for the export and erasure tests."""

from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from communities.models import Community, Invitation, Membership
from communities.services.invitations import invitation_create_many
from communities.services.memberships import membership_grant
from discussions.models import Reply, Thread
from discussions.services.attachments import attachments_add
from discussions.services.posts import reply_create
from discussions.services.reactions import reaction_toggle
from discussions.services.reading import thread_mark_read
from meetings.models import Meeting
from meetings.services.meetings import meeting_create
from meetings.services.proposals import proposal_create, vote_cast
from meetings.services.rsvps import rsvp_set
from members.images import RenderedAvatar
from members.models import User
from outbox.preferences import preference_set
from tests.conftest import make_community
from tests.factories import UserFactory, make_thread, set_profile
from value_cycles.models import Cycle
from value_cycles.services.events import value_event_record

# Unique strings the erasure must leave nowhere in the database.
MARKER_NAME = "Zorro Zwijsen-Markeer"
MARKER_EMAIL = "zorro.markeer@example.org"
PHOTO = b"\xff\xd8\xff\xe0 not really a photo, but bytes to keep"
ATTACHMENT = b"%PDF-1.4\n% the member's own file\n%%EOF\n"


@dataclass
class World:
    person: User
    facilitator: User
    community: Community
    thread: Thread
    reply: Reply
    others_thread: Thread


def build_world(site_admin: User, facilitator: User, community: Community) -> World:
    person = UserFactory(email=MARKER_EMAIL, display_name=MARKER_NAME)
    set_profile(
        person,
        job_title="Aanjager",
        bio="Over mij.",
        expertise=["wondzorg"],
        interests=["e-health"],
        avatar=RenderedAvatar(PHOTO),
    )
    membership_grant(
        community=community, user=person, role=Membership.Role.MEMBER, granted_by=site_admin
    )
    others_thread = make_thread(community, facilitator, title="Vraag van Fenna")
    thread = make_thread(community, person, title="Mijn eigen vraag", body="Mijn tekst.")
    reply = reply_create(thread=others_thread, author=person, body="Mijn antwoord.")
    helpful = reply_create(thread=thread, author=facilitator, body="Probeer dit.")
    attachments_add(post=reply, files=[SimpleUploadedFile("plan.pdf", ATTACHMENT)], by=person)
    reaction_toggle(user=person, post=others_thread, kind="thanks")
    thread_mark_read(user=person, thread=others_thread)
    value_event_record(member=person, community=community, cycle=Cycle.IMMEDIATE, source=helpful)
    starts = timezone.now() + timedelta(days=3)
    meeting = meeting_create(
        community=community,
        by=facilitator,
        kind=Meeting.Kind.MEETUP,
        title="Bijeenkomst",
        description="",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        time_zone="Europe/Amsterdam",
        place="Utrecht",
    )
    rsvp_set(meeting=meeting, user=person, answer="yes")
    proposal = proposal_create(community=community, by=person, title="Mijn onderwerp")
    vote_cast(proposal=proposal, user=facilitator)
    preference_set(user=person, kind="discussions.activity", community_id=None, value="off")
    # An invitation elsewhere, to the person's address: the address must go too.
    elsewhere = make_community(site_admin, facilitator, "elders", join_policy="invite")
    invitation_create_many(community=elsewhere, invited_by=facilitator, addresses=MARKER_EMAIL)
    assert Invitation.objects.filter(email=MARKER_EMAIL).exists()
    return World(person, facilitator, community, thread, reply, others_thread)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client
