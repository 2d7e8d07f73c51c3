"""The membership lifecycle: join, request, approve, decline, leave, remove, roles,
charter acceptance. Every change is audit-logged and re-checks who may make it.

User-facing refusals raise ValidationError with a translated message; acting without
the right raises PermissionDenied.
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.emails.memberships import join_request_enqueue, request_decided_enqueue
from communities.models import AuditEvent, Community, Membership
from communities.permissions import (
    can_join,
    can_manage_community,
    can_request_to_join,
    role_cache_clear,
)
from communities.selectors.communities import membership_for
from communities.services.audit import audit_record
from members.models import User

A = AuditEvent.Action


def _locked(community: Community) -> None:
    # Serialise membership changes per community, so that two facilitators demoting
    # each other at once cannot leave the community without one.
    Community.objects.select_for_update().filter(pk=community.pk).first()


def _facilitator_count(community: Community) -> int:
    return Membership.objects.filter(
        community=community, state=Membership.State.ACTIVE, role=Membership.Role.FACILITATOR
    ).count()


def _ensure_not_last_facilitator(membership: Membership) -> None:
    if (
        membership.state == Membership.State.ACTIVE
        and membership.role == Membership.Role.FACILITATOR
        and _facilitator_count(membership.community) <= 1
    ):
        raise ValidationError(
            _("A community needs at least one facilitator. Make someone else facilitator first.")
        )


def _activate(*, community: Community, user: User, role: int, charter_accepted: bool) -> Membership:
    now = timezone.now()
    defaults: dict[str, object] = {
        "role": role,
        "state": Membership.State.ACTIVE,
        "updated_at": now,
    }
    if charter_accepted:
        defaults |= {
            "charter_version_accepted": community.charter_version,
            "charter_accepted_at": now,
        }
    membership, _created = Membership.objects.update_or_create(
        community=community, user=user, defaults=defaults
    )
    role_cache_clear(user)
    return membership


@transaction.atomic
def membership_grant(
    *, community: Community, user: User, role: int, granted_by: User
) -> Membership:
    """Make someone an active member with a role (facilitators and site admins).

    Idempotent. The person's charter acceptance is asked for on their next visit.
    """
    if not can_manage_community(granted_by, community):
        raise PermissionDenied
    _locked(community)
    existing = membership_for(user, community)
    if existing is not None and role < existing.role:
        _ensure_not_last_facilitator(existing)
    membership = _activate(
        community=community, user=user, role=role, charter_accepted=granted_by == user
    )
    audit_record(
        community=community, actor=granted_by, action=A.ROLE_CHANGED, subject=user, role=role
    )
    return membership


@transaction.atomic
def membership_join(*, community: Community, user: User, charter_accepted: bool) -> Membership:
    """Join an open community in one step, accepting its way of working."""
    if not can_join(user, community):
        raise PermissionDenied
    if community.charter and not charter_accepted:
        raise ValidationError(_("Please accept the way of working to join."))
    membership = _activate(
        community=community, user=user, role=Membership.Role.MEMBER, charter_accepted=True
    )
    audit_record(community=community, actor=user, action=A.JOINED, subject=user)
    return membership


@transaction.atomic
def membership_request(
    *, community: Community, user: User, message: str, charter_accepted: bool
) -> Membership:
    """Ask to join a community that admits by approval. Idempotent while pending;
    facilitators are told once, after commit. Each request mails the facilitators with
    the requester's text, so one person asks one community at most
    COP_JOIN_REQUESTS_PER_WINDOW times per COP_JOIN_REQUEST_WINDOW_DAYS days (withdrawing
    and asking again counts), read from the audit log."""
    if not can_request_to_join(user, community):
        raise PermissionDenied
    if community.charter and not charter_accepted:
        raise ValidationError(_("Please accept the way of working to ask to join."))
    existing = membership_for(user, community)
    if existing is not None and existing.state == Membership.State.REQUESTED:
        return existing
    if existing is not None and existing.state == Membership.State.REMOVED:
        # Removed people may not re-apply by themselves; a facilitator can invite them.
        raise PermissionDenied
    now = timezone.now()
    since = now - timedelta(days=settings.COP_JOIN_REQUEST_WINDOW_DAYS)
    asked = AuditEvent.objects.filter(
        community=community, subject=user, action=A.REQUESTED, created_at__gte=since
    ).count()
    if asked >= settings.COP_JOIN_REQUESTS_PER_WINDOW:
        raise ValidationError(
            _(
                "You have asked to join this community several times recently. Please wait "
                "a while, or ask a facilitator to invite you."
            ),
            code="too_many_requests",
        )
    membership, _created = Membership.objects.update_or_create(
        community=community,
        user=user,
        defaults={
            "state": Membership.State.REQUESTED,
            "role": Membership.Role.MEMBER,
            "request_message": message.strip(),
            "charter_version_accepted": community.charter_version,
            "charter_accepted_at": now,
            "decided_by": None,
            "decided_at": None,
            "decline_reason": "",
            "updated_at": now,
        },
    )
    audit_record(community=community, actor=user, action=A.REQUESTED, subject=user)
    join_request_enqueue(membership)
    return membership


def _decide(membership: Membership, by: User) -> None:
    if not can_manage_community(by, membership.community):
        raise PermissionDenied
    if membership.state != Membership.State.REQUESTED:
        raise ValidationError(_("This request has already been handled."))


@transaction.atomic
def membership_approve(*, membership: Membership, by: User) -> Membership:
    """Admit a requester; they are told by email after commit."""
    _decide(membership, by)
    now = timezone.now()
    membership.state = Membership.State.ACTIVE
    membership.decided_by, membership.decided_at, membership.updated_at = by, now, now
    membership.save(update_fields=["state", "decided_by", "decided_at", "updated_at"])
    role_cache_clear(membership.user)
    audit_record(
        community=membership.community, actor=by, action=A.APPROVED, subject=membership.user
    )
    request_decided_enqueue(membership)
    return membership


@transaction.atomic
def membership_decline(*, membership: Membership, by: User, reason: str) -> Membership:
    """Decline a request with a reason that is sent to the requester."""
    _decide(membership, by)
    if not reason.strip():
        raise ValidationError(_("Please give a reason; it is sent to the person who asked."))
    now = timezone.now()
    membership.state = Membership.State.DECLINED
    membership.decline_reason = reason.strip()
    membership.decided_by, membership.decided_at, membership.updated_at = by, now, now
    membership.save(
        update_fields=["state", "decline_reason", "decided_by", "decided_at", "updated_at"]
    )
    audit_record(
        community=membership.community, actor=by, action=A.DECLINED, subject=membership.user
    )
    request_decided_enqueue(membership)
    return membership


@transaction.atomic
def membership_leave(*, community: Community, user: User) -> Membership:
    """Leave a community (or withdraw a pending request)."""
    _locked(community)
    membership = membership_for(user, community)
    if membership is None or membership.state not in (
        Membership.State.ACTIVE,
        Membership.State.REQUESTED,
    ):
        raise ValidationError(_("You are not a member of this community."))
    _ensure_not_last_facilitator(membership)
    membership.state = Membership.State.LEFT
    membership.updated_at = timezone.now()
    membership.save(update_fields=["state", "updated_at"])
    role_cache_clear(user)
    audit_record(community=community, actor=user, action=A.LEFT, subject=user)
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, by: User, reason: str = "") -> Membership:
    """Remove a member (facilitators and site admins). The last facilitator stays."""
    if not can_manage_community(by, membership.community):
        raise PermissionDenied
    _locked(membership.community)
    membership.refresh_from_db()
    _ensure_not_last_facilitator(membership)
    membership.state = Membership.State.REMOVED
    membership.updated_at = timezone.now()
    membership.save(update_fields=["state", "updated_at"])
    role_cache_clear(membership.user)
    audit_record(
        community=membership.community,
        actor=by,
        action=A.REMOVED,
        subject=membership.user,
        reason=reason.strip(),
    )
    return membership


@transaction.atomic
def membership_change_role(*, membership: Membership, role: int, by: User) -> Membership:
    """Change an active member's role. The last facilitator cannot be demoted."""
    if not can_manage_community(by, membership.community):
        raise PermissionDenied
    if role not in Membership.Role.values:
        raise ValidationError(_("Unknown role."))
    _locked(membership.community)
    membership.refresh_from_db()
    if membership.state != Membership.State.ACTIVE:
        raise ValidationError(_("Only active members have a role to change."))
    if role == membership.role:
        return membership
    if role < membership.role:
        _ensure_not_last_facilitator(membership)
    old = membership.role
    membership.role = role
    membership.updated_at = timezone.now()
    membership.save(update_fields=["role", "updated_at"])
    role_cache_clear(membership.user)
    audit_record(
        community=membership.community,
        actor=by,
        action=A.ROLE_CHANGED,
        subject=membership.user,
        old_role=old,
        role=role,
    )
    return membership


