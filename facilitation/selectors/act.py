"""What the console page shows of the act side (notes, playbook progress, templates),
and the act pages' own reads. Every read is bounded: a fixed number of queries whatever
the number of notes, ticks or templates."""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, QuerySet, Value, When

from communities.models import Community
from facilitation.models import FacilitatorNote, PlaybookTick, SeedTemplate
from facilitation.permissions import can_act_in_console, notes_visible_to
from facilitation.playbook import Playbook, Step, playbook_for
from members.models import User
from members.types import Viewer

NOTES_PER_PAGE = 50


@dataclass(frozen=True)
class StepState:
    step: Step
    tick: PlaybookTick | None

    @property
    def done(self) -> bool:
        return self.tick is not None


@dataclass(frozen=True)
class PlaybookState:
    playbook: Playbook
    steps: list[StepState]

    @property
    def done_count(self) -> int:
        return sum(1 for state in self.steps if state.done)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def next_step(self) -> Step | None:
        return next((state.step for state in self.steps if not state.done), None)


def playbook_state(community: Community) -> PlaybookState:
    """The community's stage playbook with what is ticked off (one query)."""
    playbook = playbook_for(community.stage)
    keys = [step.key for step in playbook.steps]
    ticks = {
        tick.item: tick
        for tick in PlaybookTick.objects.filter(community=community, item__in=keys).select_related(
            "ticked_by"
        )
    }
    return PlaybookState(
        playbook=playbook, steps=[StepState(step, ticks.get(step.key)) for step in playbook.steps]
    )


def seed_templates_for(community: Community) -> QuerySet[SeedTemplate]:
    """Active templates, those of the community's stage first (one query)."""
    return (
        SeedTemplate.objects.filter(is_active=True)
        .annotate(
            other_stage=Case(
                When(stage=community.stage, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("other_stage", "stage", "order", "pk")
    )


def notes_for(user: Viewer, community: Community) -> list[FacilitatorNote]:
    """The latest notes of the community (callers fetched it for its notes, so the
    viewer may read them), newest first, with their authors (one query)."""
    notes = list(
        notes_visible_to(user)
        .filter(community=community)
        .select_related("author")
        .order_by("-created_at", "-pk")[:NOTES_PER_PAGE]
    )
    for note in notes:
        note.community = community
    return notes


@dataclass(frozen=True)
class ActPanel:
    community: Community
    stage_name: str
    playbook: PlaybookState
    latest_note: FacilitatorNote | None
    latest_note_author: User | None


def act_context(user: Viewer, community: Community) -> dict[str, object]:
    """Context for templates/facilitation/_act_panel.html, from two queries (the ticks,
    the latest note); `act` is None, with no query, for who may not act here."""
    if not can_act_in_console(user, community):
        return {"act": None}
    note = (
        notes_visible_to(user)
        .filter(community=community)
        .select_related("author")
        .order_by("-created_at", "-pk")
        .first()
    )
    return {
        "act": ActPanel(
            community=community,
            stage_name=community.get_stage_display(),
            playbook=playbook_state(community),
            latest_note=note,
            latest_note_author=note.author if note else None,
        )
    }
