"""Messages waiting to be emailed, and each person's email preferences.

Neither model knows what a message says: the app that records a message registers a
handler for its kind (outbox.registry) that renders it at send time.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    """One email to one person, recorded in the transaction of the change that causes
    it. (recipient, kind, key) is unique: `key` names the object and the period (say
    "thread:12:2026-12-01T10:20"), so the same message cannot be recorded twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        SKIPPED = "skipped", _("Not needed any more")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outbox_messages"
    )
    kind = models.CharField(max_length=60)
    key = models.CharField(max_length=200)
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # Not sent before this moment: lets events about one object gather into one email,
    # and spaces out the retries of a transient failure.
    not_before = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "key"], name="outbox_message_once")
        ]
        indexes = [
            # The sweeper's scan: only the unfinished rows, in the order they fall due.
            models.Index(
                fields=["not_before"],
                condition=models.Q(state__in=["pending", "sending"]),
                name="outbox_message_due",
            ),
            models.Index(fields=["recipient", "kind", "-sent_at"], name="outbox_message_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} -> {self.recipient_id} ({self.state})"


class Preference(models.Model):
    """How someone wants one kind of email, in one community (`community_id`) or, with
    no community, everywhere they have not said otherwise. For notification kinds the
    value is a Mode; for the digest, a Frequency.

    `community_id` is a plain number: the outbox sits below the communities app, so it
    holds no foreign key to it (a deleted community leaves rows that match nothing)."""

    class Mode(models.TextChoices):
        IMMEDIATELY = "immediately", _("Immediately")
        DIGEST = "digest", _("In the digest")
        OFF = "off", _("Off")

    class Frequency(models.TextChoices):
        DAILY = "daily", _("Daily")
        WEEKLY = "weekly", _("Weekly")
        BIWEEKLY = "biweekly", _("Every two weeks")
        MONTHLY = "monthly", _("Monthly")
        OFF = "off", _("Off")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=60)
    community_id = models.PositiveBigIntegerField(null=True, blank=True)
    value = models.CharField(max_length=20)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "community_id"],
                nulls_distinct=False,
                name="outbox_preference_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}@{self.community_id}: {self.value}"
