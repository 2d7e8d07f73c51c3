"""Two-factor authentication (allauth.mfa) as the communities need it: who must use it,
the middleware that sends them to set it up, and allauth's MFA adapter.

Site admins see every community, and a facilitator of a confidential community sees
what competing organisations share there: a stolen sign-in code or session must not be
enough for them. With `COP_MFA_REQUIRED_FOR_STAFF` on, such a person who has no
authenticator yet is sent to the set-up page before anything else (the admin included),
and cannot remove the authenticator they rely on. Everyone else may set it up from
their account page.
"""

from collections.abc import Callable

from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from communities.models import Community
from communities.permissions import access_of
from members.types import Viewer

# Second factors that sign in; recovery codes only stand in for a lost one.
SIGN_IN_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
SET_UP_URL_NAME = "mfa_activate_totp"
# Pages a person who must set up two factors can still reach: the set-up itself, the
# recovery codes it leads to, confirming who they are for it, their own addresses (an
# unverified one blocks the set-up), logging out, and the few pages that show nothing
# of a community.
ALLOWED_URL_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "account_email",
        "account_confirm_email",
        "account_email_verification_sent",
        "members:language-set",
        "privacy",
        "health",
    }
)


def mfa_required_for(user: Viewer) -> bool:
    """Whether the user must use two factors: site admins, and facilitators of a
    confidential community. Costs no query for members who facilitate nothing, nor
    for facilitators of open communities only (their ids are in the access object);
    one query for other facilitators."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    access = access_of(user)
    # Open communities are never confidential (communities.permissions.OPEN_TO_SIGNED_IN).
    unknown = access.manages - access.open
    if not unknown:
        return False
    return Community.objects.filter(pk__in=sorted(unknown), is_confidential=True).exists()


def has_second_factor(user: AbstractBaseUser) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SIGN_IN_FACTORS).exists()


def _used_second_factor(request: HttpRequest) -> bool:
    """Whether this session was signed in (or confirmed) with a second factor: then the
    user has one, and no query need ask."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class MFARequiredMiddleware:
    """Send a signed-in person who must use two factors (`mfa_required_for`) and has
    none to the authenticator set-up page, whatever they asked for. htmx requests get a
    client redirect, so the page itself moves. Off with COP_MFA_REQUIRED_FOR_STAFF."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._must_set_up(request):
            messages.warning(
                request,
                _(
                    "As a site admin or facilitator of a confidential community you log in"
                    " in two steps. Set up an authenticator app first; then you can go on."
                ),
            )
            if request.headers.get("HX-Request") == "true":
                return HttpResponseClientRedirect(reverse(SET_UP_URL_NAME))
            return redirect(SET_UP_URL_NAME)
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request: HttpRequest) -> bool:
        user = request.user
        if not settings.COP_MFA_REQUIRED_FOR_STAFF or not user.is_authenticated:
            return False
        # Cheapest first: most people are neither admins nor facilitators.
        if not (user.is_staff or user.is_superuser or access_of(user).manages):
            return False
        if _used_second_factor(request):
            return False
        try:
            name = resolve(request.path_info).view_name
        except Resolver404:
            return False  # the 404 page shows nothing
        if name in ALLOWED_URL_NAMES:
            return False
        return mfa_required_for(user) and not has_second_factor(user)


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_issuer(self) -> str:
        """The name the authenticator app shows next to the codes."""
        return str(settings.COP_SITE_NAME)

    def build_totp_svg(self, url: str) -> str:
        """The QR code as an <svg> element to place in the page (the XML declaration
        would be stray text there)."""
        svg = super().build_totp_svg(url)
        return svg[svg.index("<svg") :]

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Whoever must use two factors keeps their authenticator app while the rule
        holds; they may replace it by deactivating only after the rule is lifted."""
        if authenticator.type not in SIGN_IN_FACTORS or not settings.COP_MFA_REQUIRED_FOR_STAFF:
            return True
        user = authenticator.user
        others = Authenticator.objects.filter(user_id=user.pk, type__in=SIGN_IN_FACTORS).exclude(
            pk=authenticator.pk
        )
        return others.exists() or not mfa_required_for(user)
