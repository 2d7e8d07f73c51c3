"""allauth's social account adapter, for single sign-on through the organisation's
OpenID Connect provider. Imported only when SSO is configured (COP_OIDC_SERVER_URL):
allauth.socialaccount is installed only then."""

from typing import Any

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest

from members.models import User


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request: HttpRequest, sociallogin: SocialLogin, data: dict) -> Any:
        """A new account from the provider starts with the name it gives (the person
        can change it); the address comes from allauth."""
        user: User = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip()
        if not name:
            name = " ".join(p for p in (data.get("first_name"), data.get("last_name")) if p)
        user.display_name = name[: User._meta.get_field("display_name").max_length]
        return user
