"""Topic proposals: members propose and vote (one vote each, withdrawable);
facilitators take a topic up as a meeting, an agenda item or a thread, and the
proposer and voters are told."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import AuditEvent, Community
from communities.services.audit import audit_record
from discussions.models import Thread
from discussions.services.posts import thread_create
from meetings.models import Meeting, TopicProposal, TopicVote
from meetings.permissions import can_propose_topic, can_take_up_proposal, can_vote
from members.models import User
from members.queue import enqueue_on_commit


@transaction.atomic
def proposal_create(
    *, community: Community, by: User, title: str, description: str = ""
) -> TopicProposal:
    """Propose a topic (members). The proposer's vote is counted with it."""
    if not can_propose_topic(by, community):
        raise PermissionDenied
    proposal = TopicProposal.objects.create(
        community=community, proposer=by, title=title.strip(), description=description.strip()
    )
    TopicVote.objects.create(proposal=proposal, user=by)
    return proposal


@transaction.atomic
def vote_cast(*, proposal: TopicProposal, user: User) -> TopicVote:
    """One vote per person per topic: a second vote changes nothing."""
    if not can_vote(user, proposal):
        raise PermissionDenied
    try:
        with transaction.atomic():
            vote, _ = TopicVote.objects.get_or_create(proposal=proposal, user=user)
    except IntegrityError:  # the same person voting twice at the same moment
        vote = TopicVote.objects.get(proposal=proposal, user=user)
    return vote


@transaction.atomic
def vote_withdraw(*, proposal: TopicProposal, user: User) -> None:
    """Take one's vote back while the topic is open. Idempotent."""
    if not can_vote(user, proposal):
        raise PermissionDenied
    TopicVote.objects.filter(proposal=proposal, user=user).delete()


@transaction.atomic
def proposal_take_up(
    *,
    proposal: TopicProposal,
    by: User,
    meeting: Meeting | None = None,
    as_agenda_item: bool = False,
) -> TopicProposal:
    """Mark an open topic as taken up by `meeting` (on its agenda when
    `as_agenda_item`); the proposer and voters are told after commit."""
    from meetings.services.meetings import agenda_item_add

    locked = (
        TopicProposal.objects.select_for_update().select_related("community").get(pk=proposal.pk)
    )
    if not can_take_up_proposal(by, locked):
        raise PermissionDenied
    if meeting is not None:
        if meeting.community_id != locked.community_id:
            raise PermissionDenied
        if as_agenda_item:
            agenda_item_add(meeting=meeting, by=by, title=locked.title, proposal=locked)
        locked.meeting = meeting
    return _taken_up(locked, by)


@transaction.atomic
def proposal_to_thread(*, proposal: TopicProposal, by: User) -> Thread:
    """Start a discussion about the topic, written by the facilitator who takes it up."""
    locked = (
        TopicProposal.objects.select_for_update().select_related("community").get(pk=proposal.pk)
    )
    if not can_take_up_proposal(by, locked):
        raise PermissionDenied
    body = locked.description or _("A topic members asked for. What do you know about it?")
    thread = thread_create(
        community=locked.community,
        author=by,
        kind=Thread.Kind.QUESTION,
        title=locked.title,
        body=body,
    )
    locked.thread = thread
    _taken_up(locked, by)
    return thread


def _taken_up(proposal: TopicProposal, by: User) -> TopicProposal:
    if proposal.meeting is None and proposal.thread is None:
        raise ValidationError(_("Choose what the topic becomes."), code="nothing")
    proposal.state = TopicProposal.State.PLANNED
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save()
    audit_record(
        community=proposal.community,
        actor=by,
        action=AuditEvent.Action.TOPIC_TAKEN_UP,
        proposal=proposal.pk,
        title=proposal.title,
    )
    enqueue_on_commit("meetings.notify_proposal_taken_up", proposal_id=proposal.pk)
    return proposal
