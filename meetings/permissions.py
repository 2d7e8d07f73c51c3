"""Who may see and do what with meetings and topic proposals: the one place.

Meetings and proposals follow the community's reading rules (communities.permissions):
whoever may read its discussions may see its meetings; members answer, propose and
vote; facilitators plan, mark attendance, post outputs and take proposals up. The
online link goes only to those with a place (and to facilitators). Lists, feeds and
mails start from `meetings_visible_to` / `proposals_visible_to`.
"""

from datetime import timedelta

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from communities.models import Community, Membership
from communities.permissions import (
    Role,
    can_manage_community,
    communities_readable_by,
    role_in,
)
from meetings.models import Meeting, OutputFile, Rsvp, TopicProposal
from members.models import User
from members.types import Viewer

FEED_HISTORY = timedelta(days=365)


def meetings_visible_to(user: Viewer) -> QuerySet[Meeting]:
    """Meetings of the communities whose discussions the user may read."""
    return Meeting.objects.filter(community__in=communities_readable_by(user))


def can_see_meetings(user: Viewer, community: Community) -> bool:
    """The community's meetings and topics are for whoever may read its discussions."""
    if not user.is_authenticated:
        return False
    return communities_readable_by(user).filter(pk=community.pk).exists()


def get_meeting_for_user_or_404(user: Viewer, meeting_id: int) -> Meeting:
    # One 404 for missing and hidden: an id must not reveal that a meeting exists.
    return get_object_or_404(meetings_visible_to(user).select_related("community"), pk=meeting_id)


def output_files_visible_to(user: Viewer) -> QuerySet[OutputFile]:
    """A meeting's files are for whoever may see the meeting."""
    return OutputFile.objects.filter(meeting__in=meetings_visible_to(user))


def get_output_file_for_user_or_404(user: Viewer, file_id: int) -> OutputFile:
    # One 404 for missing and hidden, as for the meeting itself.
    return get_object_or_404(
        output_files_visible_to(user).select_related("meeting__community"), pk=file_id
    )


def proposals_visible_to(user: Viewer) -> QuerySet[TopicProposal]:
    return TopicProposal.objects.filter(community__in=communities_readable_by(user))


def get_proposal_for_user_or_404(user: Viewer, proposal_id: int) -> TopicProposal:
    return get_object_or_404(proposals_visible_to(user).select_related("community"), pk=proposal_id)


def is_member(user: Viewer, community: Community) -> bool:
    """Active members of any role but sponsor: they answer, propose and vote."""
    return role_in(user, community) >= Role.MEMBER


def can_plan_meetings(user: Viewer, community: Community) -> bool:
    """Plan, change and cancel meetings; mark attendance; post outputs; take up topics."""
    return can_manage_community(user, community)


def can_rsvp(user: Viewer, meeting: Meeting) -> bool:
    """Members answer scheduled meetings that have not ended."""
    return (
        is_member(user, meeting.community) and not meeting.is_cancelled and not meeting.has_ended()
    )


def can_see_online_link(user: Viewer, meeting: Meeting, rsvp: Rsvp | None) -> bool:
    """The link is for members who said yes and have a place, and for facilitators."""
    if can_plan_meetings(user, meeting.community):
        return True
    return rsvp is not None and rsvp.has_place and is_member(user, meeting.community)


def can_say_attended(user: Viewer, meeting: Meeting) -> bool:
    """Members say "I was there" once the meeting has begun."""
    return is_member(user, meeting.community) and not meeting.is_cancelled and meeting.has_started()


def can_propose_topic(user: Viewer, community: Community) -> bool:
    return is_member(user, community)


def can_vote(user: Viewer, proposal: TopicProposal) -> bool:
    return proposal.state == TopicProposal.State.OPEN and is_member(user, proposal.community)


def can_take_up_proposal(user: Viewer, proposal: TopicProposal) -> bool:
    return proposal.state == TopicProposal.State.OPEN and can_plan_meetings(
        user, proposal.community
    )


def _members_of(community_id: int) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        memberships__community_id=community_id,
        memberships__state=Membership.State.ACTIVE,
        memberships__role__gte=Membership.Role.MEMBER,
    )


def meeting_recipients(meeting: Meeting) -> QuerySet[User]:
    """Who may be told about the meeting: its community's active members (not
    sponsors by that role alone), decided when the mail is sent."""
    return _members_of(meeting.community_id)


def proposal_recipients(proposal: TopicProposal) -> QuerySet[User]:
    """The proposer and the voters, while they are still members."""
    return _members_of(proposal.community_id).filter(
        Q(pk=proposal.proposer_id) | Q(pk__in=proposal.votes.values("user_id"))
    )


def feed_meetings(user: User) -> QuerySet[Meeting]:
    """The meetings a personal calendar feed lists: those of every community the user
    is an active member of, read at fetch time (a member who left sees none of them),
    from the last year on: a calendar client refetches the whole feed every time."""
    mine = Membership.objects.filter(
        user=user, state=Membership.State.ACTIVE, role__gte=Membership.Role.MEMBER
    ).values("community_id")
    since = timezone.now() - FEED_HISTORY
    return meetings_visible_to(user).filter(community_id__in=mine, ends_at__gte=since)
