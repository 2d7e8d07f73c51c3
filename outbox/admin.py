from django.contrib import admin

from outbox.models import Message, Preference


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    """Read-only: the outbox's own services change messages."""

    list_display = ("kind", "recipient", "state", "attempts", "not_before", "sent_at")
    list_filter = ("state", "kind")
    search_fields = ("recipient__email", "key")
    raw_id_fields = ("recipient",)
    readonly_fields = [f.name for f in Message._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "community_id", "value", "updated_at")
    list_filter = ("kind", "value")
    search_fields = ("user__email",)
    raw_id_fields = ("user",)
