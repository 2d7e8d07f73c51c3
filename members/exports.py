"""The members app's own part of the data export (registered in MembersConfig.ready()):
the account, its addresses, its profile tags and photo, and its privacy audit."""

from collections.abc import Iterable

from django.apps import apps
from django.db.models.fields.files import FieldFile

from members.models import DataExport, PrivacyEvent, User
from members.privacy import Row, labelled_rows, register_exporter, register_not_personal


def account_rows(user: User) -> list[Row]:
    from allauth.account.models import EmailAddress

    return [
        {
            "id": user.pk,
            "email": user.email,
            "display_name": user.display_name,
            "language": user.language,
            "time_zone": user.time_zone,
            "organization": user.organization.name if user.organization_id else "",  # type: ignore[union-attr]
            "job_title": user.job_title,
            "bio": user.bio,
            "expertise": sorted(user.expertise.names()),
            "interests": sorted(user.interests.names()),
            "who_sees_what": user.field_visibility,
            "has_photo": bool(user.avatar.name),
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "site_admin": user.is_staff,
            "groups": sorted(user.groups.values_list("name", flat=True)),
            "permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
            "email_addresses": list(
                EmailAddress.objects.filter(user=user)
                .order_by("pk")
                .values("email", "verified", "primary")
            ),
        }
    ]


def account_files(user: User) -> Iterable[tuple[str, FieldFile]]:
    if user.avatar.name:
        yield user.avatar.name, user.avatar


def privacy_rows(user: User) -> list[Row]:
    exports = DataExport.objects.filter(user=user).order_by("pk")
    events = PrivacyEvent.objects.filter(account_id=user.pk).order_by("pk")
    return [
        *({"export": e.pk, "state": e.state, "created_at": e.created_at} for e in exports),
        *({"event": e.kind, "at": e.at} for e in events),
    ]


def sign_in_rows(user: User) -> list[Row]:
    """How the person signs in besides the emailed code: their second factors (the
    kind and dates, never a secret or a recovery code) and linked organisation
    accounts (the provider and the id it gave, not the raw claims)."""
    from allauth.mfa.models import Authenticator

    rows = labelled_rows(
        Authenticator.objects.filter(user=user),
        "type",
        "created_at",
        "last_used_at",
        label="second_factor",
    )
    if apps.is_installed("allauth.socialaccount"):  # only when SSO is configured
        from allauth.socialaccount.models import SocialAccount

        rows += labelled_rows(
            SocialAccount.objects.filter(user=user),
            "provider",
            "uid",
            "date_joined",
            "last_login",
            label="organisation_sign_in",
        )
    return rows


def register() -> None:
    register_exporter(
        "sign_in",
        fields=["mfa.Authenticator.user", "socialaccount.SocialAccount.user"],
        rows=sign_in_rows,
    )
    register_exporter(
        "account",
        fields=[
            "members.User.groups",
            "members.User.user_permissions",
            "members.TaggedExpertise.content_object",
            "members.TaggedInterest.content_object",
            "account.EmailAddress.user",
        ],
        rows=account_rows,
        files=account_files,
    )
    register_exporter(
        "privacy",
        fields=["members.DataExport.user", "members.PrivacyEvent.account_id"],
        rows=privacy_rows,
    )
    register_not_personal(
        "taggit.TaggedItem.content_object",
        "taggit's generic tags of posts; people's tags are members.TaggedExpertise and "
        "members.TaggedInterest, exported with the account",
    )
    register_not_personal(
        "admin.LogEntry.user",
        "the admin site's record of a site admin's edits to other records; deleted with "
        "the account",
    )
