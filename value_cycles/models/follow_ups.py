"""Follow-ups: "did it make a difference?", asked a few weeks after an accepted answer
or an "I'll use this"."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models import KnowledgePage, Reply, Thread
from meetings.models import Meeting
from value_cycles.models.events import ValueEvent, at_most_one_source


class FollowUp(models.Model):
    class Reason(models.TextChoices):
        ACCEPTED_ANSWER = "accepted", _("An answer you accepted")
        WILL_USE = "will_use", _("Something you said you would use")

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ASKED = "asked", _("Asked")
        ANSWERED = "answered", _("Answered")
        SNOOZED = "snoozed", _("Ask again later")
        CLOSED = "closed", _("Closed")

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NOT_YET = "not_yet", _("Not yet")
        NO = "no", _("No")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="value_follow_ups"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    event = models.ForeignKey(
        ValueEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups"
    )
    source_thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_page = models.ForeignKey(
        KnowledgePage, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    source_meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    due_at = models.DateTimeField()
    asked_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answer = models.CharField(max_length=10, choices=Answer.choices, blank=True)
    times_asked = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            at_most_one_source("follow_up"),
            # One follow-up per "I'll use this", one per accepted answer for the asker.
            models.UniqueConstraint(
                fields=["event"], condition=Q(event__isnull=False), name="follow_up_once_event"
            ),
            models.UniqueConstraint(
                fields=["user", "source_reply"],
                condition=Q(reason="accepted"),
                name="follow_up_once_accepted",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_at"], name="follow_up_due")]

    def __str__(self) -> str:
        return f"Follow-up {self.pk} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in {self.State.PENDING, self.State.ASKED, self.State.SNOOZED}
