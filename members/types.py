"""Types shared by every app's views and permissions."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from members.models import User

# Whoever is looking: permission functions answer for anonymous visitors too.
Viewer = User | AnonymousUser


class AuthenticatedHttpRequest(HttpRequest):
    """A request that LoginRequiredMiddleware let through: the user is signed in."""

    user: User
    htmx: HtmxDetails
