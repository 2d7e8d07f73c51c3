"""Communities grow from below: any signed-in member proposes a community, others say
"I'd join", and a site admin (or enough supporters, settings.COP_PROPOSAL_FOUND_AT)
turns it into one, with the proposer as its facilitator and the supporters invited
through the ordinary invitations.

Every change leaves a ProposalEvent (the proposal has no community to hold an
AuditEvent yet); founding also leaves the new community's "created" audit row.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from communities.emails.proposals import proposal_new_enqueue
from communities.models import (
    RESERVED_SLUGS,
    Community,
    CommunityProposal,
    ProposalEvent,
    ProposalSupport,
)
from communities.permissions import (
    can_close_proposal,
    can_found_proposal,
    can_propose_community,
    can_support_proposal,
)
from communities.selectors.invitations import MAX_ADDRESSES
from communities.services.communities import community_insert
from communities.services.invitations import invitation_create_many
from members.models import User

E = ProposalEvent.Action


def _event(proposal: CommunityProposal, actor: User | None, action: str, **detail: object) -> None:
    ProposalEvent.objects.create(proposal=proposal, actor=actor, action=action, detail=detail)


def _required(**texts: str) -> dict[str, str]:
    cleaned = {name: text.strip() for name, text in texts.items()}
    if not all(cleaned.values()):
        raise ValidationError(
            _(
                "Give it a name, and say what the focus is, why it matters now and what "
                "members gain."
            )
        )
    return cleaned


@transaction.atomic
def proposal_create(
    *,
    by: User,
    name: str,
    focus: str,
    urgency: str,
    member_value: str,
    who_else: str = "",
) -> CommunityProposal:
    """Propose a community (any signed-in member; the view rate-limits it per day).
    The site admins are told by email, one each, after commit."""
    if not can_propose_community(by):
        raise PermissionDenied
    texts = _required(name=name, focus=focus, urgency=urgency, member_value=member_value)
    proposal = CommunityProposal.objects.create(proposer=by, who_else=who_else.strip(), **texts)
    _event(proposal, by, E.PROPOSED)
    proposal_new_enqueue(proposal)
    return proposal


def _locked(proposal: CommunityProposal) -> CommunityProposal:
    return (
        CommunityProposal.objects.select_for_update(of=("self",))
        .select_related("proposer")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def proposal_support_toggle(*, proposal: CommunityProposal, user: User) -> bool:
    """Say "I'd join", or take it back; returns whether the user supports it now. At
    settings.COP_PROPOSAL_FOUND_AT supporters (when set) the proposal founds itself.
    Holds the proposal's row lock, so two supporters at once count once each."""
    locked = _locked(proposal)
    if not can_support_proposal(user, locked):
        raise PermissionDenied
    removed, _rows = ProposalSupport.objects.filter(proposal=locked, user=user).delete()
    if removed:
        return False
    ProposalSupport.objects.create(proposal=locked, user=user)
    threshold = settings.COP_PROPOSAL_FOUND_AT
    if (
        threshold > 0
        and locked.proposer is not None
        and ProposalSupport.objects.filter(proposal=locked).count() >= threshold
    ):
        _found(locked, actor=locked.proposer, slug=free_slug(locked.name), automatic=True)
    return True


def free_slug(name: str) -> str:
    """A short name for the address from the proposal's name, not yet taken."""
    base = (slugify(name)[:50] or "community").strip("-") or "community"
    taken = set(
        Community.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    ) | set(RESERVED_SLUGS)
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def proposal_found(
    *,
    proposal: CommunityProposal,
    by: User,
    slug: str,
    join_policy: str = Community.JoinPolicy.OPEN,
) -> Community:
    """A site admin turns an open proposal into a community (see `_found`)."""
    locked = _locked(proposal)
    if not can_found_proposal(by, locked):
        raise PermissionDenied
    if slug in RESERVED_SLUGS:
        raise ValidationError(_("This short name is reserved; choose another."))
    return _found(locked, actor=by, slug=slug, join_policy=join_policy, automatic=False)


def _found(
    proposal: CommunityProposal,
    *,
    actor: User,
    slug: str,
    join_policy: str = Community.JoinPolicy.OPEN,
    automatic: bool,
) -> Community:
    """Create the community from the proposal's texts, its proposer the facilitator (the
    admin when the proposer's account is gone), and invite every supporter. Called with
    the proposal's row locked."""
    facilitator = proposal.proposer or actor
    language = facilitator.language if facilitator.language in Community.Language.values else "nl"
    community = community_insert(
        creator=actor,
        facilitator=facilitator,
        name=proposal.name,
        slug=slug,
        focus=proposal.focus,
        urgency=proposal.urgency,
        member_value=proposal.member_value,
        language=language,
        join_policy=join_policy,
        proposal=proposal.pk,
    )
    proposal.state = CommunityProposal.State.FOUNDED
    proposal.community = community
    proposal.decided_by = actor
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["state", "community", "decided_by", "decided_at"])
    _event(proposal, actor, E.FOUNDED, community=community.pk, automatic=automatic)
    emails = list(
        User.objects.filter(pk__in=proposal.supports.values("user_id"), is_active=True)
        .exclude(pk=facilitator.pk)
        .order_by("pk")
        .values_list("email", flat=True)
    )
    # The invitations come from the new facilitator (they know the supporters' idea),
    # through the ordinary flow: its audit rows, its emails after commit.
    for start in range(0, len(emails), MAX_ADDRESSES):
        invitation_create_many(
            community=community,
            invited_by=facilitator,
            addresses="\n".join(emails[start : start + MAX_ADDRESSES]),
        )
    return community


@transaction.atomic
def proposal_close(*, proposal: CommunityProposal, by: User, reason: str = "") -> None:
    """Close an open proposal (site admins, or the proposer withdrawing it)."""
    locked = _locked(proposal)
    if not can_close_proposal(by, locked):
        raise PermissionDenied
    locked.state = CommunityProposal.State.CLOSED
    locked.close_reason = reason.strip()
    locked.decided_by = by
    locked.decided_at = timezone.now()
    locked.save(update_fields=["state", "close_reason", "decided_by", "decided_at"])
    _event(locked, by, E.CLOSED, withdrawn=locked.proposer_id == by.pk)
