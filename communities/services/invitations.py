"""Invitations: invite (one address or a pasted list), resend, revoke, accept.

A link's token is `secrets.token_urlsafe(32)`; only its SHA-256 is stored. The token is
minted by the delivery task, just before the email is sent (`invitation_deliver`): until
then the row holds the hash of a random value nobody knows (the "unsent hash"), so the
raw token never sits in the database or in a queued task's arguments, and a repeated or
stale delivery is recognised by that unsent hash no longer being in place.

User-facing refusals raise ValidationError with a translated message; acting without
the right raises PermissionDenied. Every change is audit-logged.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import parseaddr

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.emails.invitations import send_invitation_email
from communities.models import AuditEvent, Community, Invitation, Membership
from communities.permissions import (
    Role,
    can_manage_community,
    invitation_bound_to_address,
    role_in,
)
from communities.selectors.communities import membership_for
from communities.selectors.invitations import (
    DEFAULT_EXPIRY_DAYS,
    EXPIRED,
    MAX_ADDRESSES,
    MAX_EXPIRY_DAYS,
    MIN_EXPIRY_DAYS,
    PENDING,
    active_member_ids,
    invitation_pending_for_emails,
    invitation_status,
    invitation_token_hash,
    users_by_email,
)
from communities.services.audit import audit_record
from communities.services.memberships import membership_activate_invited
from members.models import User
from members.queue import enqueue_on_commit

A = AuditEvent.Action
RESEND_INTERVAL = timedelta(minutes=10)

_validate_email = EmailValidator()


@dataclass(frozen=True)
class InvalidLine:
    number: int  # 1-based line of the pasted text
    text: str


@dataclass
class ParsedAddresses:
    emails: list[str] = field(default_factory=list)  # valid, lower-cased, without repeats
    invalid: list[InvalidLine] = field(default_factory=list)

    @property
    def entry_count(self) -> int:
        return len(self.emails) + len(self.invalid)


@dataclass
class InvitationReport:
    """What became of each address of one submission."""

    invited: list[str] = field(default_factory=list)
    already_member: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)
    invalid: list[InvalidLine] = field(default_factory=list)
    # Addresses whose expired invitation was revoked and replaced (also in `invited`).
    replaced: list[str] = field(default_factory=list)


def _address_in(entry: str) -> str:
    # Accept "Ann Jansen <ann@example.org>" as mail programs copy it.
    if "<" in entry and entry.endswith(">"):
        _name, address = parseaddr(entry)
        if address:
            entry = address
    return entry.strip().lower()


def invitation_parse_addresses(text: str) -> ParsedAddresses:
    """Split pasted text on new lines, commas and semicolons; validate each entry with
    Django's EmailValidator; lower-case, and keep each address once. Invalid entries
    are kept with their text and line number."""
    parsed = ParsedAddresses()
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        for piece in line.replace(";", ",").split(","):
            entry = piece.strip()
            if not entry:
                continue
            address = _address_in(entry)
            try:
                _validate_email(address)
            except ValidationError:
                parsed.invalid.append(InvalidLine(number=number, text=entry))
                continue
            if address not in seen:
                seen.add(address)
                parsed.emails.append(address)
    return parsed


def _unsent_hash() -> str:
    # The hash of a random value that is thrown away: no link opens this invitation
    # until the delivery task replaces it with the hash of a token it emails.
    return invitation_token_hash(secrets.token_urlsafe(32))


def _queue_delivery(invitation: Invitation) -> None:
    enqueue_on_commit(
        "communities.send_invitation",
        invitation_id=invitation.pk,
        unsent_hash=invitation.token_hash,
    )


def _lock_community(community: Community) -> None:
    # Serialise invitations per community: two facilitators pasting the same address at
    # once get one invitation and an "already invited", not a constraint error.
    Community.objects.select_for_update().filter(pk=community.pk).first()


def _locked(invitation: Invitation) -> Invitation:
    return (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("community", "invited_by")
        .get(pk=invitation.pk)
    )


def _check_expiry_days(days: int) -> None:
    if not MIN_EXPIRY_DAYS <= days <= MAX_EXPIRY_DAYS:
        raise ValidationError(
            _("An invitation is valid for %(min)s to %(max)s days.")
            % {"min": MIN_EXPIRY_DAYS, "max": MAX_EXPIRY_DAYS}
        )


def _revoke(invitation: Invitation, *, by: User, replaced: bool = False) -> None:
    invitation.state = Invitation.State.REVOKED
    invitation.save(update_fields=["state"])
    audit_record(
        community=invitation.community,
        actor=by,
        action=A.INVITATION_REVOKED,
        email=invitation.email,
        invitation=invitation.pk,
        replaced=replaced,
    )


@transaction.atomic
def invitation_create_many(
    *,
    community: Community,
    invited_by: User,
    addresses: str,
    message: str = "",
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
) -> InvitationReport:
    """Invite every valid address in `addresses` (one, or many pasted; see
    `invitation_parse_addresses`) with a personal message. Facilitators and site admins.

    Active members and addresses with an open invitation are reported, not invited
    again; an expired open invitation is revoked and replaced. Emails go out after
    commit. Holds the community's row lock.
    """
    if not can_manage_community(invited_by, community):
        raise PermissionDenied
    _check_expiry_days(expires_in_days)
    parsed = invitation_parse_addresses(addresses)
    if not parsed.entry_count:
        raise ValidationError(_("Enter at least one email address."))
    if parsed.entry_count > MAX_ADDRESSES:
        raise ValidationError(
            _("You entered %(count)s addresses; invite at most %(max)s at a time.")
            % {"count": parsed.entry_count, "max": MAX_ADDRESSES}
        )
    _lock_community(community)
    report = InvitationReport(invalid=parsed.invalid)
    now = timezone.now()
    users = users_by_email(parsed.emails)
    members = active_member_ids(community, list(users.values()))
    pending = {
        invitation.email.lower(): invitation
        for invitation in invitation_pending_for_emails(community, parsed.emails)
    }
    for email in parsed.emails:
        user = users.get(email)
        existing = pending.get(email)
        if user is not None and user.pk in members:
            report.already_member.append(email)
            continue
        if existing is not None and not existing.is_expired(now):
            report.already_invited.append(email)
            continue
        if existing is not None:
            _revoke(existing, by=invited_by, replaced=True)
            report.replaced.append(email)
        invitation = Invitation.objects.create(
            community=community,
            email=email,
            token_hash=_unsent_hash(),
            message=message.strip(),
            invited_by=invited_by,
            created_at=now,
            last_sent_at=now,
            expires_at=now + timedelta(days=expires_in_days),
        )
        audit_record(
            community=community,
            actor=invited_by,
            action=A.INVITED,
            subject=user,
            email=email,
            invitation=invitation.pk,
            expires_in_days=expires_in_days,
        )
        _queue_delivery(invitation)
        report.invited.append(email)
    return report


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User) -> Invitation:
    """Send an open (or expired, never accepted or revoked) invitation again, with a new
    link: the old one stops working. The invitation is valid again for as many days as
    it was first given. Refused within RESEND_INTERVAL of the last send, so a double
    click or an impatient facilitator does not flood someone's inbox."""
    if not can_manage_community(by, invitation.community):
        raise PermissionDenied
    invitation = _locked(invitation)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("Only open invitations can be sent again."))
    now = timezone.now()
    wait = invitation.last_sent_at + RESEND_INTERVAL - now
    if wait > timedelta(0):
        minutes = max(1, -(-int(wait.total_seconds()) // 60))
        raise ValidationError(
            ngettext(
                "This invitation was sent a moment ago. You can send it again in %(minutes)s "
                "minute.",
                "This invitation was sent a moment ago. You can send it again in %(minutes)s "
                "minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )
    lifetime = min(
        max(invitation.expires_at - invitation.last_sent_at, timedelta(days=MIN_EXPIRY_DAYS)),
        timedelta(days=MAX_EXPIRY_DAYS),
    )
    invitation.token_hash = _unsent_hash()
    invitation.send_count += 1
    invitation.last_sent_at = now
    invitation.expires_at = now + lifetime
    invitation.save(update_fields=["token_hash", "send_count", "last_sent_at", "expires_at"])
    audit_record(
        community=invitation.community,
        actor=by,
        action=A.INVITATION_RESENT,
        email=invitation.email,
        invitation=invitation.pk,
        send_count=invitation.send_count,
    )
    _queue_delivery(invitation)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by: User) -> Invitation:
    """Withdraw an open (or expired) invitation: its link then says it was revoked."""
    if not can_manage_community(by, invitation.community):
        raise PermissionDenied
    invitation = _locked(invitation)
    if invitation.state != Invitation.State.PENDING:
        raise ValidationError(_("This invitation is no longer open."))
    _revoke(invitation, by=by)
    return invitation


def _closed_message(status: str) -> str:
    if status == EXPIRED:
        return _("This invitation has expired.")
    if status == Invitation.State.REVOKED:
        return _("This invitation has been withdrawn.")
    return _("This invitation has already been used.")


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, user: User, charter_accepted: bool, by_link: bool = False
) -> Membership:
    """Let `user` in through an open invitation. In an open or approval community the
    link is the capability, so any signed-in account may use it (a different address
    than invited is noted in the audit log); in an invite-only or confidential one only
    the invited address's account may. The current way of working must be accepted,
    unless the user is an active member already: then the invitation is only marked
    used. `by_link` notes that the link itself signed the person in. Locks the
    invitation row, so a link admits once."""
    invitation = _locked(invitation)
    status = invitation_status(invitation)
    if status != PENDING:
        raise ValidationError(_closed_message(status))
    community = invitation.community
    detail: dict[str, object] = {"email": invitation.email, "invitation": invitation.pk}
    if by_link:
        detail["by_link"] = True
    if user.email.lower() != invitation.email.lower():
        if invitation_bound_to_address(community):
            raise ValidationError(
                _("This invitation is for %(email)s; log in with that address to accept it.")
                % {"email": invitation.email}
            )
        detail |= {"other_address": True, "accepted_as": user.email}
    existing = membership_for(user, community)
    if role_in(user, community) >= Role.MEMBER and existing is not None:
        membership = existing
        audit_record(
            community=community,
            actor=user,
            action=A.INVITATION_ACCEPTED,
            subject=user,
            invited_by=invitation.invited_by_id,
            already_member=True,
            **detail,
        )
    else:
        if community.charter and not charter_accepted:
            raise ValidationError(_("Please accept the way of working to join."))
        membership = membership_activate_invited(
            community=community, user=user, invited_by=invitation.invited_by, **detail
        )
    now = timezone.now()
    invitation.state = Invitation.State.ACCEPTED
    invitation.accepted_by, invitation.accepted_at = user, now
    invitation.save(update_fields=["state", "accepted_by", "accepted_at"])
    return membership


def invitation_deliver(*, invitation_id: int, unsent_hash: str) -> bool:
    """Mint the invitation's link and email it, for the `send_invitation` task.

    Sends only while the invitation is open and still holds `unsent_hash`: a repeated
    task, or one for a send that a resend or revoke has overtaken, does nothing. The
    new token's hash is claimed in a short transaction (the row lock ends there, so a
    slow mail server holds up no resend or revoke); the email is sent after it. When
    the mail server refuses, the claim is given back (if nothing changed the row
    since), so the task's retry sends again. Returns whether an email was sent.
    """
    token = secrets.token_urlsafe(32)
    sent_hash = invitation_token_hash(token)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("community", "invited_by")
            .filter(pk=invitation_id, token_hash=unsent_hash, state=Invitation.State.PENDING)
            .first()
        )
        if invitation is None or invitation.is_expired():
            return False
        invitation.token_hash = sent_hash
        invitation.save(update_fields=["token_hash"])
    try:
        send_invitation_email(invitation=invitation, token=token)
    except BaseException:
        Invitation.objects.filter(pk=invitation_id, token_hash=sent_hash).update(
            token_hash=unsent_hash
        )
        raise
    return True
