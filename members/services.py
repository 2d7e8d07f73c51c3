"""Writes on people and their accounts."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from members.models import User


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
