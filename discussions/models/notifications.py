"""Who wants to hear about what (subscriptions) and what they were told (notifications)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models.posts import Reply, Thread


class Subscription(models.Model):
    """How closely someone follows a thread or a whole community."""

    class Level(models.TextChoices):
        WATCH = "watch", _("Watch: tell me about every reply")
        NORMAL = "normal", _("Normal: replies to me and mentions")
        MUTE = "mute", _("Mute: tell me nothing")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.NORMAL)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(thread__isnull=False, community__isnull=True)
                    | Q(thread__isnull=True, community__isnull=False)
                ),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "thread"],
                condition=Q(thread__isnull=False),
                name="subscription_once_per_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "community"],
                condition=Q(community__isnull=False),
                name="subscription_once_per_community",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.level}"


class Notification(models.Model):
    """One on-site notification. The unique constraint records each event once; email
    delivery (a later issue) marks `emailed_at` under a row lock, so it happens once."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("replied to you")
        MENTION = "mention", _("mentioned you")
        ACCEPTED = "accepted", _("accepted your answer")
        NEW_THREAD = "new_thread", _("started a thread")
        WATCHED_REPLY = "watched_reply", _("replied in a thread you watch")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="notifications")
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "thread", "reply"],
                nulls_distinct=False,
                name="notification_once",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_unread")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"
