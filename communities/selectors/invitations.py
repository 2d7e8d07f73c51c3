"""Reads on invitations.

Invitations are not reached through `communities_visible_to`: facilitators' lists are
for callers that checked `can_manage_community`, and the landing page is reached by the
token itself, which is the capability (a stranger holding the link may see what it
invites them to).
"""

import hashlib
from datetime import datetime

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.utils import timezone

from communities.models import Community, Invitation, Membership
from communities.permissions import communities_visible_to
from members.models import User
from members.types import Viewer

PENDING = Invitation.State.PENDING
ACCEPTED = Invitation.State.ACCEPTED
REVOKED = Invitation.State.REVOKED
# Not a stored state: a pending invitation whose expiry has passed.
EXPIRED = "expired"
STATUSES = [PENDING, EXPIRED, ACCEPTED, REVOKED]

# Limits, shared by the invitation form and service.
MAX_ADDRESSES = 200
DEFAULT_EXPIRY_DAYS = 14
MIN_EXPIRY_DAYS = 1
MAX_EXPIRY_DAYS = 60


def invitation_token_hash(token: str) -> str:
    """What is stored for a token: its SHA-256, so a database leak hands out no links."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_get_by_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, in any state, or None."""
    return (
        Invitation.objects.select_related("community", "invited_by")
        .filter(token_hash=invitation_token_hash(token))
        .first()
    )


def invitation_status(invitation: Invitation, now: datetime | None = None) -> str:
    """pending, expired, accepted or revoked."""
    if invitation.state == PENDING and invitation.is_expired(now):
        return EXPIRED
    return str(invitation.state)


def _status_filters(now: datetime) -> dict[str, Q]:
    return {
        PENDING: Q(state=PENDING, expires_at__gt=now),
        EXPIRED: Q(state=PENDING, expires_at__lte=now),
        ACCEPTED: Q(state=ACCEPTED),
        REVOKED: Q(state=REVOKED),
    }


def invitation_list_for_community(
    community: Community, *, status: str = ""
) -> QuerySet[Invitation]:
    """The community's invitations, most recently sent first, each annotated with its
    `status`; optionally only those of one status. Callers check the viewer may manage
    the community."""
    now = timezone.now()
    filters = _status_filters(now)
    invitations = (
        Invitation.objects.filter(community=community)
        .select_related("invited_by", "accepted_by")
        .annotate(
            status=Case(
                When(filters[EXPIRED], then=Value(EXPIRED)),
                default="state",
                output_field=CharField(),
            )
        )
    )
    if status in filters:
        invitations = invitations.filter(filters[status])
    return invitations.order_by("-last_sent_at", "-pk")


def invitation_status_counts(community: Community) -> dict[str, int]:
    """How many invitations the community has in each status, in one query."""
    filters = _status_filters(timezone.now())
    return Invitation.objects.filter(community=community).aggregate(
        **{status: Count("pk", filter=condition) for status, condition in filters.items()}
    )


def invitation_for_community(community: Community, invitation_id: int) -> Invitation | None:
    """One of the community's invitations. Callers check the viewer may manage it."""
    return (
        Invitation.objects.select_related("community", "invited_by")
        .filter(community=community, pk=invitation_id)
        .first()
    )


def invitation_pending_for_emails(community: Community, emails: list[str]) -> QuerySet[Invitation]:
    """Pending invitations (expired or not) of the community for these lower-cased
    addresses."""
    return (
        Invitation.objects.annotate(lower_email=Lower("email"))
        .filter(community=community, state=PENDING, lower_email__in=emails)
        .order_by("pk")
    )


def users_by_email(emails: list[str]) -> dict[str, User]:
    """Accounts whose address is one of these lower-cased addresses, by that address."""
    users = User.objects.annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
    return {user.email.lower(): user for user in users}


def active_member_ids(community: Community, users: list[User]) -> set[int]:
    """Which of these users are active in the community (in any role)."""
    return set(
        Membership.objects.filter(
            community=community, user__in=users, state=Membership.State.ACTIVE
        ).values_list("user_id", flat=True)
    )


def invitation_recipient_language(invitation: Invitation) -> str:
    """The language to write to the invitee in: their own if the address has an
    account, else the community's."""
    user = User.objects.filter(email__iexact=invitation.email).only("language").first()
    return user.language if user is not None else invitation.community.language


def community_known_to(user: Viewer, community: Community) -> bool:
    """Whether a page may name the community to this viewer: it is listed, or the viewer
    may know of it anyway (a member, or a site admin)."""
    if community.is_listed:
        return True
    return communities_visible_to(user).filter(pk=community.pk).exists()
