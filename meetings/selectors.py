"""Reads for meeting and topic pages, feeds and search; every list starts from
`meetings_visible_to` / `proposals_visible_to`."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import JSONObject
from django.utils import timezone

from communities.models import Community
from meetings.links import feed_token_hash
from meetings.models import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingOutput,
    OutputFile,
    Rsvp,
    TopicProposal,
    TopicVote,
)
from meetings.permissions import (
    can_plan_meetings,
    can_rsvp,
    can_say_attended,
    can_see_online_link,
    meetings_visible_to,
    proposals_visible_to,
)
from members.models import User
from members.types import Viewer

PAST_SHOWN = 20


def _with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.annotate(
        yes_count=Count(
            "rsvps", filter=Q(rsvps__answer="yes", rsvps__waiting_position__isnull=True)
        )
    )


def meeting_lists_for_community(
    user: Viewer, community: Community
) -> tuple[list[Meeting], list[Meeting]]:
    """Upcoming meetings (soonest first) and the latest past ones with their outputs."""
    now = timezone.now()
    mine = meetings_visible_to(user).filter(community=community)
    upcoming = list(_with_counts(mine.filter(ends_at__gt=now)).order_by("starts_at", "pk"))
    past = list(
        mine.filter(ends_at__lte=now)
        .exclude(state=Meeting.State.CANCELLED)
        .order_by("-starts_at", "-pk")
        .prefetch_related(Prefetch("outputs", MeetingOutput.objects.select_related("owner")))[
            :PAST_SHOWN
        ]
    )
    return upcoming, past


def next_meeting(user: Viewer, community: Community) -> Meeting | None:
    return (
        meetings_visible_to(user)
        .filter(community=community, state=Meeting.State.SCHEDULED, ends_at__gt=timezone.now())
        .order_by("starts_at", "pk")
        .first()
    )


def community_home_context(user: Viewer, community: Community) -> dict[str, Any]:
    """What templates/meetings/_next_meeting.html needs on the community home."""
    return {"next_meeting": next_meeting(user, community)}


# The thread page names the latest few meetings that discussed the thread.
DISCUSSED_AT_SHOWN = 5


def thread_page_annotations() -> dict[str, ArraySubquery]:
    """For the thread page's own query (settings.THREAD_PAGE_ANNOTATIONS): the meetings
    whose agenda links the thread, as {id, title, starts_at}, latest first, cancelled
    ones left out. Only meetings of the thread's own community: whoever may read the
    thread may read that community, so may see its meetings (meetings_visible_to); a
    thread moved elsewhere since does not name the old community's meetings."""
    on_agenda = AgendaItem.objects.filter(thread_id=OuterRef(OuterRef("pk"))).values("meeting_id")
    return {
        "meetings_discussed": ArraySubquery(
            Meeting.objects.filter(community_id=OuterRef("community_id"), pk__in=on_agenda)
            .exclude(state=Meeting.State.CANCELLED)
            .order_by("-starts_at", "-pk")
            .values(link=JSONObject(id="pk", title="title", starts_at="starts_at"))[
                :DISCUSSED_AT_SHOWN
            ]
        )
    }


@dataclass
class MeetingPage:
    meeting: Meeting
    rsvp: Rsvp | None
    waiting_rank: int | None
    counts: dict[str, int]
    agenda: list[AgendaItem]
    outputs: list[MeetingOutput]
    files: list[OutputFile]
    attended: bool
    can_plan: bool
    can_rsvp: bool
    can_say_attended: bool
    show_link: bool
    answers: list[Rsvp] = field(default_factory=list)
    attendee_ids: set[int] = field(default_factory=set)


