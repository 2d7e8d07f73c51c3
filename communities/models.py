from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import Organization


class Community(models.Model):
    class Stage(models.TextChoices):
        POTENTIAL = "potential", _("Potential")
        COALESCING = "coalescing", _("Coalescing")
        MATURING = "maturing", _("Maturing")
        STEWARDSHIP = "stewardship", _("Stewardship")
        TRANSFORMATION = "transformation", _("Transformation")

    class JoinPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone can join")
        APPROVAL = "approval", _("Approval by a facilitator")
        INVITE = "invite", _("Invitation only")

    class Visibility(models.TextChoices):
        # Public: anyone may read along from a shared link, without signing in (never
        # for confidential communities: the constraint below and the access rules).
        PUBLIC = "public", _("Everyone may read along, without signing in")
        SIGNED_IN = "signed_in", _("Readable by every signed-in user")
        MEMBERS = "members", _("Members only")

    class Language(models.TextChoices):
        NL = "nl", _("Dutch")
        EN = "en", _("English")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name in the address"), max_length=60, unique=True)
    focus = models.TextField(_("focus"), help_text=_("What the community does together."))
    urgency = models.TextField(_("urgency"), help_text=_("Why this matters now."))
    member_value = models.TextField(_("what's in it for members"))
    charter = models.TextField(
        _("way of working"),
        blank=True,
        help_text=_("What members share, what stays inside, how they treat each other."),
    )
    charter_version = models.PositiveIntegerField(default=1)
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.POTENTIAL
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.NL
    )
    is_listed = models.BooleanField(_("listed in the directory"), default=True)
    join_policy = models.CharField(
        _("who can join"), max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.OPEN
    )
    visibility = models.CharField(
        _("who can read"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    allow_indexing = models.BooleanField(
        _("search engines may index its public pages"),
        default=False,
        help_text=_(
            "Only for communities everyone may read along; otherwise pages stay unindexed."
        ),
    )
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Members only; never in emails, feeds or exports to anyone else."),
    )
    # Off by default: others build on what was written (answers, knowledge pages), so a
    # member who deletes their account keeps their posts as a former member's unless
    # the community has agreed otherwise in its way of working.
    erasure_removes_posts = models.BooleanField(
        _("deleted accounts may take their posts"),
        default=False,
        help_text=_(
            "A member who deletes their account may have their threads and replies here "
            "removed. Otherwise they stay, shown as written by a former member."
        ),
    )
    sponsors = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="sponsored",
        verbose_name=_("sponsoring organisations"),
    )
    created_at = models.DateTimeField(default=timezone.now)
    stage_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            # A confidential community is never readable by non-members.
            models.CheckConstraint(
                condition=~models.Q(is_confidential=True, visibility__in=["signed_in", "public"]),
                name="communities_confidential_is_members_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", kwargs={"slug": self.slug})

    @property
    def is_members_only(self) -> bool:
        return self.is_confidential or self.visibility == self.Visibility.MEMBERS

    @property
    def is_indexable(self) -> bool:
        """Search engines may index its pages: open to the public and opted in."""
        return (
            self.allow_indexing
            and self.visibility == self.Visibility.PUBLIC
            and self.is_listed
            and not self.is_confidential
        )

    @property
    def stage_plain_display(self) -> str:
        """The stage in the words members see (the theory's names are for facilitators)."""
        return str(STAGE_PLAIN_WORDS.get(self.stage, self.get_stage_display()))


StrOrPromise = str | Promise

# The stage as members read it: plain words, not the theory's names (those stay in the
# facilitators' console, with a one-line explanation, facilitation/playbook.py).
STAGE_PLAIN_WORDS: dict[str, StrOrPromise] = {
    Community.Stage.POTENTIAL: _("Just starting"),
    Community.Stage.COALESCING: _("New community"),
    Community.Stage.MATURING: _("Growing"),
    Community.Stage.STEWARDSHIP: _("Established"),
    Community.Stage.TRANSFORMATION: _("Changing course"),
}


# Fixed paths under /communities/ that a community's slug must not take.
RESERVED_SLUGS = frozenset({"new", "mine", "invitations", "people", "requests", "proposals"})

