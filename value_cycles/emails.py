"""Build and send one follow-up email, in the recipient's language.

One function per message, taking the row it is about: switching delivery to the
transactional outbox means replacing the `send_templated_email` call here only.
"""

from django.urls import reverse

from members.emails import send_templated_email
from value_cycles.models import FollowUp
from value_cycles.signing import follow_up_token


def follow_up_source_title(follow_up: FollowUp) -> str:
    if follow_up.source_reply is not None:
        return follow_up.source_reply.thread.title
    if follow_up.source_thread is not None:
        return follow_up.source_thread.title
    if follow_up.source_page is not None:
        return follow_up.source_page.title
    return ""


def send_follow_up_email(*, follow_up: FollowUp) -> None:
    token = follow_up_token(follow_up_id=follow_up.pk, times_asked=follow_up.times_asked)
    user = follow_up.user
    send_templated_email(
        template="value_cycles/emails/follow_up",
        to=user.email,
        language=user.language,
        context={
            "recipient": user,
            "community": follow_up.community,
            "follow_up": follow_up,
            "title": follow_up_source_title(follow_up),
            "path": reverse("value_cycles:follow-up", kwargs={"token": token}),
        },
    )
