import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class UserPreferencesMiddleware:
    """Show a signed-in person the site in their own language and time zone.

    Runs after AuthenticationMiddleware; LocaleMiddleware has already picked a language
    from the cookie or browser for anonymous visitors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class SessionRenewalMiddleware:
    """Start a signed-in person's session lifetime (SESSION_COOKIE_AGE) again on their
    first request of each day, so a member who keeps coming back stays signed in, at
    the cost of one session write a day instead of one per request. Off with
    SESSION_RENEW_ON_USE = False."""

    KEY = "renewed_on"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(settings, "SESSION_RENEW_ON_USE", False):
            return response
        user = getattr(request, "user", None)
        session = getattr(request, "session", None)
        if user is None or session is None or not user.is_authenticated:
            return response
        today = timezone.now().date().isoformat()
        # Setting the value marks the session modified: SessionMiddleware then saves it
        # and sends the cookie with a new expiry.
        if session.get(self.KEY) != today:
            session[self.KEY] = today
        return response
