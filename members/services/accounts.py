"""Writes on people and their accounts."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.db.models.functions import Lower
from django.utils import timezone
from taggit.models import Tag

from members.images import RenderedAvatar
from members.models import Organization, User
from members.permissions import PROFILE_FIELDS, FieldVisibility


@transaction.atomic
def user_update_preferences(
    *, user: User, display_name: str, language: str, time_zone: str
) -> User:
    """Save what the account page edits. Values are validated by the form."""
    user.display_name = display_name.strip()
    user.language = language
    user.time_zone = time_zone
    user.save(update_fields=["display_name", "language", "time_zone"])
    return user


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    """Remember the language chosen in the switcher, so emails use it too."""
    if user.language != language:
        user.language = language
        user.save(update_fields=["language"])


@transaction.atomic
def users_purge_unverified(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete sign-ups that never verified their address and never had a password.

    Idempotent. Returns how many were deleted. Accounts with any verified address,
    staff accounts and accounts with a usable password are never touched.
    """
    from allauth.account.models import EmailAddress

    cutoff = timezone.now() - older_than
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    candidates = User.objects.filter(
        date_joined__lt=cutoff, is_staff=False, is_superuser=False, last_login__isnull=True
    ).exclude(Exists(verified))
    ids = [u.pk for u in candidates.only("pk", "password") if not u.has_usable_password()]
    deleted, _ = User.objects.filter(pk__in=ids).delete()
    return len(ids) if deleted else 0


def _clean_name(name: str) -> str:
    return " ".join(name.split())


@transaction.atomic
def organization_get_or_create(*, name: str, kind: str = Organization.Kind.OTHER) -> Organization:
    """The organisation called `name`, matched case-insensitively and ignoring extra
    spaces, or a new one of `kind` when there is none. Anyone signed in may add one."""
    clean = _clean_name(name)
    if not clean:
        raise ValueError("An organisation needs a name.")
    existing = Organization.objects.filter(name__iexact=clean).order_by("pk").first()
    if existing is not None:
        return existing
    organization, _created = Organization.objects.get_or_create(name=clean, defaults={"kind": kind})
    return organization


def _tags_resolve(names: Iterable[str]) -> list[Tag]:
    """Existing tags for the names, matched case-insensitively, so "Python" and
    "python" stay one tag (and one match in the expert finder); new ones created."""
    wanted: dict[str, str] = {}
    for name in names:
        clean = _clean_name(name)
        if clean:
            wanted.setdefault(clean.lower(), clean)
    found: dict[str, Tag] = {}
    for tag in Tag.objects.annotate(key=Lower("name")).filter(key__in=list(wanted)).order_by("pk"):
        found.setdefault(tag.key, tag)
    return [
        found.get(key) or Tag.objects.get_or_create(name=name)[0] for key, name in wanted.items()
    ]


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    display_name: str,
    organization: Organization | None,
    job_title: str,
    bio: str,
    expertise: Sequence[str],
    interests: Sequence[str],
    visibility: Mapping[str, str],
    new_organization: str = "",
    new_organization_kind: str = Organization.Kind.OTHER,
    avatar: RenderedAvatar | None = None,
    remove_avatar: bool = False,
) -> User:
    """Save what the profile page edits; only the person themselves calls this.

    Values are validated by the form; visibility levels are checked here (ValueError
    for an unknown field or level). A `new_organization` name replaces `organization`:
    an existing one is matched case-insensitively, or one is added. A new photo is
    stored under a fresh random name and replaces the old one, whose file is deleted
    once the change is committed.
    """
    for field, level in visibility.items():
        if field not in PROFILE_FIELDS or level not in FieldVisibility.values:
            raise ValueError(f"{field}={level}")
    current = user.field_visibility if isinstance(user.field_visibility, dict) else {}
    user.field_visibility = {**current, **visibility}
    user.display_name = display_name.strip()
    if _clean_name(new_organization):
        organization = organization_get_or_create(name=new_organization, kind=new_organization_kind)
    user.organization = organization
    user.job_title = job_title.strip()
    user.bio = bio.strip()
    old_avatar = user.avatar.name or ""
    if avatar is not None:
        user.avatar.name = user.avatar.storage.save(
            avatar.storage_name(), ContentFile(avatar.content)
        )
    elif remove_avatar:
        user.avatar.name = ""
    user.save(
        update_fields=[
            "display_name",
            "organization",
            "job_title",
            "bio",
            "avatar",
            "field_visibility",
        ]
    )
    user.expertise.set(_tags_resolve(expertise))
    user.interests.set(_tags_resolve(interests))
    if old_avatar and old_avatar != user.avatar.name:
        storage = user.avatar.storage
        transaction.on_commit(lambda: storage.delete(old_avatar))
    return user


@transaction.atomic
def user_for_proven_address(
    *, email: str, display_name: str = "", language: str = ""
) -> tuple[User, bool]:
    """The account of an address whose owner just proved it by following a link sent to
    it (an invitation), created when there is none; the address is marked verified in
    allauth, so no second email with a code is needed. Returns (user, created)."""
    from allauth.account.models import EmailAddress

    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address).first()
    if user is None:
        known = (
            EmailAddress.objects.filter(email__iexact=address, verified=True)
            .select_related("user")
            .first()
        )
        user = known.user if known is not None else None
    created = user is None
    if user is None:
        user = User.objects.create_user(
            email=address,
            display_name=_clean_name(display_name),
            **({"language": language} if language else {}),
        )
    row = EmailAddress.objects.filter(user=user, email__iexact=address).first()
    if row is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(
            user=user, email=address, verified=True, primary=not has_primary
        )
    elif not row.verified:
        row.verified = True
        row.save(update_fields=["verified"])
    return user, created
