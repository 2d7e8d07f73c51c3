from django.contrib import admin
from django.http import HttpRequest

from communities.models import AuditEvent, Community, Invitation, Membership, StageChange


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user", "decided_by"]
    fields = ["user", "role", "state", "charter_version_accepted", "created_at"]
    readonly_fields = ["created_at"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "stage",
        "join_policy",
        "visibility",
        "is_listed",
        "is_confidential",
        "language",
    ]
    list_filter = ["stage", "join_policy", "visibility", "is_listed", "is_confidential", "language"]
    search_fields = ["name", "slug", "focus"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["sponsors"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "community", "role", "state", "updated_at"]
    list_filter = ["role", "state", "community"]
    search_fields = ["user__email", "user__display_name", "community__name"]
    raw_id_fields = ["user", "community", "decided_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "community", "state", "expires_at", "send_count"]
    list_filter = ["state", "community"]
    search_fields = ["email", "community__name"]
    exclude = ["token_hash"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at", "last_sent_at", "send_count"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is only ever added by the services; the admin shows it."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "community", "actor", "action", "subject"]
    list_filter = ["action", "community"]
    search_fields = ["actor__email", "subject__email", "community__name"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "community", "from_stage", "to_stage", "changed_by"]
    list_filter = ["to_stage", "community"]
