"""The site admins' view of communities. Every change goes through the services, so it
re-checks the rights, leaves its audit row and keeps the stage history; what has no
service (memberships, invitations, history) is shown read-only and changed on the site's
own pages."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from communities.models import (
    COMMUNITY_SETTINGS_FIELDS,
    AuditEvent,
    Community,
    CommunityProposal,
    Invitation,
    Membership,
    StageChange,
)
from communities.services.communities import (
    community_change_stage,
    community_create,
    community_update,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: the services are the only writers."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ("user", "role", "state", "charter_version_accepted", "created_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
    fields = ("slug", *COMMUNITY_SETTINGS_FIELDS, "stage")
    inlines = [MembershipInline]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Community | None = None
    ) -> tuple[str, ...]:
        return ("slug",) if obj is not None else ()

    def get_prepopulated_fields(
        self, request: HttpRequest, obj: Community | None = None
    ) -> dict[str, Sequence[str]]:
        return {} if obj is not None else {"slug": ["name"]}

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # A community is closed by its stage; deleting it would take its history along.
        return False

    def save_model(
        self, request: HttpRequest, obj: Community, form: forms.ModelForm, change: bool
    ) -> None:
        data: dict[str, Any] = form.cleaned_data
        settings = {field: data[field] for field in COMMUNITY_SETTINGS_FIELDS}
        if not change:
            created = community_create(
                creator=request.user,  # type: ignore[arg-type]
                slug=data["slug"],
                stage=data["stage"],
                **settings,
            )
            obj.pk = created.pk
            obj.refresh_from_db()
            return
        current = Community.objects.get(pk=obj.pk)
        community_update(community=current, by=request.user, **settings)  # type: ignore[arg-type]
        community_change_stage(community=current, by=request.user, stage=data["stage"])  # type: ignore[arg-type]
        obj.refresh_from_db()


@admin.register(Membership)
class MembershipAdmin(ReadOnlyAdmin):
    list_display = ["user", "community", "role", "state", "updated_at"]
    list_filter = ["role", "state", "community"]
    search_fields = ["user__email", "user__display_name", "community__name"]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["email", "community", "state", "expires_at", "send_count"]
    list_filter = ["state", "community"]
    search_fields = ["email", "community__name"]
    exclude = ["token_hash"]


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "community", "actor", "action", "subject"]
    list_filter = ["action", "community"]
    search_fields = ["actor__email", "subject__email", "community__name"]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "community", "from_stage", "to_stage", "changed_by"]
    list_filter = ["to_stage", "community"]


@admin.register(CommunityProposal)
class CommunityProposalAdmin(ReadOnlyAdmin):
    """Founded and closed on the site's proposal pages, through the services."""

    list_display = ["created_at", "name", "proposer", "state", "community"]
    list_filter = ["state"]
    search_fields = ["name", "focus", "proposer__email"]
