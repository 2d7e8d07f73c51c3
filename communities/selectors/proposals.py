"""Reads of community proposals: the list (open ones first, most supported on top) and
one proposal's page, each in a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, QuerySet

from communities.models import CommunityProposal, ProposalEvent, ProposalSupport
from communities.permissions import proposals_visible_to
from members.models import User
from members.types import Viewer

RECENTLY_DECIDED = 20


def _annotated(user: Viewer, proposals: QuerySet[CommunityProposal]) -> QuerySet[CommunityProposal]:
    return proposals.select_related("proposer", "community").annotate(
        supporters=Count("supports", distinct=True),
        viewer_supports=Exists(
            ProposalSupport.objects.filter(proposal=OuterRef("pk"), user_id=user.pk or 0)
        ),
    )


def proposal_list_open(user: Viewer) -> QuerySet[CommunityProposal]:
    """Open proposals, the most supported first, then the newest."""
    return _annotated(
        user, proposals_visible_to(user).filter(state=CommunityProposal.State.OPEN)
    ).order_by("-supporters", "-created_at", "-pk")  # type: ignore[misc]


def proposal_list_decided(user: Viewer) -> QuerySet[CommunityProposal]:
    """The latest proposals that became a community or were closed."""
    return _annotated(
        user, proposals_visible_to(user).exclude(state=CommunityProposal.State.OPEN)
    ).order_by("-decided_at", "-pk")[:RECENTLY_DECIDED]


def proposal_with_counts(user: Viewer, proposal_id: int) -> CommunityProposal | None:
    return _annotated(user, proposals_visible_to(user)).filter(pk=proposal_id).first()


def proposal_supporters(proposal: CommunityProposal, limit: int = 50) -> list[User]:
    """The first supporters by name, for the proposal page (everyone there said so in
    public: "I'd join" is shown to every signed-in person)."""
    return list(
        User.objects.filter(pk__in=proposal.supports.values("user_id"))
        .only("display_name", "email")
        .order_by("display_name", "pk")[:limit]
    )


def proposal_events(proposal: CommunityProposal) -> QuerySet[ProposalEvent]:
    """The proposal's audit rows; callers show them to site admins only."""
    return proposal.events.select_related("actor").order_by("-created_at", "-pk")
