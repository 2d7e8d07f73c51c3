import zoneinfo
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones())]


class Organization(models.Model):
    """An organisation members work for; communities often span competing ones."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PUBLIC = "public", _("Public body")
        HEALTHCARE = "healthcare", _("Healthcare provider")
        EDUCATION = "education", _("Education or research")
        NONPROFIT = "nonprofit", _("Non-profit")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=160, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    # A name typed by one member is not shown to others as a choice: it may come from a
    # confidential community. Site admins list the organisations everyone may pick.
    is_listed = models.BooleanField(
        _("offered to everyone"),
        default=False,
        help_text=_("Listed organisations are offered as a choice on every profile form."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            # Login is by emailed code; a password can be set later.
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username: str | None) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Email is the login identifier; nobody has or sees a username."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=80, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("organisation"),
    )
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    bio = models.TextField(_("about me"), max_length=1000, blank=True)
    avatar = models.ImageField(_("photo"), upload_to="avatars/", blank=True)
    expertise = TaggableManager(
        verbose_name=_("expertise"),
        through="TaggedExpertise",
        related_name="experts",
        blank=True,
        help_text=_("What you know about and could help others with."),
    )
    interests = TaggableManager(
        verbose_name=_("interests"),
        through="TaggedInterest",
        related_name="interested",
        blank=True,
        help_text=_("What you want to learn more about."),
    )
    # Who may see each optional profile field; missing keys mean the default
    # (people who share a community with this person). See members.permissions.
    field_visibility = models.JSONField(_("who sees what"), default=dict, blank=True)
    is_staff = models.BooleanField(_("site admin"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # Case-insensitive uniqueness: Ann@x.nl and ann@x.nl are one person.
            models.UniqueConstraint(Lower("email"), name="members_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """What others see: the display name, else the part of the address before the @."""
        return self.name_from(self.display_name, self.email)

    @staticmethod
    def name_from(display_name: str, email: str) -> str:
        """`name` from the two columns, for lists that read them without a User object."""
        return display_name or email.split("@", 1)[0]

    def get_short_name(self) -> str:
        return self.name

    def get_full_name(self) -> str:
        return self.name


class TaggedExpertise(TaggedItemBase):
    content_object = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="expertise_items"
    )

    class Meta:
        verbose_name = _("expertise tag")
        verbose_name_plural = _("expertise tags")


class TaggedInterest(TaggedItemBase):
    content_object = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="interest_items"
    )

    class Meta:
        verbose_name = _("interest tag")
        verbose_name_plural = _("interest tags")


def export_path(instance: "DataExport", filename: str) -> str:
    # A random name, never the person's: the file is served only through the owner's
    # download view, and the name must not say whose data it holds.
    return f"exports/{instance.storage_name}.zip"


class DataExport(models.Model):
    """A zip of everything the platform holds about one person, built by a task
    (`members.build_export`) and downloadable by its owner until `expires_at`."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting")
        BUILDING = "building", _("Being made")
        READY = "ready", _("Ready")
        EXPIRED = "expired", _("Expired")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    # How many of the registered parts are written, for the progress page.
    parts_done = models.PositiveSmallIntegerField(default=0)
    parts_total = models.PositiveSmallIntegerField(default=0)
    storage_name = models.CharField(max_length=64, editable=False)
    file = models.FileField(upload_to=export_path, max_length=200, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == self.State.READY:
            return 100
        return int(100 * self.parts_done / self.parts_total) if self.parts_total else 0

    def is_downloadable(self, now: datetime) -> bool:
        return (
            self.state == self.State.READY
            and bool(self.file.name)
            and self.expires_at is not None
            and now < self.expires_at
        )


class PrivacyEvent(models.Model):
    """The audit of an account's sensitive changes, for site admins: exports,
    erasures and second factors added, removed or renewed. Who (an account number, not
    a foreign key, so the row outlives the account it names) and when. It holds no
    personal content: after an erasure the number names nobody."""

    class Kind(models.TextChoices):
        EXPORT_REQUESTED = "export_requested", _("Export requested")
        EXPORT_READY = "export_ready", _("Export made")
        EXPORT_DOWNLOADED = "export_downloaded", _("Export downloaded")
        ERASED = "erased", _("Account erased")
        SECOND_FACTOR_ADDED = "mfa_added", _("Second factor added")
        SECOND_FACTOR_REMOVED = "mfa_removed", _("Second factor removed")
        RECOVERY_CODES_RENEWED = "mfa_codes_renewed", _("Recovery codes renewed")

    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    account_id = models.PositiveBigIntegerField(_("account number"))
    at = models.DateTimeField(_("when"), default=timezone.now)
    # Erasures only: whether the person's posts were kept (as a former member's) or
    # removed where the community allows it.
    posts_removed = models.BooleanField(_("posts removed"), default=False)

    class Meta:
        verbose_name = _("privacy event")
        verbose_name_plural = _("privacy events")
        ordering = ["-at"]
        indexes = [models.Index(fields=["account_id", "-at"], name="members_privacy_account")]

    def __str__(self) -> str:
        return f"{self.kind} {self.account_id} {self.at:%Y-%m-%d %H:%M}"
