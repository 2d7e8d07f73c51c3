"""What each reader has read: per thread, and their last visit per community."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models.posts import Thread


class ReadState(models.Model):
    """Where a reader got to in a thread: one small upsert per signed-in thread view."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_states"
    )
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="read_states")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    last_read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("read state")
        verbose_name_plural = _("read states")
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="read_once")]
        indexes = [models.Index(fields=["community", "last_read_at"], name="read_community")]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.thread_id}"


class CommunityVisit(models.Model):
    """When someone last looked at a community's thread list ("new since your last visit")."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    last_visit_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("community visit")
        verbose_name_plural = _("community visits")
        constraints = [models.UniqueConstraint(fields=["user", "community"], name="visit_once")]

    def __str__(self) -> str:
        return f"{self.user_id} visited {self.community_id}"
