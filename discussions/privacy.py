"""The discussions app's part of the data export (DiscussionsConfig.ready()).

What the person wrote (threads, replies, knowledge pages and their own revisions, flag
reasons, attachments with their files) and their own bookkeeping (reactions, reading,
subscriptions, notifications, mutes). Never the text of other people's posts: a
notification or a reaction names the post by id only, since the person may no longer
be allowed to read it."""

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.fields.files import FieldFile

from discussions.models import (
    Attachment,
    CommunityMute,
    CommunityVisit,
    Flag,
    KnowledgePage,
    KnowledgePageRevision,
    Notification,
    Reaction,
    ReadState,
    Reply,
    Revision,
    Subscription,
    Thread,
)
from members.models import User
from members.privacy import Row, labelled_rows, register_exporter


def post_rows(user: User) -> list[Row]:
    threads = Thread.objects.filter(author=user).order_by("pk")
    replies = Reply.objects.filter(author=user).order_by("pk")
    return [
        *(
            {"thread": row["id"], **row}
            for row in threads.values(
                "id", "community__name", "kind", "title", "body", "created_at", "edited_at"
            )
        ),
        *(
            {"reply": row["id"], **row}
            for row in replies.values("id", "thread_id", "body", "created_at", "edited_at")
        ),
        *(
            {"deleted_a_post_at": at}
            for at in [
                *Thread.objects.filter(deleted_by=user).values_list("deleted_at", flat=True),
                *Reply.objects.filter(deleted_by=user).values_list("deleted_at", flat=True),
            ]
        ),
    ]


def revision_rows(user: User) -> list[Row]:
    # Earlier versions of the person's own posts; for edits of someone else's post (a
    # moderator's) only that an edit was made.
    own = Q(thread__author=user) | Q(reply__author=user)
    return [
        *Revision.objects.filter(own, edited_by=user)
        .order_by("pk")
        .values("thread_id", "reply_id", "title", "body", "created_at"),
        *Revision.objects.filter(edited_by=user)
        .exclude(own)
        .order_by("pk")
        .values("thread_id", "reply_id", "created_at"),
        *KnowledgePageRevision.objects.filter(edited_by=user)
        .order_by("pk")
        .values("page_id", "version", "title", "body", "created_at"),
    ]


def knowledge_rows(user: User) -> list[Row]:
    return list(
        KnowledgePage.objects.filter(Q(created_by=user) | Q(updated_by=user))
        .order_by("pk")
        .values("id", "community__name", "title", "body", "created_at", "updated_at")
    )


def attachment_rows(user: User) -> list[Row]:
    return list(
        Attachment.objects.filter(uploaded_by=user)
        .order_by("pk")
        .values("id", "thread_id", "reply_id", "display_name", "content_type", "size", "created_at")
    )


def attachment_files(user: User) -> Iterable[tuple[str, FieldFile]]:
    for attachment in Attachment.objects.filter(uploaded_by=user).order_by("pk"):
        yield f"{attachment.pk}-{attachment.display_name}", attachment.file


def bookkeeping_rows(user: User) -> list[Row]:
    return [
        *labelled_rows(
            Reaction.objects.filter(user=user),
            "thread_id",
            "reply_id",
            "kind",
            "created_at",
            label="reaction",
        ),
        *labelled_rows(
            ReadState.objects.filter(user=user), "thread_id", "last_read_at", label="read"
        ),
        *labelled_rows(
            CommunityVisit.objects.filter(user=user),
            "community__name",
            "last_visit_at",
            label="visit",
        ),
        *labelled_rows(
            Subscription.objects.filter(user=user),
            "thread_id",
            "community__name",
            "level",
            "updated_at",
            label="subscription",
        ),
        *labelled_rows(
            Notification.objects.filter(recipient=user),
            "kind",
            "thread_id",
            "reply_id",
            "created_at",
            "read_at",
            "emailed_at",
            label="notification",
        ),
        *labelled_rows(
            Notification.objects.filter(actor=user),
            "kind",
            "created_at",
            label="caused_notification",
        ),
        *labelled_rows(
            Flag.objects.filter(reporter=user),
            "thread_id",
            "reply_id",
            "reason",
            "created_at",
            label="flag",
        ),
        *labelled_rows(Flag.objects.filter(resolved_by=user), "resolved_at", label="resolved_flag"),
        *labelled_rows(
            CommunityMute.objects.filter(user=user),
            "community__name",
            "until",
            "reason",
            "created_at",
            label="muted",
        ),
        *labelled_rows(
            CommunityMute.objects.filter(muted_by=user),
            "community__name",
            "created_at",
            label="muted_someone",
        ),
    ]


def register() -> None:
    register_exporter(
        "posts",
        fields=[
            "discussions.Thread.author",
            "discussions.Thread.deleted_by",
            "discussions.Reply.author",
            "discussions.Reply.deleted_by",
        ],
        rows=post_rows,
    )
    register_exporter(
        "revisions",
        fields=["discussions.Revision.edited_by", "discussions.KnowledgePageRevision.edited_by"],
        rows=revision_rows,
    )
    register_exporter(
        "knowledge_pages",
        fields=["discussions.KnowledgePage.created_by", "discussions.KnowledgePage.updated_by"],
        rows=knowledge_rows,
    )
    register_exporter(
        "attachments",
        fields=["discussions.Attachment.uploaded_by"],
        rows=attachment_rows,
        files=attachment_files,
    )
    register_exporter(
        "discussion_activity",
        fields=[
            "discussions.Reaction.user",
            "discussions.ReadState.user",
            "discussions.CommunityVisit.user",
            "discussions.Subscription.user",
            "discussions.Notification.recipient",
            "discussions.Notification.actor",
            "discussions.Flag.reporter",
            "discussions.Flag.resolved_by",
            "discussions.CommunityMute.user",
            "discussions.CommunityMute.muted_by",
        ],
        rows=bookkeeping_rows,
    )
