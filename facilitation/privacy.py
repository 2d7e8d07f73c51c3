"""The facilitation app's part of the data export (FacilitationConfig.ready()).

For a member: when a facilitator asked them to answer a question, and the personal
notes sent to them (they received those as emails). For a facilitator: the notes they
keep, the asks and nudges they sent (when, how many; not who else was nudged) and the
playbook steps they ticked."""

from django.db.models import Count

from facilitation.models import AnswerRequest, FacilitatorNote, Nudge, NudgeRecipient, PlaybookTick
from members.models import User
from members.privacy import Row, register_exporter


def facilitation_rows(user: User) -> list[Row]:
    return [
        *(
            {"record": "asked_to_answer", **row}
            for row in AnswerRequest.objects.filter(asked=user)
            .order_by("pk")
            .values("community__name", "thread_id", "created_at")
        ),
        *(
            {"record": "asked_someone_to_answer", **row}
            for row in AnswerRequest.objects.filter(asked_by=user)
            .order_by("pk")
            .values("community__name", "thread_id", "created_at")
        ),
        *(
            {"record": "note_received", **row}
            for row in NudgeRecipient.objects.filter(user=user)
            .order_by("pk")
            .values("community__name", "nudge__message", "created_at")
        ),
        *(
            {"record": "note_sent", **row}
            for row in Nudge.objects.filter(sent_by=user)
            .annotate(recipients_count=Count("recipients"))
            .order_by("pk")
            .values("community__name", "message", "recipients_count", "created_at")
        ),
        *(
            {"record": "facilitator_note", **row}
            for row in FacilitatorNote.objects.filter(author=user)
            .order_by("pk")
            .values("community__name", "body", "created_at", "edited_at")
        ),
        *(
            {"record": "playbook_step_ticked", **row}
            for row in PlaybookTick.objects.filter(ticked_by=user)
            .order_by("pk")
            .values("community__name", "item", "ticked_at")
        ),
    ]


def register() -> None:
    register_exporter(
        "facilitation",
        fields=[
            "facilitation.AnswerRequest.asked",
            "facilitation.AnswerRequest.asked_by",
            "facilitation.NudgeRecipient.user",
            "facilitation.Nudge.sent_by",
            "facilitation.FacilitatorNote.author",
            "facilitation.PlaybookTick.ticked_by",
        ],
        rows=facilitation_rows,
    )
