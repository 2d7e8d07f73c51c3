"""Signed, expiring links for one-click actions from an email.

A token is `django.core.signing` over (user id, action, parameters), salted for this
use and timestamped; it authenticates the one action it names for that one person and
nothing else, so its page needs no login.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "outbox.one-click"


@dataclass(frozen=True)
class SignedAction:
    user_id: int
    action: str
    params: dict[str, Any]


def action_token(*, user_id: int, action: str, params: dict[str, Any] | None = None) -> str:
    return signing.dumps({"u": user_id, "a": action, "p": params or {}}, salt=SALT, compress=True)


def action_url(*, user_id: int, action: str, params: dict[str, Any] | None = None) -> str:
    """The absolute link to the confirmation page of `action`."""
    token = action_token(user_id=user_id, action=action, params=params)
    return settings.SITE_URL.rstrip("/") + reverse("outbox:action", kwargs={"token": token})


def action_read(token: str) -> SignedAction | None:
    """The action a token names, or None when it is forged, altered or expired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=timedelta(days=settings.COP_EMAIL_LINK_DAYS))
        return SignedAction(int(data["u"]), str(data["a"]), dict(data["p"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
