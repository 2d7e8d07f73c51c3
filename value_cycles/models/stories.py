"""Value-creation stories and the aspirations they are set beside."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models import KnowledgePage, Thread
from value_cycles.models.events import Cycle, Tier, ValueEvent


class ValueStory(models.Model):
    """A narrative with one section per cycle, by one or more authors."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class Ending(models.TextChoices):
        ACHIEVED = "achieved", _("Achieved")
        HOPED = "hoped", _("Still hoped for")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="value_stories")
    title = models.CharField(_("title"), max_length=200)
    immediate = models.TextField(_("What happened"), max_length=4000, blank=True)
    potential = models.TextField(_("What it produced"), max_length=4000, blank=True)
    applied = models.TextField(_("How it was applied"), max_length=4000, blank=True)
    realised = models.TextField(_("What it changed"), max_length=4000, blank=True)
    reframing = models.TextField(_("What it made us rethink"), max_length=4000, blank=True)
    ending = models.CharField(
        _("the ending"), max_length=10, choices=Ending.choices, default=Ending.HOPED
    )
    authors = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="value_stories")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    events = models.ManyToManyField(ValueEvent, blank=True, related_name="stories")
    source_threads = models.ManyToManyField(Thread, blank=True, related_name="value_stories")
    source_pages = models.ManyToManyField(KnowledgePage, blank=True, related_name="value_stories")
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    tier = models.PositiveSmallIntegerField(
        _("who may see this"), choices=Tier.choices, default=Tier.MEMBERS
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    SECTIONS = (
        (Cycle.IMMEDIATE, "immediate"),
        (Cycle.POTENTIAL, "potential"),
        (Cycle.APPLIED, "applied"),
        (Cycle.REALISED, "realised"),
        (Cycle.REFRAMING, "reframing"),
    )

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        verbose_name = _("value story")
        verbose_name_plural = _("value stories")
        indexes = [
            models.Index(fields=["community", "state", "tier"], name="value_story_community")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("value_cycles:story", kwargs={"story_id": self.pk})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    def sections(self) -> list[tuple[str, str]]:
        """(heading, text) of the sections that have text, in cycle order."""
        return [
            (str(getattr(self._meta.get_field(name), "verbose_name", name)), getattr(self, name))
            for _cycle, name in self.SECTIONS
            if getattr(self, name)
        ]


class Aspiration(models.Model):
    """What a facilitator or sponsor hopes the community achieves in one cycle."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="aspirations")
    cycle = models.PositiveSmallIntegerField(_("cycle"), choices=Cycle.choices)
    text = models.TextField(_("what we hope for"), max_length=1000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "created_at", "pk"]
        verbose_name = _("aspiration")
        verbose_name_plural = _("aspirations")

    def __str__(self) -> str:
        return f"{self.community_id} cycle {self.cycle}"
