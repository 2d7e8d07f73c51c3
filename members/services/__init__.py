"""Writes on people and their accounts: `accounts` (preferences, profile, sign-up
clean-up) and `privacy` (data export and erasure). Callers import from here."""

from members.services.accounts import (
    organization_get_or_create,
    user_for_proven_address,
    user_set_language,
    user_update_preferences,
    user_update_profile,
    users_purge_unverified,
)
from members.services.privacy import (
    export_build,
    export_record_download,
    export_request,
    exports_purge_expired,
    member_erase,
)

__all__ = [
    "export_build",
    "export_record_download",
    "export_request",
    "exports_purge_expired",
    "member_erase",
    "organization_get_or_create",
    "user_for_proven_address",
    "user_set_language",
    "user_update_preferences",
    "user_update_profile",
    "users_purge_unverified",
]