def meeting_page(user: User, meeting: Meeting) -> MeetingPage:
    """Everything the meeting page shows, for a viewer who may see the meeting."""
    rsvp = Rsvp.objects.filter(meeting=meeting, user=user).first()
    rows = Rsvp.objects.filter(meeting=meeting).values_list("answer", "waiting_position")
    counts = {"yes": 0, "maybe": 0, "no": 0, "waiting": 0}
    waiting_rank = None
    for answer, position in rows:
        counts["waiting" if position is not None else answer] += 1
        mine = rsvp.waiting_position if rsvp is not None else None
        if mine is not None and position is not None and position <= mine:
            waiting_rank = (waiting_rank or 0) + 1
    can_plan = can_plan_meetings(user, meeting.community)
    attendee_ids = set(Attendance.objects.filter(meeting=meeting).values_list("user_id", flat=True))
    answers: list[Rsvp] = []
    if can_plan:
        answers = list(
            Rsvp.objects.filter(meeting=meeting)
            .exclude(answer=Rsvp.Answer.NO)
            .select_related("user")
            .order_by("answer", "waiting_position", "answered_at")
        )
    return MeetingPage(
        meeting=meeting,
        rsvp=rsvp,
        waiting_rank=waiting_rank,
        counts=counts,
        agenda=list(meeting.agenda_items.select_related("thread", "proposal")),
        outputs=list(meeting.outputs.select_related("owner")),
        files=list(meeting.files.all()),
        attended=user.pk in attendee_ids,
        can_plan=can_plan,
        can_rsvp=can_rsvp(user, meeting),
        can_say_attended=can_say_attended(user, meeting),
        show_link=can_see_online_link(user, meeting, rsvp),
        answers=answers,
        attendee_ids=attendee_ids,
    )


def upcoming_meetings_of(community: Community) -> QuerySet[Meeting]:
    """For a facilitator's "add to the agenda of" choice."""
    return Meeting.objects.filter(
        community=community, state=Meeting.State.SCHEDULED, ends_at__gt=timezone.now()
    ).order_by("starts_at")


def proposals_for_community(
    user: Viewer, community: Community, *, order: str = "votes"
) -> QuerySet[TopicProposal]:
    """Open topics with their votes and how many organisations the voters come from;
    `order` is "votes", "organisations" or "new"."""
    proposals = (
        proposals_visible_to(user)
        .filter(community=community, state=TopicProposal.State.OPEN)
        .select_related("proposer")
        .annotate(
            vote_count=Count("votes", distinct=True),
            organisation_count=Count("votes__user__organization", distinct=True),
        )
    )
    if user.is_authenticated:
        proposals = proposals.annotate(
            has_voted=Exists(TopicVote.objects.filter(proposal=OuterRef("pk"), user=user))
        )
    orderings = {
        "votes": ["-vote_count", "-organisation_count", "-created_at"],
        "organisations": ["-organisation_count", "-vote_count", "-created_at"],
        "new": ["-created_at", "-pk"],
    }
    return proposals.order_by(*orderings.get(order, orderings["votes"]))


def taken_up_proposals(user: Viewer, community: Community) -> QuerySet[TopicProposal]:
    return (
        proposals_visible_to(user)
        .filter(community=community, state=TopicProposal.State.PLANNED)
        .select_related("meeting", "thread")
        .order_by("-decided_at")[:10]
    )


def feed_owner(token: str) -> User | None:
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=feed_token_hash(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def has_live_feed(user: User) -> bool:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).exists()


def feed_entries(user: User, meetings: QuerySet[Meeting]) -> list[tuple[Meeting, bool]]:
    """Meetings with whether the user sees each online link, in two queries."""
    rows = list(meetings.select_related("community").order_by("starts_at"))
    places = set(
        Rsvp.objects.filter(
            meeting__in=[m.pk for m in rows],
            user=user,
            answer=Rsvp.Answer.YES,
            waiting_position__isnull=True,
        ).values_list("meeting_id", flat=True)
    )
    return [(m, m.pk in places or can_plan_meetings(user, m.community)) for m in rows]


def output_search(user: Viewer, query: str, limit: int = 30) -> QuerySet[MeetingOutput]:
    """Meeting outputs matching `query`, in meetings the user may see."""
    vector = SearchVector("body", "meeting__title", config="simple")
    return (
        MeetingOutput.objects.filter(meeting__in=meetings_visible_to(user))
        .annotate(search=vector)
        .filter(search=SearchQuery(query, config="simple", search_type="websearch"))
        .select_related("meeting__community")
        .order_by("-meeting__starts_at", "pk")[:limit]
    )
