"""The facilitation app's part of the data export (FacilitationConfig.ready()).

For a member: when a facilitator asked them to answer a question, and the personal
notes sent to them (they received those as emails). For a facilitator: the notes they
keep, the asks and nudges they sent (when, how many; not who else was nudged) and the
playbook steps they ticked."""

from django.db.models import Count

from facilitation.models import AnswerRequest, FacilitatorNote, Nudge, NudgeRecipient, PlaybookTick
from members.models import User
from members.privacy import Row, labelled_rows, register_exporter


def facilitation_rows(user: User) -> list[Row]:
    return [
        *labelled_rows(
            AnswerRequest.objects.filter(asked=user),
            "community__name",
            "thread_id",
            "created_at",
            label="asked_to_answer",
        ),
        *labelled_rows(
            AnswerRequest.objects.filter(asked_by=user),
            "community__name",
            "thread_id",
            "created_at",
            label="asked_someone_to_answer",
        ),
        *labelled_rows(
            NudgeRecipient.objects.filter(user=user),
            "community__name",
            "nudge__message",
            "created_at",
            label="note_received",
        ),
        *labelled_rows(
            Nudge.objects.filter(sent_by=user).annotate(recipients_count=Count("recipients")),
            "community__name",
            "message",
            "recipients_count",
            "created_at",
            label="note_sent",
        ),
        *labelled_rows(
            FacilitatorNote.objects.filter(author=user),
            "community__name",
            "body",
            "created_at",
            "edited_at",
            label="facilitator_note",
        ),
        *labelled_rows(
            PlaybookTick.objects.filter(ticked_by=user),
            "community__name",
            "item",
            "ticked_at",
            label="playbook_step_ticked",
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
