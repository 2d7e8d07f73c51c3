"""Threads and replies in the admin, read-only: edits, deletes and moderation go
through the site's own pages and services, which keep revisions, audit rows and the
search index right."""

from django.contrib import admin

from communities.admin import ReadOnlyAdmin
from discussions.models import Reply, Thread


@admin.register(Thread)
class ThreadAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "kind", "author", "reply_count", "last_activity_at"]
    list_filter = ["kind", "community"]
    search_fields = ["title"]


@admin.register(Reply)
class ReplyAdmin(ReadOnlyAdmin):
    list_display = ["pk", "thread", "author", "created_at"]
