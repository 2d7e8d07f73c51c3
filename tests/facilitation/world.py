"""A hand-built community whose every console figure is known, written through the
services at the times each row says (time-machine), so the tests can check the
figures against this description:

Members (joined 200 days ago unless said), posts in the last 30 days / 30-60 / 60-90 /
90-120 days ago, and reads:

| person | posts                              | reads          | level now / before     |
|--------|------------------------------------|----------------|------------------------|
| ann    | 4 replies 2-5 days ago             | -              | core / away            |
| bob    | 1 question 3 days ago (unanswered) | -              | active / away          |
| cas    | 1 reply 45 days ago                | -              | occasional / active    |
| dee    | -                                  | a thread today | reader / away          |
| eve    | - (joined this month, expertise)   | -              | away / away            |
| fay    | 1 tip 100 days ago (no reply)      | -              | away / occasional      |

plus the persona fixtures, who joined today: the facilitator (a question 45 days ago
that Cas answered, an unanswered question 20 days ago, a story 6 days ago that Ann's
replies go to: active / active), the member Mira (expertise "beeldbellen", no posts)
and the core member (no posts). Eve lists "Beeldbellen" and "thuiszorg". Also: a join
request, an invitation, an open flag on the story, a meeting that ended 2 days ago
without outputs, and two topic proposals (each with its proposer's vote, one with a
second vote).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import time_machine
from django.utils import timezone

from communities.models import Community, Membership
from communities.services.communities import community_update
from communities.services.invitations import invitation_create_many
from communities.services.memberships import membership_grant, membership_request
from discussions.models import Thread
from discussions.services.moderation import flag_create
from discussions.services.posts import reply_create, thread_create
from discussions.services.reading import thread_mark_read
from meetings.models import Meeting
from meetings.services.meetings import meeting_create
from meetings.services.proposals import proposal_create, vote_cast
from members.models import User
from tests.factories import UserFactory, set_profile


@dataclass
class World:
    community: Community
    now: datetime
    people: dict[str, User]
    old_question: Thread
    bob_question: Thread
    fay_tip: Thread
    meeting: Meeting


def _at(now: datetime, days: float) -> time_machine.travel:
    return time_machine.travel(now - timedelta(days=days), tick=False)


def build_world(
    community: Community, site_admin: User, facilitator: User, member: User, core_member: User
) -> World:
    now = timezone.now()
    people: dict[str, User] = {}
    with _at(now, 200):
        for key in ("ann", "bob", "cas", "dee", "fay"):
            people[key] = UserFactory(display_name=key.title())
            membership_grant(
                community=community,
                user=people[key],
                role=Membership.Role.MEMBER,
                granted_by=site_admin,
            )
    # Eve joins this month: today, a second ago.
    people["eve"] = UserFactory(display_name="Eve")
    membership_grant(
        community=community, user=people["eve"], role=Membership.Role.MEMBER, granted_by=site_admin
    )
    set_profile(people["eve"], expertise=["Beeldbellen", "thuiszorg"])
    set_profile(member, expertise=["beeldbellen"])

    with _at(now, 100):
        fay_tip = thread_create(
            community=community, author=people["fay"], kind="tip", title="Tip van Fay", body="x"
        )
    with _at(now, 45):
        cas_question = thread_create(
            community=community,
            author=facilitator,
            kind="question",
            title="Vraag met antwoord",
            body="x",
        )
        reply_create(thread=cas_question, author=people["cas"], body="Antwoord van Cas")
    with _at(now, 20):
        old_question = thread_create(
            community=community,
            author=facilitator,
            kind="question",
            title="Wie werkt met beeldbellen in de wijk?",
            body="x",
        )
    # Ann's four replies go to a story of the facilitator's (which so has replies).
    with _at(now, 6):
        story = thread_create(
            community=community, author=facilitator, kind="story", title="Verhaal", body="x"
        )
    for day in (2, 3, 4, 5):
        with _at(now, day):
            reply_create(thread=story, author=people["ann"], body=f"Reactie {day}")
    with _at(now, 3):
        bob_question = thread_create(
            community=community,
            author=people["bob"],
            kind="question",
            title="Hoe plan je thuiszorg?",
            body="x",
            tags=["planning"],
        )
    thread_mark_read(user=people["dee"], thread=story)

    community_update(community=community, by=facilitator, join_policy="approval")
    requester = UserFactory(display_name="Rob Requester")
    membership_request(community=community, user=requester, message="", charter_accepted=True)
    invitation_create_many(
        community=community, invited_by=facilitator, addresses="nieuw@example.org"
    )
    flag_create(reporter=member, post=story, reason="Klopt dit?")
    meeting = meeting_create(
        community=community,
        by=facilitator,
        kind=Meeting.Kind.MEETUP,
        title="Bijeenkomst zonder verslag",
        description="",
        starts_at=now - timedelta(days=2, hours=2),
        ends_at=now - timedelta(days=2),
        time_zone="Europe/Amsterdam",
        place="Utrecht",
    )
    voted = proposal_create(community=community, by=member, title="Beeldbellen in de praktijk")
    vote_cast(proposal=voted, user=core_member)
    proposal_create(community=community, by=member, title="Zonder stemmen")
    people["requester"] = requester
    return World(community, now, people, old_question, bob_question, fay_tip, meeting)


def grow(community: Community, site_admin: User, author: User, n: int) -> None:
    """More of everything, to show the query counts do not follow the data size."""
    for index in range(n):
        user = UserFactory()
        membership_grant(
            community=community, user=user, role=Membership.Role.MEMBER, granted_by=site_admin
        )
        thread = thread_create(
            community=community, author=user, kind="question", title=f"Extra {index}", body="x"
        )
        if index % 2:
            reply_create(thread=thread, author=author, body="Antwoord")
        set_profile(user, expertise=["extra"])
