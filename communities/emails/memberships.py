"""Emails about join requests, sent through the outbox.

`join_request_enqueue` / `request_decided_enqueue` record the messages inside the
service's transaction; the handlers render them at send time, after checking that the
request is still in the state the email reports and that a facilitator still is one.
"""

from django.utils.translation import gettext_lazy as _

from communities.models import Membership
from communities.permissions import Role, community_recipients
from members.models import User
from outbox.models import Message, Preference
from outbox.preferences import preference_mode
from outbox.registry import Email, register_kind, register_preference
from outbox.rendering import render_email
from outbox.services import message_enqueue, message_enqueue_many

JOIN_REQUEST = "communities.join_request"
REQUEST_DECIDED = "communities.request_decided"


def join_request_enqueue(membership: Membership) -> None:
    """One email per facilitator, once per request (a new request after a decline is a
    new one: the key holds when it was made)."""
    key = f"membership:{membership.pk}:{membership.updated_at.isoformat()}"
    facilitators = community_recipients(membership.community, Role.FACILITATOR)
    message_enqueue_many(
        kind=JOIN_REQUEST,
        items=[
            (user_id, key, {"membership": membership.pk})
            for user_id in facilitators.values_list("pk", flat=True)
        ],
    )


def request_decided_enqueue(membership: Membership) -> None:
    assert membership.decided_at is not None  # noqa: S101 - set by the deciding service
    message_enqueue(
        recipient=membership.user,
        kind=REQUEST_DECIDED,
        key=f"membership:{membership.pk}:{membership.decided_at.isoformat()}",
        payload={"membership": membership.pk},
    )


def _membership(message: Message) -> Membership | None:
    return (
        Membership.objects.select_related("community", "user")
        .filter(pk=message.payload.get("membership"))
        .first()
    )


def render_join_request(message: Message) -> Email | None:
    membership = _membership(message)
    facilitator: User = message.recipient
    if membership is None or membership.state != Membership.State.REQUESTED:
        return None
    community = membership.community
    if not community_recipients(community, Role.FACILITATOR).filter(pk=facilitator.pk).exists():
        return None
    if preference_mode(facilitator, JOIN_REQUEST, community.pk) == Preference.Mode.OFF:
        return None
    return render_email(
        "communities/emails/join_request",
        recipient=facilitator,
        context={"membership": membership, "community": community},
        stream=(JOIN_REQUEST, community.pk),
    )


def render_request_decided(message: Message) -> Email | None:
    membership = _membership(message)
    if membership is None or membership.state not in {
        Membership.State.ACTIVE,
        Membership.State.DECLINED,
    }:
        return None
    return render_email(
        "communities/emails/request_decided",
        recipient=membership.user,
        context={
            "membership": membership,
            "community": membership.community,
            "approved": membership.state == Membership.State.ACTIVE,
        },
    )


def register() -> None:
    register_kind(JOIN_REQUEST, render_join_request)
    register_kind(REQUEST_DECIDED, render_request_decided)
    register_preference(
        JOIN_REQUEST,
        label=_("Requests to join (for facilitators)"),
        default=Preference.Mode.IMMEDIATELY,
        for_facilitators=True,
    )
