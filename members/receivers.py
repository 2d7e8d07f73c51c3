"""Receivers of allauth's signals (not signals of our own: members/signals.py holds the
one the platform sends) (the house rules allow hooking third-party signals to
call into the library or a service, nothing more)."""

from typing import Any

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest

from members.models import PrivacyEvent, User


def authenticator_app_confirmed(
    *, request: HttpRequest | None, user: User, authenticator: Authenticator, **_: Any
) -> None:
    """Turning the authenticator app on takes a code from it: record that in the session
    as a use of the second factor, so the recovery codes shown next need no second code
    and the two-factor rule (communities.mfa) sees this session as signed in with it."""
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type="totp", reauthenticated=True
    )


def authenticator_change_audited(
    *, signal: Any, user: User, authenticator: Authenticator, **_: Any
) -> None:
    """A second factor added, removed or renewed goes into the account audit that site
    admins read (the kind of change only: never a secret or a code)."""
    from allauth.mfa import signals

    from members.services.privacy import account_event_record

    kind = {
        signals.authenticator_added: PrivacyEvent.Kind.SECOND_FACTOR_ADDED,
        signals.authenticator_removed: PrivacyEvent.Kind.SECOND_FACTOR_REMOVED,
        signals.authenticator_reset: PrivacyEvent.Kind.RECOVERY_CODES_RENEWED,
    }[signal]
    account_event_record(user=user, kind=kind)
