"""Threads and replies, their tags, earlier versions and attachments.

Posts store their Markdown source and the sanitised HTML rendered from it at save, so
pages never render Markdown per view. Search vectors are stored per row (GIN-indexed),
built with the community's language and accent-folded in Python (no extensions).
"""

from typing import Any

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from communities.models import Community


class TaggedThread(TaggedItemBase):
    content_object = models.ForeignKey(
        "Thread", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("thread tag")
        verbose_name_plural = _("thread tags")


class Thread(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", _("Question")
        TIP = "tip", _("Tip")
        STORY = "story", _("Story")
        FAILURE_STORY = "failure_story", _("Failure story")
        ANNOUNCEMENT = "announcement", _("Announcement")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="threads")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="threads"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.QUESTION)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    # Rendered from Markdown and sanitised when saved, so views never render per request.
    body_html = models.TextField(editable=False, default="")
    tags = TaggableManager(verbose_name=_("tags"), through=TaggedThread, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now)
    reply_count = models.PositiveIntegerField(default=0)
    reaction_count = models.PositiveIntegerField(default=0)
    accepted_reply = models.ForeignKey(
        "Reply", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden by a facilitator"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [
            models.Index(
                fields=["community", "-last_activity_at", "-id"], name="thread_community_activity"
            ),
            # The thread list's default order (pinned first): read in index order and
            # stopped after a page, instead of sorting all the community's threads.
            models.Index(
                fields=["community", "-is_pinned", "-last_activity_at", "-id"],
                name="thread_community_pinned",
            ),
            models.Index(
                fields=["community", "-created_at", "-id"], name="thread_community_created"
            ),
            models.Index(fields=["-last_activity_at", "-id"], name="thread_activity"),
            GinIndex(fields=["search_vector"], name="thread_search"),
            # The search's windows of age (discussions.selectors.search).
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="thread_search_recent",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("discussions:thread", kwargs={"thread_id": self.pk})

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_solved(self) -> bool:
        return self.accepted_reply_id is not None


class Reply(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="replies")
    # The thread's community, copied so that visibility and search filter replies without
    # a join through their thread; `thread_move` moves it with the thread.
    community = models.ForeignKey(
        "communities.Community", on_delete=models.CASCADE, related_name="+", editable=False
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="replies"
    )
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    reaction_count = models.PositiveIntegerField(default=0)
    is_hidden = models.BooleanField(_("hidden by a facilitator"), default=False)
    deleted_at = models.DateTimeField(null=True, blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("reply")
        verbose_name_plural = _("replies")
        indexes = [
            models.Index(fields=["thread", "created_at", "id"], name="reply_thread_created"),
            GinIndex(fields=["search_vector"], name="reply_search"),
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="reply_search_recent",
            ),
            models.Index(
                fields=["community", "-created_at", "-id"],
                condition=models.Q(deleted_at__isnull=True),
                name="reply_community_recent",
            ),
        ]

    def __str__(self) -> str:
        return f"Reply {self.pk} on {self.thread_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.community_id is None:
            self.community_id = self.thread.community_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return (
            f"{reverse('discussions:thread', kwargs={'thread_id': self.thread_id})}#reply-{self.pk}"
        )

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


def one_post_constraint(prefix: str) -> models.CheckConstraint:
    # Exactly one of thread / reply is set: the row belongs to one post.
    return models.CheckConstraint(
        condition=(
            Q(thread__isnull=False, reply__isnull=True)
            | Q(thread__isnull=True, reply__isnull=False)
        ),
        name=f"{prefix}_one_post",
    )


class Revision(models.Model):
    """An earlier version of a thread or reply, kept when it is edited."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [one_post_constraint("revision")]

    def __str__(self) -> str:
        return f"Revision {self.pk}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The uploaded name is never used on disk.
    return f"attachments/{instance.storage_name}"


class Attachment(models.Model):
    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    storage_name = models.CharField(max_length=100, editable=False)
    # Shown to people and sent in Content-Disposition, after cleaning; never a path.
    display_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [one_post_constraint("attachment")]

    def __str__(self) -> str:
        return self.display_name
