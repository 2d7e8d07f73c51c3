from django.contrib import admin

from meetings.models import Meeting, TopicProposal


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "kind", "starts_at", "state"]
    list_filter = ["kind", "state"]
    search_fields = ["title"]
    raw_id_fields = ["community", "organiser"]
    readonly_fields = ["description_html", "uid", "sequence"]


@admin.register(TopicProposal)
class TopicProposalAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "state", "created_at"]
    raw_id_fields = ["community", "proposer", "meeting", "thread", "decided_by"]
