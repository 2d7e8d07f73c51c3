"""The console's own records (seed templates, notes, playbook ticks, asks and nudges)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models import Thread


class AnswerRequest(models.Model):
    """A facilitator's personal "could you answer this?" to one member about one
    question: the console skips people asked recently, and a person is asked about a
    question once."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="+")
    asked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("request to answer")
        verbose_name_plural = _("requests to answer")
        constraints = [
            models.UniqueConstraint(fields=["thread", "asked"], name="facilitation_ask_once")
        ]
        indexes = [models.Index(fields=["asked", "created_at"], name="ask_recent")]

    def __str__(self) -> str:
        return f"{self.asked_id} asked about {self.thread_id}"


class Nudge(models.Model):
    """One personal message a facilitator sent to a chosen set of quiet members; each
    recipient gets it as an email of their own (NudgeRecipient)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Rendered into the email at send time; kept so the email says what was written.
    message = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nudge")
        verbose_name_plural = _("nudges")

    def __str__(self) -> str:
        return f"Nudge {self.pk} in {self.community_id}"


class NudgeRecipient(models.Model):
    nudge = models.ForeignKey(Nudge, on_delete=models.CASCADE, related_name="recipients")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The nudge's community, copied: "nudged recently" is read per community and person.
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nudged member")
        verbose_name_plural = _("nudged members")
        constraints = [
            models.UniqueConstraint(fields=["nudge", "user"], name="facilitation_nudge_once")
        ]
        indexes = [
            models.Index(fields=["community", "user", "created_at"], name="nudge_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} nudged by {self.nudge_id}"


# === The act side: seed templates, facilitator notes, playbook ticks ========================
# (facilitation/services/act.py writes them; facilitation/selectors/act.py reads them.)


# The kinds of thread a template may start (not announcements or failure stories).
SEED_KINDS = [
    (Thread.Kind.QUESTION.value, Thread.Kind.QUESTION.label),
    (Thread.Kind.TIP.value, Thread.Kind.TIP.label),
    (Thread.Kind.STORY.value, Thread.Kind.STORY.label),
]


class SeedTemplate(models.Model):
    """A thread a facilitator can start in two taps, suited to a stage of the community.
    Product content: site admins edit it in the Django admin, in Dutch and English."""

    stage = models.CharField(_("stage"), max_length=20, choices=Community.Stage.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=SEED_KINDS)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    body_nl = models.TextField(_("text (Dutch)"))
    body_en = models.TextField(_("text (English)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("offered to facilitators"), default=True)

    class Meta:
        ordering = ["stage", "order", "pk"]
        verbose_name = _("seed template")
        verbose_name_plural = _("seed templates")

    def __str__(self) -> str:
        return f"{self.get_stage_display()}: {self.title_en}"

    def title_in(self, language: str) -> str:
        return self.title_nl if language == "nl" else self.title_en

    def body_in(self, language: str) -> str:
        return self.body_nl if language == "nl" else self.body_en


class FacilitatorNote(models.Model):
    """A private note of a community's facilitators: only they (and site admins) read
    it; never in search, feeds, emails or exports. Markdown, stored with its sanitised
    HTML as posts are."""

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="facilitator_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("note"), max_length=10000)
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("facilitator note")
        verbose_name_plural = _("facilitator notes")
        indexes = [models.Index(fields=["community", "-created_at"], name="note_community_created")]

    def __str__(self) -> str:
        return f"{self.community}: note {self.pk}"


class PlaybookTick(models.Model):
    """One step of a stage's playbook (facilitation/playbook.py) ticked off in one
    community: by whom and when."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    item = models.CharField(max_length=40)
    ticked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    ticked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("playbook step ticked")
        verbose_name_plural = _("playbook steps ticked")
        constraints = [
            models.UniqueConstraint(fields=["community", "item"], name="playbook_one_tick"),
        ]

    def __str__(self) -> str:
        return f"{self.community}: {self.item}"