# What a community's facilitators may change in its settings: the settings form shows
# these fields and `community_update` accepts only these.
COMMUNITY_SETTINGS_FIELDS: tuple[str, ...] = (
    "name",
    "focus",
    "urgency",
    "member_value",
    "charter",
    "language",
    "join_policy",
    "visibility",
    "is_listed",
    "is_confidential",
    "erasure_removes_posts",
    "allow_indexing",
)


class Membership(models.Model):
    class Role(models.IntegerChoices):
        # Ordered: a higher role may do what a lower one may. Sponsors are a side role,
        # handled explicitly in communities.permissions.
        SPONSOR = 5, _("Sponsor")
        MEMBER = 10, _("Member")
        CORE = 20, _("Core member")
        FACILITATOR = 30, _("Facilitator")

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        REQUESTED = "requested", _("Requested")
        ACTIVE = "active", _("Active")
        DECLINED = "declined", _("Declined")
        LEFT = "left", _("Left")
        REMOVED = "removed", _("Removed")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.PositiveSmallIntegerField(choices=Role.choices, default=Role.MEMBER)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACTIVE)
    charter_version_accepted = models.PositiveIntegerField(null=True, blank=True)
    charter_accepted_at = models.DateTimeField(null=True, blank=True)
    request_message = models.TextField(_("message to the facilitators"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], name="communities_one_membership"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "state"]),
            # Member counts per community read from the index alone (the directory).
            models.Index(fields=["community", "state"], name="membership_community_state"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.get_role_display()})"

    @property
    def needs_charter_acceptance(self) -> bool:
        """True when the charter changed since this member last accepted it."""
        return self.charter_version_accepted != self.community.charter_version


