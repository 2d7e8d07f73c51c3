"""Knowledge pages: what a community learnt, written up from its threads."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models.posts import Thread


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
