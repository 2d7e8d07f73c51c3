"""Value events, their cycles, consent tiers and the record of tier changes.

Chains: an event carries an explicit `chain` id. Events of one member about one source
share it (the services reuse the chain of the member's earlier event on that source),
and an event logged from a follow-up or "what happened next" continues the chain it
came from. An explicit id, rather than one derived from (member, source), lets value
logged outside the platform (a call, a visit) form a chain too, and survives the
source being deleted.
"""

import operator
import uuid
from functools import reduce

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models import KnowledgePage, Reply, Thread
from meetings.models import Meeting

# The source columns an event or follow-up may point at: at most one is set.
SOURCE_FIELDS = ("source_thread", "source_reply", "source_page", "source_meeting")


class Cycle(models.IntegerChoices):
    IMMEDIATE = 1, _("Immediate value")
    POTENTIAL = 2, _("Potential value")
    APPLIED = 3, _("Applied value")
    REALISED = 4, _("Realised value")
    REFRAMING = 5, _("Reframing value")


class Capital(models.TextChoices):
    """Kinds of knowledge capital (cycle 2)."""

    HUMAN = "human", _("Skills or knowledge I gained")
    SOCIAL = "social", _("A contact or relationship")
    TANGIBLE = "tangible", _("A document, tool or example")
    REPUTATIONAL = "reputational", _("Recognition or standing")
    LEARNING = "learning", _("A new way to learn or look at things")


class Tier(models.IntegerChoices):
    """Who may read a text, ordered from the narrowest audience to the widest: a viewer
    whose floor is F reads texts of tier >= F (value_cycles.permissions)."""

    ONLY_ME = 0, _("Only me")
    FACILITATORS = 10, _("The community's facilitators")
    MEMBERS = 20, _("Members of the community")
    SPONSOR_COUNTS = 30, _("Sponsors, as anonymous counts only")
    SPONSOR_TEXT = 40, _("Sponsors, with my text (my organisation not named)")
    SPONSOR_TEXT_NAMED = 50, _("Sponsors, with my text and my organisation named")
    PUBLIC = 60, _("Everyone")


def at_most_one_source(prefix: str) -> models.CheckConstraint:
    # An event or follow-up comes from one post, page or meeting, or from outside the
    # platform: of the source columns, all but at most one are empty.
    empty = [Q(**{f"{name}__isnull": True}) for name in SOURCE_FIELDS]
    all_but_one = [
        reduce(operator.and_, [q for index, q in enumerate(empty) if index != skipped])
        for skipped in range(len(empty))
    ]
    return models.CheckConstraint(
        condition=reduce(operator.or_, all_but_one), name=f"{prefix}_at_most_one_source"
    )


class ValueEvent(models.Model):
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="value_events"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="value_events")
    cycle = models.PositiveSmallIntegerField(_("cycle"), choices=Cycle.choices)
    capital = models.CharField(
        _("kind of gain"), max_length=20, choices=Capital.choices, blank=True
    )
    why_it_helped = models.CharField(_("why it helped"), max_length=300, blank=True)
    what_changed = models.TextField(_("what changed"), max_length=2000, blank=True)
    what_result = models.TextField(_("what result"), max_length=2000, blank=True)
    figure = models.DecimalField(
        _("figure"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(
        _("unit"), max_length=40, blank=True, help_text=_("For example: hours saved, euros.")
    )
    source_thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="value_events"
    )
    source_reply = models.ForeignKey(
        Reply, on_delete=models.SET_NULL, null=True, blank=True, related_name="value_events"
    )
    source_page = models.ForeignKey(
        KnowledgePage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="value_events",
    )
    source_meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="value_events"
    )
    where = models.CharField(
        _("where it happened"),
        max_length=200,
        blank=True,
        help_text=_("For value from outside the platform: a call, a visit, a meeting."),
    )
    chain = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    tier = models.PositiveSmallIntegerField(
        _("who may see this"), choices=Tier.choices, default=Tier.MEMBERS
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("value event")
        verbose_name_plural = _("value events")
        constraints = [
            at_most_one_source("value_event"),
            models.CheckConstraint(condition=Q(cycle__gte=1, cycle__lte=5), name="value_cycle_1_5"),
            # A kind of capital belongs to cycle 2 only.
            models.CheckConstraint(
                condition=Q(capital="") | Q(cycle=Cycle.POTENTIAL), name="value_capital_cycle_2"
            ),
            models.CheckConstraint(
                condition=Q(figure__isnull=True) | ~Q(unit=""), name="value_figure_has_unit"
            ),
            # "This helped" is one tap: once per member per source.
            *[
                models.UniqueConstraint(
                    fields=["member", field],
                    condition=Q(cycle=Cycle.IMMEDIATE, **{f"{field}__isnull": False}),
                    name=f"value_helped_once_{field}",
                )
                for field in SOURCE_FIELDS
            ],
        ]
        indexes = [
            models.Index(fields=["community", "created_at"], name="value_event_community_time"),
            models.Index(fields=["member", "-created_at"], name="value_event_member"),
        ]

    def __str__(self) -> str:
        return f"{self.get_cycle_display()} by {self.member_id}"

    @property
    def text(self) -> str:
        """The one text this event's cycle asks for."""
        return {
            Cycle.IMMEDIATE: self.why_it_helped,
            Cycle.POTENTIAL: self.why_it_helped,
            Cycle.APPLIED: self.what_changed,
        }.get(Cycle(self.cycle), self.what_result)

    @property
    def source_kind(self) -> str:
        if self.source_reply_id:
            return "reply"
        if self.source_thread_id:
            return "thread"
        if self.source_page_id:
            return "page"
        if self.source_meeting_id:
            return "meeting"
        return ""


class ConsentChange(models.Model):
    """A change of an event's or story's consent tier, kept with its time."""

    event = models.ForeignKey(
        ValueEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="consent_changes"
    )
    story = models.ForeignKey(
        "value_cycles.ValueStory",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="consent_changes",
    )
    from_tier = models.PositiveSmallIntegerField(choices=Tier.choices, null=True)
    to_tier = models.PositiveSmallIntegerField(choices=Tier.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(event__isnull=False, story__isnull=True)
                | Q(event__isnull=True, story__isnull=False),
                name="consent_change_one_target",
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_tier} -> {self.to_tier}"
