"""Reactions to posts: a few kinds of appreciation, one of each per person per post."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from discussions.models.posts import Reply, Thread, one_post_constraint


class Reaction(models.Model):
    class Kind(models.TextChoices):
        THANKS = "thanks", _("Thanks")
        INSIGHTFUL = "insightful", _("Insightful")
        SAME_HERE = "same_here", _("Same here")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            one_post_constraint("reaction"),
            models.UniqueConstraint(
                fields=["user", "thread", "kind"],
                condition=Q(reply__isnull=True),
                name="reaction_once_per_thread",
            ),
            models.UniqueConstraint(
                fields=["user", "reply", "kind"],
                condition=Q(thread__isnull=True),
                name="reaction_once_per_reply",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user_id}"
