"""Threads, replies and everything that hangs off them.

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


def _one_post(prefix: str) -> models.CheckConstraint:
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
        constraints = [_one_post("revision")]

    def __str__(self) -> str:
        return f"Revision {self.pk}"


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
            _one_post("reaction"),
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
        constraints = [_one_post("attachment")]

    def __str__(self) -> str:
        return self.display_name


class Flag(models.Model):
    """A member's report of a post to the facilitators."""

    thread = models.ForeignKey(
        Thread, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, null=True, blank=True, related_name="flags"
    )
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reason = models.TextField(_("reason"), max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("flag")
        verbose_name_plural = _("flags")
        constraints = [_one_post("flag")]
        indexes = [models.Index(fields=["community", "resolved_at"], name="flag_queue")]

    def __str__(self) -> str:
        return f"Flag {self.pk}"


class CommunityMute(models.Model):
    """A member muted in one community until a time: they can read but not post."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="mutes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    until = models.DateTimeField()
    reason = models.TextField(_("reason"), blank=True)
    muted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mute")
        verbose_name_plural = _("mutes")
        indexes = [models.Index(fields=["community", "user", "until"], name="mute_active")]

    def __str__(self) -> str:
        return f"{self.user_id} muted in {self.community_id}"


class KnowledgePage(models.Model):
    """Knowledge a community distilled from its threads ("published knowledge")."""

    class Visibility(models.TextChoices):
        COMMUNITY = "community", _("Whoever may read the community")
        PUBLIC = "public", _("Everyone, also without an account")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="knowledge_pages"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=80)
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False, default="")
    visibility = models.CharField(
        _("who can read it"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.COMMUNITY,
    )
    source_threads = models.ManyToManyField(Thread, blank=True, related_name="knowledge_pages")
    # Bumped on every save: an edit based on an older version is a conflict.
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("knowledge page")
        verbose_name_plural = _("knowledge pages")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "slug"], name="knowledge_slug_per_community"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "discussions:knowledge-page",
            kwargs={"slug": self.community.slug, "page_slug": self.slug},
        )


class KnowledgePageRevision(models.Model):
    page = models.ForeignKey(KnowledgePage, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("knowledge page revision")
        verbose_name_plural = _("knowledge page revisions")
        constraints = [
            models.UniqueConstraint(fields=["page", "version"], name="knowledge_revision_once")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} v{self.version}"
