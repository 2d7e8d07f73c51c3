from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from members.models import Organization, PrivacyEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "language", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "language"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "language", "time_zone"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "display_name"]})]
    readonly_fields = ["last_login", "date_joined"]


class AdminUserCreationForm(forms.ModelForm):
    """Admins add people by address; they log in by emailed code, so no password."""

    class Meta:
        model = User
        fields = ["email", "display_name"]

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.email = user.email.lower()
        user.set_unusable_password()
        if commit:
            user.save()
        return user


UserAdmin.add_form = AdminUserCreationForm


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "is_listed"]
    list_editable = ["is_listed"]
    list_filter = ["kind", "is_listed"]
    search_fields = ["name"]


@admin.register(PrivacyEvent)
class PrivacyEventAdmin(admin.ModelAdmin):
    """Exports and erasures, for site admins: read-only, as an audit log must be."""

    list_display = ["at", "kind", "account_id", "posts_removed"]
    list_filter = ["kind"]
    search_fields = ["=account_id"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
