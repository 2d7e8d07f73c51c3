"""Meetings, their agenda, answers, attendance and outputs; topic proposals and votes;
personal calendar feeds and the rows that make each email go out once."""

import uuid
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models import Thread


def _new_uid() -> str:
    return f"{uuid.uuid4()}@cop-platform"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        MEETUP = "meetup", _("Meet-up")
        WEBINAR = "webinar", _("Webinar")
        PEER_CONSULTATION = "peer_consultation", _("Peer consultation group")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="meetings")
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MEETUP)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    description_html = models.TextField(editable=False, default="")
    # Stored in UTC; the organiser's zone is kept so the calendar file and the edit form
    # show the time the organiser meant, also across a daylight-saving change.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64, default=settings.TIME_ZONE)
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.SCHEDULED)
    # iCalendar: the UID never changes, SEQUENCE goes up with every change people see.
    uid = models.CharField(max_length=100, unique=True, default=_new_uid, editable=False)
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meetings_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "starts_at"], name="meeting_community_start"),
            models.Index(fields=["state", "starts_at"], name="meeting_state_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting", kwargs={"meeting_id": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.state == self.State.CANCELLED

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def is_online(self) -> bool:
        return bool(self.online_link)


class TopicProposal(models.Model):
    """A topic members ask a meeting or webinar about."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        PLANNED = "planned", _("Planned")

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="topic_proposals"
    )
    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("what would you like to learn?"), blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    # What a facilitator turned it into (one of the three).
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("topic proposal")
        verbose_name_plural = _("topic proposals")
        indexes = [models.Index(fields=["community", "state"], name="proposal_community_state")]

    def __str__(self) -> str:
        return self.title


class TopicVote(models.Model):
    proposal = models.ForeignKey(TopicProposal, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_votes"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("topic vote")
        verbose_name_plural = _("topic votes")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="meetings_one_vote"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} for {self.proposal_id}"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("agenda item"), max_length=200)
    thread = models.ForeignKey(
        Thread, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )
    proposal = models.ForeignKey(
        TopicProposal,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
    )

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Rsvp(models.Model):
    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        MAYBE = "maybe", _("Maybe")
        NO = "no", _("No")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    answer = models.CharField(max_length=5, choices=Answer.choices)
    # Set while a "yes" waits for a place: 1 is next in line. Null otherwise.
    waiting_position = models.PositiveIntegerField(null=True, blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_one_rsvp"),
            models.CheckConstraint(
                condition=models.Q(waiting_position__isnull=True) | models.Q(answer="yes"),
                name="meetings_only_yes_waits",
            ),
        ]
        indexes = [models.Index(fields=["meeting", "answer"], name="rsvp_meeting_answer")]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.answer}"

    @property
    def is_waiting(self) -> bool:
        return self.waiting_position is not None

    @property
    def has_place(self) -> bool:
        return self.answer == self.Answer.YES and self.waiting_position is None


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meetings_one_attendance"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.meeting_id}"


class MeetingOutput(models.Model):
    class Kind(models.TextChoices):
        SUMMARY = "summary", _("Summary")
        NOTES = "notes", _("Notes")
        ACTION = "action", _("Action item")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="outputs")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SUMMARY)
    body = models.TextField(_("text"))
    body_html = models.TextField(editable=False, default="")
    # Action items: who does it, and by when.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "created_at", "pk"]
        verbose_name = _("meeting output")
        verbose_name_plural = _("meeting outputs")

    def __str__(self) -> str:
        return f"{self.kind} of {self.meeting_id}"


def output_file_path(instance: "OutputFile", filename: str) -> str:
    # The uploaded name is never used on disk.
    return f"meeting-files/{instance.storage_name}"


class OutputFile(models.Model):
    """A file a meeting produced (slides, a report): checked by its content as the
    discussions' attachments are, stored under a random name, and downloaded only
    through the meetings app after checking the viewer may see the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=output_file_path, max_length=200)
    storage_name = models.CharField(max_length=100, editable=False)
    # Shown to people and sent in Content-Disposition, after cleaning; never a path.
    display_name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("meeting file")
        verbose_name_plural = _("meeting files")

    def __str__(self) -> str:
        return self.display_name


class CalendarFeed(models.Model):
    """A personal calendar address. Only the token's SHA-256 digest is stored, so a
    database leak hands out no working feed; revoking ends it at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="meetings_one_live_feed",
            ),
        ]

    def __str__(self) -> str:
        return f"feed of {self.user_id}"


class RsvpLinkUse(models.Model):
    """A one-click answer link that was used: each link works once."""

    token_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.token_hash[:12]
