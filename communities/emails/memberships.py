"""Emails about join requests. Each builds and sends one message."""

from communities.models import Membership
from members.emails import send_templated_email
from members.models import User


def send_join_request(*, membership: Membership, facilitator: User) -> None:
    send_templated_email(
        template="communities/emails/join_request",
        to=facilitator.email,
        language=facilitator.language,
        context={
            "membership": membership,
            "community": membership.community,
            "recipient": facilitator,
        },
    )


def send_request_decided(*, membership: Membership) -> None:
    send_templated_email(
        template="communities/emails/request_decided",
        to=membership.user.email,
        language=membership.user.language,
        context={
            "membership": membership,
            "community": membership.community,
            "approved": membership.state == Membership.State.ACTIVE,
        },
    )
