"""The meetings app's part of the data export (MeetingsConfig.ready()): meetings the
person organised, their answers, attendance, proposals, votes, outputs they wrote or
own, files they uploaded and their calendar feeds (not the token); the emails sent to
them are the outbox's part."""

from django.db.models import Q

from meetings.models import (
    Attendance,
    CalendarFeed,
    Meeting,
    MeetingOutput,
    OutputFile,
    Rsvp,
    TopicProposal,
    TopicVote,
)
from members.models import User
from members.privacy import Row, labelled_rows, register_exporter


def meeting_rows(user: User) -> list[Row]:
    return [
        *labelled_rows(
            Meeting.objects.filter(organiser=user),
            "id",
            "community__name",
            "kind",
            "title",
            "description",
            "starts_at",
            "place",
            label="organised",
        ),
        *labelled_rows(
            Rsvp.objects.filter(user=user), "meeting_id", "answer", "answered_at", label="answer"
        ),
        *labelled_rows(
            Attendance.objects.filter(user=user), "meeting_id", "created_at", label="attended"
        ),
        *labelled_rows(
            Attendance.objects.filter(marked_by=user),
            "meeting_id",
            "created_at",
            label="marked_attendance",
        ),
        *labelled_rows(
            TopicProposal.objects.filter(proposer=user),
            "id",
            "community__name",
            "title",
            "description",
            "state",
            "created_at",
            label="proposal",
        ),
        *labelled_rows(
            TopicProposal.objects.filter(decided_by=user),
            "id",
            "decided_at",
            label="decided_proposal",
        ),
        *labelled_rows(
            TopicVote.objects.filter(user=user), "proposal_id", "created_at", label="vote"
        ),
        *labelled_rows(
            MeetingOutput.objects.filter(Q(author=user) | Q(owner=user)),
            "meeting_id",
            "kind",
            "body",
            "due_on",
            "created_at",
            label="output",
        ),
        *labelled_rows(
            CalendarFeed.objects.filter(user=user),
            "created_at",
            "revoked_at",
            label="calendar_feed",
        ),
        *labelled_rows(
            OutputFile.objects.filter(uploaded_by=user),
            "meeting_id",
            "display_name",
            "created_at",
            label="uploaded_file",
        ),
    ]


def register() -> None:
    register_exporter(
        "meetings",
        fields=[
            "meetings.Meeting.organiser",
            "meetings.Rsvp.user",
            "meetings.Attendance.user",
            "meetings.Attendance.marked_by",
            "meetings.TopicProposal.proposer",
            "meetings.TopicProposal.decided_by",
            "meetings.TopicVote.user",
            "meetings.MeetingOutput.author",
            "meetings.MeetingOutput.owner",
            "meetings.CalendarFeed.user",
            "meetings.OutputFile.uploaded_by",
        ],
        rows=meeting_rows,
    )
