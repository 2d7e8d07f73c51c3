"""What needs a facilitator's attention in one community, each item with the page that
answers it. Four queries however much there is:

1. the counts, as subqueries of one community row: pending join requests (and the
   oldest one's date), pending invitations not expired, open flags, meetings that
   ended in the last MEETING_HORIZON days without any output, open topic proposals
   with at least one vote;
2. the open threads, oldest first: unanswered questions (no reply, no accepted answer)
   and threads of the other kinds but announcements with no reply, not deleted or
   hidden; the first LIST_LIMIT of each with the total of each (window counts);
3. the meetings without outputs, the latest first (LIST_LIMIT);
4. the top-voted open topic proposals (TOP_PROPOSALS), most votes first.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from communities.models import Community, Invitation, Membership
from discussions.models import Flag, Thread
from discussions.selectors.annotations import tag_names
from meetings.models import Meeting, MeetingOutput, TopicProposal, TopicVote

LIST_LIMIT = 10
TOP_PROPOSALS = 3
MEETING_HORIZON = timedelta(days=90)
NO_REPLY_KINDS = (Thread.Kind.TIP, Thread.Kind.STORY, Thread.Kind.FAILURE_STORY)


@dataclass
class AttentionCounts:
    requests: int = 0
    oldest_request_at: datetime | None = None
    invitations: int = 0
    flags: int = 0
    meetings_without_outputs: int = 0
    proposals: int = 0


@dataclass
class Attention:
    counts: AttentionCounts
    questions: list[Thread] = field(default_factory=list)
    questions_total: int = 0
    no_reply: list[Thread] = field(default_factory=list)
    no_reply_total: int = 0
    meetings: list[Meeting] = field(default_factory=list)
    proposals: list[TopicProposal] = field(default_factory=list)

    def total(self, *, manages: bool) -> int:
        """How many items wait (requests, invitations and flags only for managers)."""
        c = self.counts
        own = c.requests + c.invitations + c.flags if manages else 0
        return own + self.questions_total + self.no_reply_total + c.meetings_without_outputs


def _count(queryset: Any) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _no_outputs(now: datetime) -> Q:
    return Q(
        state=Meeting.State.SCHEDULED,
        ends_at__lt=now,
        ends_at__gte=now - MEETING_HORIZON,
    ) & ~Q(Exists(MeetingOutput.objects.filter(meeting=OuterRef("pk"))))


def attention_counts(community_ids: OuterRef | int, now: datetime) -> dict[str, Any]:
    """The counts as annotations of a community row (`OuterRef("pk")` for many rows)."""
    c = community_ids
    requests = Membership.objects.filter(community_id=c, state=Membership.State.REQUESTED)
    return {
        "n_requests": _count(requests),
        "oldest_request_at": Subquery(
            requests.order_by().values("community_id").annotate(at=Min("created_at")).values("at")
        ),
        "n_invitations": _count(
            Invitation.objects.filter(
                community_id=c, state=Invitation.State.PENDING, expires_at__gt=now
            )
        ),
        "n_flags": _count(Flag.objects.filter(community_id=c, resolved_at__isnull=True)),
        "n_meetings": _count(Meeting.objects.filter(_no_outputs(now), community_id=c)),
        "n_proposals": _count(
            TopicProposal.objects.filter(
                Exists(TopicVote.objects.filter(proposal=OuterRef("pk"))),
                community_id=c,
                state=TopicProposal.State.OPEN,
            )
        ),
    }


def open_threads_q() -> Q:
    """Unanswered questions and unreplied threads of the other kinds (announcements
    ask for no reply), shown to members (not deleted, not hidden)."""
    questions = Q(kind=Thread.Kind.QUESTION, accepted_reply__isnull=True)
    return Q(reply_count=0, deleted_at=None, is_hidden=False) & (
        questions | Q(kind__in=NO_REPLY_KINDS)
    )


def attention_for(community: Community, now: datetime | None = None) -> Attention:
    """Everything that waits in the community (four queries). Callers check that the
    viewer may open its console; the template shows requests, invitations and flags
    only to those who may act on them."""
    now = now or timezone.now()
    row = (
        Community.objects.filter(pk=community.pk)  # type: ignore[misc]
        .annotate(**attention_counts(community.pk, now))
        .values(
            "n_requests",
            "oldest_request_at",
            "n_invitations",
            "n_flags",
            "n_meetings",
            "n_proposals",
        )
        .get()
    )
    counts = AttentionCounts(
        requests=row["n_requests"],
        oldest_request_at=row["oldest_request_at"],
        invitations=row["n_invitations"],
        flags=row["n_flags"],
        meetings_without_outputs=row["n_meetings"],
        proposals=row["n_proposals"],
    )
    is_question = Case(
        When(kind=Thread.Kind.QUESTION, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    # The first LIST_LIMIT of each group, oldest first, with the group's total: window
    # functions, filtered after they are computed (Django wraps the query), so at most
    # 2 x LIST_LIMIT rows come back however many threads wait.
    threads = list(
        Thread.objects.filter(open_threads_q(), community=community)
        .select_related("author")
        .only(
            "pk",
            "title",
            "kind",
            "created_at",
            "community_id",
            "author__display_name",
            "author__email",
            "accepted_reply_id",
            "is_hidden",
            "deleted_at",
        )
        .annotate(
            group=is_question,
            position=Window(RowNumber(), partition_by=[is_question], order_by=["created_at", "pk"]),
            group_total=Window(Count("pk"), partition_by=[is_question]),
            tag_list=tag_names(),
        )
        .filter(position__lte=LIST_LIMIT)
        .order_by("-group", "created_at", "pk")
    )
    attention = Attention(counts=counts)
    for thread in threads:
        if thread.group:
            attention.questions_total = thread.group_total
            attention.questions.append(thread)
        else:
            attention.no_reply_total = thread.group_total
            attention.no_reply.append(thread)
    attention.meetings = list(
        Meeting.objects.filter(_no_outputs(now), community=community)
        .only("pk", "title", "starts_at", "ends_at", "time_zone", "community_id")
        .order_by("-ends_at", "-pk")[:LIST_LIMIT]
    )
    attention.proposals = list(
        TopicProposal.objects.filter(community=community, state=TopicProposal.State.OPEN)
        .annotate(n_votes=Count("votes"))
        .filter(n_votes__gt=0)
        .only("pk", "title", "created_at", "community_id")
        .order_by("-n_votes", "created_at", "pk")[:TOP_PROPOSALS]
    )
    return attention
