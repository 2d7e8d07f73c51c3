from django.contrib import admin

from discussions.models import Reply, Thread


@admin.register(Thread)
class ThreadAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "author", "reply_count", "last_activity_at"]
    list_filter = ["kind", "community"]
    search_fields = ["title"]
    raw_id_fields = ["author", "community"]
    readonly_fields = ["body_html"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["pk", "thread", "author", "created_at"]
    raw_id_fields = ["author", "thread", "parent"]
    readonly_fields = ["body_html"]
