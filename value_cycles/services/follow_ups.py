"""Answers to follow-ups, given through a signed link without a second login.

The link authorises one thing: answering this follow-up, for the person it was sent to.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from value_cycles.models import Cycle, FollowUp, Tier, ValueEvent
from value_cycles.services.events import EventTexts, value_event_record


class AlreadyAnswered(Exception):
    """The follow-up was answered, closed or asked again since this link was sent."""


def _source(follow_up: FollowUp) -> object:
    return (
        follow_up.source_reply
        or follow_up.source_thread
        or follow_up.source_page
        or follow_up.source_meeting
    )


def _locked_open(follow_up_id: int, times_asked: int) -> FollowUp:
    follow_up = (
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("user", "community", "event", "source_reply__thread")
        .get(pk=follow_up_id)
    )
    if follow_up.state != FollowUp.State.ASKED or follow_up.times_asked != times_asked:
        raise AlreadyAnswered
    return follow_up


@transaction.atomic
def follow_up_answer_yes(
    *, follow_up_id: int, times_asked: int, texts: EventTexts, tier: int = Tier.MEMBERS
) -> list[ValueEvent]:
    """It made a difference: a cycle-3 event (what changed) and, when a result is given,
    a cycle-4 event (what result, with its figure), on the chain the follow-up came from.
    Raises AlreadyAnswered for a second use of the link."""
    follow_up = _locked_open(follow_up_id, times_asked)
    chain = follow_up.event.chain if follow_up.event is not None else None
    common = {
        "member": follow_up.user,
        "community": follow_up.community,
        "source": _source(follow_up),
        "tier": tier,
    }
    applied = value_event_record(
        cycle=Cycle.APPLIED,
        texts=EventTexts(what_changed=texts.what_changed),
        chain=chain,
        **common,  # type: ignore[arg-type]
    )
    events = [applied]
    if texts.what_result.strip():
        events.append(
            value_event_record(
                cycle=Cycle.REALISED,
                texts=EventTexts(
                    what_result=texts.what_result, figure=texts.figure, unit=texts.unit
                ),
                chain=applied.chain,
                **common,  # type: ignore[arg-type]
            )
        )
    _close(follow_up, FollowUp.State.ANSWERED, FollowUp.Answer.YES)
    return events


@transaction.atomic
def follow_up_answer_later(*, follow_up_id: int, times_asked: int) -> FollowUp:
    """Not yet: ask again after the same delay."""
    follow_up = _locked_open(follow_up_id, times_asked)
    follow_up.state = FollowUp.State.SNOOZED
    follow_up.answer = FollowUp.Answer.NOT_YET
    follow_up.answered_at = timezone.now()
    follow_up.due_at = follow_up.answered_at + timedelta(days=settings.COP_VALUE_FOLLOW_UP_DAYS)
    follow_up.save(update_fields=["state", "answer", "answered_at", "due_at"])
    return follow_up


@transaction.atomic
def follow_up_answer_no(*, follow_up_id: int, times_asked: int) -> FollowUp:
    """No: done, never asked again."""
    follow_up = _locked_open(follow_up_id, times_asked)
    _close(follow_up, FollowUp.State.CLOSED, FollowUp.Answer.NO)
    return follow_up


def _close(follow_up: FollowUp, state: str, answer: str) -> None:
    follow_up.state, follow_up.answer = state, answer
    follow_up.answered_at = timezone.now()
    follow_up.save(update_fields=["state", "answer", "answered_at"])
