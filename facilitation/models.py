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
