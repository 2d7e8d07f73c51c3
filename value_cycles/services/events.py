"""Writes on value events: record one (from a post, a page, a meeting, a follow-up or
outside the platform), edit it, change its consent tier (kept as a ConsentChange)."""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community
from discussions.models import KnowledgePage, Reply, Thread
from meetings.models import Meeting
from members.models import User
from value_cycles.models import ConsentChange, Cycle, FollowUp, Tier, ValueEvent
from value_cycles.permissions import can_edit_event, can_log_value

Source = Thread | Reply | KnowledgePage | Meeting | None


@dataclass(frozen=True)
class EventTexts:
    why_it_helped: str = ""
    what_changed: str = ""
    what_result: str = ""
    figure: Decimal | None = None
    unit: str = ""
    where: str = ""


def source_fields(source: Source) -> dict[str, object]:
    if isinstance(source, Reply):
        return {"source_reply": source}
    if isinstance(source, Thread):
        return {"source_thread": source}
    if isinstance(source, KnowledgePage):
        return {"source_page": source}
    if isinstance(source, Meeting):
        return {"source_meeting": source}
    return {}


def source_community_id(source: Source) -> int | None:
    if isinstance(source, Reply):
        return source.thread.community_id
    if isinstance(source, Thread | KnowledgePage | Meeting):
        return source.community_id
    return None


def _chain_for(*, member: User, source: Source, chain: uuid.UUID | None) -> uuid.UUID:
    """Continue the given chain, else the member's chain on this source, else a new one."""
    if chain is not None:
        return chain
    if source is not None:
        earlier = (
            ValueEvent.objects.filter(member=member, **source_fields(source))
            .order_by("created_at", "pk")
            .values_list("chain", flat=True)
            .first()
        )
        if earlier is not None:
            return earlier
    return uuid.uuid4()


def _validate(cycle: int, capital: str, texts: EventTexts) -> None:
    if cycle == Cycle.POTENTIAL and not capital:
        raise ValidationError(_("Choose what you gained."))
    if cycle == Cycle.APPLIED and not texts.what_changed.strip():
        raise ValidationError(_("Say in a few words what changed."))
    if cycle in {Cycle.REALISED, Cycle.REFRAMING} and not texts.what_result.strip():
        raise ValidationError(_("Say in a few words what it changed."))
    if texts.figure is not None and not texts.unit.strip():
        raise ValidationError(_("Give the figure a unit, such as hours saved."))


@transaction.atomic
def value_event_record(
    *,
    member: User,
    community: Community,
    cycle: int,
    source: Source = None,
    capital: str = "",
    texts: EventTexts = EventTexts(),  # frozen, so one shared default is safe
    tier: int = Tier.MEMBERS,
    chain: uuid.UUID | None = None,
    follow_up: bool = True,
) -> ValueEvent:
    """Record one value event of the member's. Members only (not sponsors by that role
    alone); the source, when given, must belong to the community (the caller fetched
    it through the discussions' visibility rules). "This helped" is once per source:
    a second tap returns the first event. An "I'll use this" schedules a follow-up."""
    if not can_log_value(member, community):
        raise PermissionDenied
    if source is not None and source_community_id(source) != community.pk:
        raise PermissionDenied
    if cycle == Cycle.IMMEDIATE and source is not None:
        existing = ValueEvent.objects.filter(
            member=member, cycle=Cycle.IMMEDIATE, **source_fields(source)
        ).first()
        if existing is not None:
            return existing
    _validate(cycle, capital, texts)
    now = timezone.now()
    fields = {
        "member": member,
        "community": community,
        "cycle": cycle,
        "capital": capital if cycle == Cycle.POTENTIAL else "",
        "why_it_helped": texts.why_it_helped.strip(),
        "what_changed": texts.what_changed.strip(),
        "what_result": texts.what_result.strip(),
        "figure": texts.figure,
        "unit": texts.unit.strip() if texts.figure is not None else "",
        "where": texts.where.strip(),
        "tier": tier,
        "chain": _chain_for(member=member, source=source, chain=chain),
        "created_at": now,
        "updated_at": now,
        **source_fields(source),
    }
    try:
        with transaction.atomic():
            event = ValueEvent.objects.create(**fields)
    except IntegrityError:
        # A concurrent second tap of "This helped": the first one stands.
        return ValueEvent.objects.get(member=member, cycle=Cycle.IMMEDIATE, **source_fields(source))
    ConsentChange.objects.create(event=event, from_tier=None, to_tier=tier, changed_by=member)
    if cycle == Cycle.POTENTIAL and follow_up:
        FollowUp.objects.create(
            user=member,
            community=community,
            reason=FollowUp.Reason.WILL_USE,
            event=event,
            due_at=now + timedelta(days=settings.COP_VALUE_FOLLOW_UP_DAYS),
            **source_fields(source),
        )
    return event


@transaction.atomic
def value_event_update(
    *, event: ValueEvent, by: User, capital: str, texts: EventTexts, tier: int
) -> ValueEvent:
    """The author edits their event; a change of tier is recorded with its time."""
    if not can_edit_event(by, event):
        raise PermissionDenied
    event = ValueEvent.objects.select_for_update().get(pk=event.pk)
    _validate(event.cycle, capital, texts)
    if event.cycle == Cycle.POTENTIAL:
        event.capital = capital
    event.why_it_helped = texts.why_it_helped.strip()
    event.what_changed = texts.what_changed.strip()
    event.what_result = texts.what_result.strip()
    event.figure = texts.figure
    event.unit = texts.unit.strip() if texts.figure is not None else ""
    event.where = texts.where.strip()
    _set_tier(event, tier=tier, by=by)
    event.updated_at = timezone.now()
    event.save()
    return event


def _set_tier(row: ValueEvent, *, tier: int, by: User) -> None:
    if row.tier != tier:
        ConsentChange.objects.create(event=row, from_tier=row.tier, to_tier=tier, changed_by=by)
        row.tier = tier


@transaction.atomic
def value_event_delete(*, event: ValueEvent, by: User) -> None:
    """The author takes an event back (value is theirs to withdraw)."""
    if not can_edit_event(by, event):
        raise PermissionDenied
    event.delete()
