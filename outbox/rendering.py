"""Render an email for its recipient, in their language, with the shared footer.

Handlers call `render_email("discussions/emails/activity", recipient=..., context=...)`:
templates <name>.subject.txt, <name>.txt and <name>.html under templates/<app>/emails/,
which extend outbox/emails/base.txt / base.html for the footer (replies are not read;
the preferences page; the stop link).
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from members.models import User
from outbox.links import action_url
from outbox.registry import Email

STOP = "stop"


def stop_url(*, user_id: int, kind: str, community_id: int | None) -> str:
    return action_url(
        user_id=user_id, action=STOP, params={"kind": kind, "community": community_id}
    )


def render_email(
    template: str,
    *,
    recipient: User,
    context: dict[str, Any],
    stream: tuple[str, int | None] | None = None,
) -> Email:
    """Render `template` for `recipient`. `stream` (preference kind, community id) is
    what the email's "stop these emails" link and List-Unsubscribe header switch off."""
    site_url = settings.SITE_URL.rstrip("/")
    context = {
        "site_url": site_url,
        "site_name": settings.COP_SITE_NAME,
        "recipient": recipient,
        "preferences_url": site_url + reverse("outbox:preferences"),
        "stop_url": stop_url(user_id=recipient.pk, kind=stream[0], community_id=stream[1])
        if stream
        else "",
        **context,
    }
    with translation.override(recipient.language), timezone.override(recipient.time_zone):
        subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    return Email(subject=subject, text=text, html=html, unsubscribe=stream)
