from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
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
    is_confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Members only; never in emails, feeds or exports to anyone else."),
    )
    sponsors = models.ManyToManyField(
        Organization,
        blank=True,
        related_name="sponsored",
        verbose_name=_("sponsoring organisations"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        constraints = [
            # A confidential community is never readable by non-members.
            models.CheckConstraint(
                condition=~models.Q(is_confidential=True, visibility="signed_in"),
                name="communities_confidential_is_members_only",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("communities:detail", kwargs={"slug": self.slug})


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
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["community", "user"], name="communities_one_membership"
            ),
        ]
        indexes = [models.Index(fields=["user", "state"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.get_role_display()})"