@transaction.atomic
def membership_accept_charter(*, community: Community, user: User) -> Membership:
    """Record that an active member accepted the current way of working. Idempotent."""
    membership = membership_for(user, community)
    if membership is None or membership.state != Membership.State.ACTIVE:
        raise PermissionDenied
    if membership.charter_version_accepted == community.charter_version:
        return membership
    membership.charter_version_accepted = community.charter_version
    membership.charter_accepted_at = timezone.now()
    membership.save(update_fields=["charter_version_accepted", "charter_accepted_at"])
    audit_record(
        community=community,
        actor=user,
        action=A.CHARTER_ACCEPTED,
        subject=user,
        version=community.charter_version,
    )
    return membership


@transaction.atomic
def membership_activate_invited(
    *, community: Community, user: User, invited_by: User | None, **detail: Any
) -> Membership:
    """Admit someone through an invitation (the invitation service checks the token and
    the charter acceptance). Keeps a higher role they may already have."""
    existing = membership_for(user, community)
    role: int = Membership.Role.MEMBER
    if existing is not None and existing.state == Membership.State.ACTIVE:
        role = max(existing.role, role)
    membership = _activate(community=community, user=user, role=role, charter_accepted=True)
    audit_record(
        community=community,
        actor=user,
        action=A.INVITATION_ACCEPTED,
        subject=user,
        invited_by=invited_by.pk if invited_by else None,
        **detail,
    )
    return membership
