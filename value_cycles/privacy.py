"""The value cycles' part of the data export (ValueCyclesConfig.ready()): the person's
value records with their consent tier, the consent changes they made (with their
time), their follow-ups, stories and aspirations."""

from django.db.models import Q

from members.models import User
from members.privacy import Row, labelled_rows, register_exporter
from value_cycles.models import Aspiration, ConsentChange, FollowUp, ValueEvent, ValueStory


def value_rows(user: User) -> list[Row]:
    return [
        *labelled_rows(
            ValueEvent.objects.filter(member=user),
            "id",
            "community__name",
            "cycle",
            "capital",
            "why_it_helped",
            "what_changed",
            "what_result",
            "figure",
            "unit",
            "where",
            "tier",
            "created_at",
            "updated_at",
            label="value_event",
        ),
        *labelled_rows(
            ConsentChange.objects.filter(changed_by=user),
            "event_id",
            "story_id",
            "from_tier",
            "to_tier",
            "changed_at",
            label="consent_change",
        ),
        *labelled_rows(
            FollowUp.objects.filter(user=user),
            "community__name",
            "reason",
            "state",
            "due_at",
            "asked_at",
            "answered_at",
            "answer",
            label="follow_up",
        ),
        *labelled_rows(
            ValueStory.objects.filter(Q(created_by=user) | Q(authors=user)).distinct(),
            "id",
            "community__name",
            "title",
            "immediate",
            "potential",
            "applied",
            "realised",
            "reframing",
            "ending",
            "state",
            "tier",
            "published_at",
            "created_at",
            label="story",
        ),
        *labelled_rows(
            Aspiration.objects.filter(author=user),
            "community__name",
            "cycle",
            "text",
            "created_at",
            label="aspiration",
        ),
    ]


def register() -> None:
    register_exporter(
        "value",
        fields=[
            "value_cycles.ValueEvent.member",
            "value_cycles.ConsentChange.changed_by",
            "value_cycles.FollowUp.user",
            "value_cycles.ValueStory.created_by",
            "value_cycles.ValueStory.authors",
            "value_cycles.Aspiration.author",
        ],
        rows=value_rows,
    )
