"""Personal calendar feeds (secret, revocable addresses) and one-click answers."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from meetings.links import BadLink, feed_token_hash, read_rsvp_token, token_digest
from meetings.models import CalendarFeed, Meeting, Rsvp, RsvpLinkUse
from meetings.permissions import can_rsvp
from meetings.services.rsvps import rsvp_set
from members.models import User


@transaction.atomic
def calendar_feed_create(*, user: User) -> str:
    """A new feed address for the user; the previous one stops working. Returns the
    raw token, which exists only in the answer to this request."""
    calendar_feed_revoke(user=user)
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token))
    return token


@transaction.atomic
def calendar_feed_revoke(*, user: User) -> None:
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def rsvp_link_check(token: str) -> tuple[Meeting, User, str]:
    """What a one-click link would do, without doing it. Raises BadLink."""
    link = read_rsvp_token(token)
    if RsvpLinkUse.objects.filter(token_hash=token_digest(token)).exists():
        raise BadLink("used")
    meeting = Meeting.objects.select_related("community").filter(pk=link.meeting_id).first()
    user = User.objects.filter(pk=link.user_id, is_active=True).first()
    if meeting is None or user is None:
        raise BadLink("invalid")
    if not can_rsvp(user, meeting):
        raise BadLink("closed")
    return meeting, user, link.answer


@transaction.atomic
def rsvp_by_link(*, token: str) -> Rsvp:
    """Give the link's answer, once: the link's digest is recorded with the answer."""
    meeting, user, answer = rsvp_link_check(token)
    try:
        with transaction.atomic():
            RsvpLinkUse.objects.create(token_hash=token_digest(token))
    except IntegrityError as error:
        raise BadLink("used") from error
    return rsvp_set(meeting=meeting, user=user, answer=answer)
