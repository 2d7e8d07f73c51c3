"""The outbox's part of the data export, and the email that says an export is ready.

`members` makes the export but may not import the outbox: it calls the callback
registered here (members.privacy.on_export_ready), which records the message in the
transaction that marks the export ready; the handler renders it at send time, and
only while the export can still be downloaded.
"""

from django.urls import reverse
from django.utils import timezone

from members.models import DataExport, User
from members.privacy import Row, on_export_ready, register_exporter
from outbox.models import Message, Preference
from outbox.registry import Email, register_kind
from outbox.rendering import render_email
from outbox.services import message_enqueue

EXPORT_READY = "members.export_ready"


def message_rows(user: User) -> list[Row]:
    # What was emailed and when; the payload is ids of other apps' records, so it is
    # left out (it would name records the person may no longer read).
    return list(
        Message.objects.filter(recipient=user)
        .order_by("pk")
        .values("kind", "state", "created_at", "sent_at")
    )


def preference_rows(user: User) -> list[Row]:
    return list(
        Preference.objects.filter(user=user)
        .order_by("pk")
        .values("kind", "community_id", "value", "updated_at")
    )


def export_ready_enqueue(export: DataExport) -> None:
    message_enqueue(
        recipient=export.user,
        kind=EXPORT_READY,
        key=f"export:{export.pk}",
        payload={"export": export.pk},
    )


def render_export_ready(message: Message) -> Email | None:
    export = DataExport.objects.filter(
        pk=message.payload.get("export"), user_id=message.recipient_id
    ).first()
    if export is None or not export.is_downloadable(timezone.now()):
        return None
    return render_email(
        "members/emails/export_ready",
        recipient=message.recipient,
        context={"export": export, "path": reverse("members:export-download", args=[export.pk])},
    )


def register() -> None:
    register_exporter(
        "emails_sent",
        fields=["outbox.Message.recipient"],
        rows=message_rows,
    )
    register_exporter(
        "email_settings",
        fields=["outbox.Preference.user"],
        rows=preference_rows,
    )
    register_kind(EXPORT_READY, render_export_ready)
    on_export_ready(export_ready_enqueue)
