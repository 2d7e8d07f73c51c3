"""Signed, expiring one-click links for follow-ups: they work on a phone with no second
login, for that one follow-up only, and only for the time it was asked last."""

from django.conf import settings
from django.core import signing

SALT = "value_cycles.follow_up"


class LinkExpired(Exception):
    pass


class LinkInvalid(Exception):
    pass


def follow_up_token(*, follow_up_id: int, times_asked: int) -> str:
    return signing.dumps({"f": follow_up_id, "n": times_asked}, salt=SALT, compress=True)


def follow_up_from_token(token: str) -> tuple[int, int]:
    """(follow-up id, which asking it belongs to). Raises LinkExpired or LinkInvalid."""
    max_age = settings.COP_VALUE_FOLLOW_UP_LINK_DAYS * 24 * 60 * 60
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature as error:
        raise LinkInvalid from error
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        raise LinkInvalid
    return data["f"], int(data.get("n", 0))
