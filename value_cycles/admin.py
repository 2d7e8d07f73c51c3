"""Only rows without members' texts are in the admin: value events and stories carry
the tier their authors chose ("only me" included), which the admin would bypass."""

from django.contrib import admin

from value_cycles.models import Aspiration, FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["pk", "community", "reason", "state", "due_at", "asked_at", "times_asked"]
    list_filter = ["state", "reason"]
    raw_id_fields = [
        "user",
        "community",
        "event",
        "source_thread",
        "source_reply",
        "source_page",
        "source_meeting",
    ]
    readonly_fields = ["state", "asked_at", "answered_at", "answer", "times_asked"]


@admin.register(Aspiration)
class AspirationAdmin(admin.ModelAdmin):
    list_display = ["community", "cycle", "author", "created_at"]
    list_filter = ["cycle"]
    raw_id_fields = ["community", "author"]
