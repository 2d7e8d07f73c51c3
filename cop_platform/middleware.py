"""Response headers every page carries, beside Django's SecurityMiddleware and
django-csp's CSPMiddleware."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class PermissionsPolicyMiddleware:
    """`Permissions-Policy` from settings.PERMISSIONS_POLICY ({feature: [origins]}; an
    empty list switches the feature off everywhere)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})"
            for feature, origins in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.setdefault("Permissions-Policy", self.header)
        return response


class PrivateCacheMiddleware:
    """`Cache-Control: private, no-store` on every response to a signed-in person.

    What a member sees may be confidential: it must sit neither in a shared cache nor in
    the back-button cache of a shared device. A view that chose a private cache policy
    itself (photos and attachments: `private, max-age=...`, kept by that browser only)
    keeps it. Static files never get here (WhiteNoise answers them first), and pages for
    anonymous visitors keep whatever caching they had.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            current = response.get("Cache-Control", "")
            if "private" not in current or "public" in current:
                response["Cache-Control"] = "private, no-store"
                response.headers.pop("Expires", None)
        return response