class StageChange(models.Model):
    """The community's stage history, kept as facilitators move it."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(max_length=20, choices=Community.Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Community.Stage.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self) -> str:
        return f"{self.community}: {self.from_stage} -> {self.to_stage}"


class Invitation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    # Stored as a SHA-256 digest: a database leak must not hand out working links.
    token_hash = models.CharField(max_length=64, unique=True)
    message = models.TextField(_("personal message"), blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_sent_at = models.DateTimeField(default=timezone.now)
    send_count = models.PositiveSmallIntegerField(default=1)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            # One open invitation per address per community.
            models.UniqueConstraint(
                "community",
                Lower("email"),
                condition=models.Q(state="pending"),
                name="communities_one_pending_invitation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.community}"

    def is_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at


class AuditEvent(models.Model):
    """Who changed what about a community and its memberships, for facilitators and
    site admins. Rows are only ever added."""

    class Action(models.TextChoices):
        COMMUNITY_CREATED = "community_created", _("created the community")
        COMMUNITY_UPDATED = "community_updated", _("changed the community settings")
        CHARTER_CHANGED = "charter_changed", _("changed the way of working")
        STAGE_CHANGED = "stage_changed", _("moved the community to another stage")
        JOINED = "joined", _("joined")
        REQUESTED = "requested", _("asked to join")
        APPROVED = "approved", _("approved a request")
        DECLINED = "declined", _("declined a request")
        INVITED = "invited", _("invited someone")
        INVITATION_RESENT = "invitation_resent", _("resent an invitation")
        INVITATION_REVOKED = "invitation_revoked", _("revoked an invitation")
        INVITATION_ACCEPTED = "invitation_accepted", _("accepted an invitation")
        ROLE_CHANGED = "role_changed", _("changed a role")
        REMOVED = "removed", _("removed a member")
        LEFT = "left", _("left")
        CHARTER_ACCEPTED = "charter_accepted", _("accepted the way of working")
        POST_HIDDEN = "post_hidden", _("hid a post")
        POST_UNHIDDEN = "post_unhidden", _("showed a hidden post again")
        POST_DELETED = "post_deleted", _("deleted a post")
        POST_RESTORED = "post_restored", _("restored a deleted post")
        THREAD_LOCKED = "thread_locked", _("locked a thread")
        THREAD_UNLOCKED = "thread_unlocked", _("unlocked a thread")
        THREAD_PINNED = "thread_pinned", _("pinned a thread")
        THREAD_UNPINNED = "thread_unpinned", _("unpinned a thread")
        THREAD_MOVED = "thread_moved", _("moved a thread")
        MEMBER_MUTED = "member_muted", _("muted a member")
        MEMBER_UNMUTED = "member_unmuted", _("ended a member's mute")
        FLAG_RESOLVED = "flag_resolved", _("handled a flag")
        ANSWER_ASKED = "answer_asked", _("asked a member to answer a question")
        MEMBERS_NUDGED = "members_nudged", _("sent quiet members a personal note")
        # The facilitator console's acts (facilitation): never the note's text.
        THREAD_SEEDED = "thread_seeded", _("started a thread from a template")
        NOTE_ADDED = "note_added", _("added a facilitator note")
        NOTE_EDITED = "note_edited", _("changed a facilitator note")
        NOTE_DELETED = "note_deleted", _("deleted a facilitator note")
        PLAYBOOK_TICKED = "playbook_ticked", _("ticked off a step of the playbook")
        PLAYBOOK_UNTICKED = "playbook_unticked", _("unticked a step of the playbook")
        MEETING_PLANNED = "meeting_planned", _("planned a meeting")
        MEETING_CHANGED = "meeting_changed", _("changed a meeting")
        MEETING_CANCELLED = "meeting_cancelled", _("cancelled a meeting")
        MEETING_OUTPUT = "meeting_output", _("added a meeting output")
        MEETING_FILE_ADDED = "meeting_file_added", _("added a file to a meeting")
        MEETING_FILE_REMOVED = "meeting_file_removed", _("removed a file from a meeting")
        OUTPUTS_SENT = "outputs_sent", _("sent a meeting's outputs to the members")
        ATTENDANCE_MARKED = "attendance_marked", _("marked who attended a meeting")
        TOPIC_TAKEN_UP = "topic_taken_up", _("took up a topic proposal")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=30, choices=Action.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Addresses (invitations) and old/new values; never message bodies.
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.community}: {self.action}"


# --- communities grow from below -------------------------------------------------------------


class CommunityProposal(models.Model):
    """A member's idea for a new community, which others may support ("I'd join") and a
    site admin (or enough supporters, settings.COP_PROPOSAL_FOUND_AT) turns into one."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        FOUNDED = "founded", _("Became a community")
        CLOSED = "closed", _("Closed")

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="community_proposals",
    )
    name = models.CharField(_("name"), max_length=120)
    focus = models.TextField(
        _("focus"), max_length=2000, help_text=_("What would the community do together?")
    )
    urgency = models.TextField(
        _("urgency"), max_length=2000, help_text=_("Why does it matter now?")
    )
    member_value = models.TextField(_("what's in it for members"), max_length=2000)
    who_else = models.TextField(
        _("who else should be in it"),
        max_length=2000,
        blank=True,
        help_text=_("Roles, organisations or people who already do this."),
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    community = models.ForeignKey(
        Community, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.TextField(_("reason"), max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("community proposal")
        verbose_name_plural = _("community proposals")
        indexes = [models.Index(fields=["state", "-created_at"], name="proposal_state_created")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:proposal", kwargs={"community_proposal_id": self.pk})

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ProposalSupport(models.Model):
    """One person's "I'd join" for a proposal."""

    proposal = models.ForeignKey(
        CommunityProposal, on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proposal supporter")
        verbose_name_plural = _("proposal supporters")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "user"], name="proposal_one_support"),
        ]

    def __str__(self) -> str:
        return f"{self.user} supports {self.proposal}"


class ProposalEvent(models.Model):
    """The audit log of proposals (a proposal has no community yet, so it cannot use
    AuditEvent). Rows are only ever added; never texts."""

    class Action(models.TextChoices):
        PROPOSED = "proposed", _("proposed a community")
        FOUNDED = "founded", _("turned the proposal into a community")
        CLOSED = "closed", _("closed the proposal")

    proposal = models.ForeignKey(CommunityProposal, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")

    def __str__(self) -> str:
        return f"{self.proposal}: {self.action}"
