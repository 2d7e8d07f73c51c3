"""Seed templates are product content with no rule beyond their fields: site admins edit
them here directly (facilitators only read them). Notes and ticks are not shown: they
are the facilitators' own, written through facilitation.services.act."""

from django.contrib import admin

from facilitation.models import SeedTemplate


@admin.register(SeedTemplate)
class SeedTemplateAdmin(admin.ModelAdmin):
    list_display = ["title_en", "title_nl", "stage", "kind", "order", "is_active"]
    list_filter = ["stage", "kind", "is_active"]
    list_editable = ["order", "is_active"]
    search_fields = ["title_en", "title_nl", "body_en", "body_nl"]
