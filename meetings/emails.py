"""Meeting emails: each function builds and sends one message to one person, in their
language and time zone (multipart text and HTML from templates/meetings/emails/).

Callers (tasks.py) decide who may receive it, at send time, and record the delivery
first. `send_meeting_email` is the one place that sends: switching to the outbox means
writing an outbox row here instead."""

import zoneinfo
from typing import Any

from django.utils import timezone

from meetings.links import rsvp_path
from meetings.models import Meeting, Rsvp, TopicProposal
from members.emails import send_templated_email
from members.models import User


def send_meeting_email(*, user: User, name: str, context: dict[str, Any]) -> None:
    try:
        zone = zoneinfo.ZoneInfo(user.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    with timezone.override(zone):
        send_templated_email(
            template=f"meetings/emails/{name}",
            to=user.email,
            language=user.language,
            context={"recipient": user, **context},
        )


def _one_click(meeting: Meeting, user: User) -> dict[str, str]:
    return {
        "yes_path": rsvp_path(meeting=meeting, user=user, answer=Rsvp.Answer.YES),
        "no_path": rsvp_path(meeting=meeting, user=user, answer=Rsvp.Answer.NO),
    }


def send_announcement(*, user: User, meeting: Meeting) -> None:
    send_meeting_email(
        user=user,
        name="announcement",
        context={"meeting": meeting, "community": meeting.community, **_one_click(meeting, user)},
    )


def send_reminder(*, user: User, meeting: Meeting, rsvp: Rsvp, show_link: bool) -> None:
    send_meeting_email(
        user=user,
        name="reminder",
        context={
            "meeting": meeting,
            "community": meeting.community,
            "rsvp": rsvp,
            "show_link": show_link,
            **_one_click(meeting, user),
        },
    )


def send_changed(*, user: User, meeting: Meeting) -> None:
    name = "cancelled" if meeting.is_cancelled else "changed"
    context: dict[str, Any] = {"meeting": meeting, "community": meeting.community}
    if not meeting.is_cancelled:
        context |= _one_click(meeting, user)
    send_meeting_email(user=user, name=name, context=context)


def send_promoted(*, user: User, meeting: Meeting) -> None:
    send_meeting_email(
        user=user,
        name="promoted",
        context={"meeting": meeting, "community": meeting.community, **_one_click(meeting, user)},
    )


def send_outputs(*, user: User, meeting: Meeting, outputs: list[Any], attended: bool) -> None:
    send_meeting_email(
        user=user,
        name="outputs",
        context={
            "meeting": meeting,
            "community": meeting.community,
            "outputs": outputs,
            "attended": attended,
        },
    )


def send_proposal_taken_up(*, user: User, proposal: TopicProposal, is_proposer: bool) -> None:
    send_meeting_email(
        user=user,
        name="proposal_taken_up",
        context={
            "proposal": proposal,
            "community": proposal.community,
            "is_proposer": is_proposer,
        },
    )
