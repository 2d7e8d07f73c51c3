"""One-click answer links for emails: signed with the secret key (django.core.signing),
expiring, naming one person, one meeting and one answer. Each link works once
(RsvpLinkUse keeps the digest of used ones)."""

import hashlib
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from meetings.models import Meeting, Rsvp
from members.models import User

_SALT = "meetings.rsvp-link"
# A link outlives the reminder and the invitation it came in, not much more.
MAX_AGE_SECONDS = 30 * 24 * 3600
ONE_CLICK_ANSWERS = (Rsvp.Answer.YES, Rsvp.Answer.NO)


@dataclass(frozen=True)
class RsvpLink:
    meeting_id: int
    user_id: int
    answer: str


class BadLink(Exception):
    """The link was tampered with, expired, or names no answer a link may give."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def rsvp_token(*, meeting: Meeting, user: User, answer: str) -> str:
    return signing.dumps({"m": meeting.pk, "u": user.pk, "a": answer}, salt=_SALT, compress=True)


def rsvp_path(*, meeting: Meeting, user: User, answer: str) -> str:
    token = rsvp_token(meeting=meeting, user=user, answer=answer)
    return reverse("meetings:rsvp-link", kwargs={"token": token})


def read_rsvp_token(token: str, max_age: int = MAX_AGE_SECONDS) -> RsvpLink:
    try:
        data = signing.loads(token, salt=_SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise BadLink("expired") from error
    except signing.BadSignature as error:
        raise BadLink("invalid") from error
    if not isinstance(data, dict) or data.get("a") not in ONE_CLICK_ANSWERS:
        raise BadLink("invalid")
    return RsvpLink(meeting_id=int(data["m"]), user_id=int(data["u"]), answer=str(data["a"]))


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
