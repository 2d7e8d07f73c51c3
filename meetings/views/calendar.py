"""Personal calendar feeds, one-click answers from emails, and the outputs search."""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meetings.forms import FeedForm
from meetings.ics import calendar_bytes
from meetings.links import BadLink
from meetings.permissions import feed_meetings
from meetings.selectors import feed_entries, feed_owner, has_live_feed, output_search
from meetings.services.calendar import (
    calendar_feed_create,
    calendar_feed_revoke,
    rsvp_by_link,
    rsvp_link_check,
)
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def calendar_feed_settings_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    token = None
    if request.method == "POST":
        form = FeedForm(request.POST)
        if not form.is_valid():
            return HttpResponse(status=400)
        if form.cleaned_data["action"] == "create":
            token = calendar_feed_create(user=request.user)
        else:
            calendar_feed_revoke(user=request.user)
    context = {
        "feed_url": request.build_absolute_uri(
            reverse("meetings:calendar-feed", kwargs={"token": token})
        )
        if token
        else None,
        "has_feed": has_live_feed(request.user),
    }
    return render(request, "meetings/calendar_feed.html", context)


@login_not_required
@require_GET
@rate_limit("calendar_feed", key="ip", methods=("GET", "HEAD"))
def calendar_feed_view(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    # Calendar clients fetch without a session: the secret address is the login, and
    # which meetings it lists is decided now, from the owner's current memberships.
    user = feed_owner(token)
    if user is None:
        raise Http404
    entries = feed_entries(user, feed_meetings(user))
    body = calendar_bytes(entries, name=_("My meetings"))
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


@login_not_required
@require_http_methods(["GET", "POST"])
@rate_limit("email_link", key="ip", methods=("GET", "HEAD", "POST"))
def rsvp_link_view(request: AuthenticatedHttpRequest, token: str) -> HttpResponse:
    """A one-click answer from an email: GET asks to confirm (mail scanners open links),
    POST answers. No login needed for this one action."""
    try:
        meeting, user, answer = rsvp_link_check(token)
        if request.method == "POST":
            rsvp = rsvp_by_link(token=token)
            context = {"meeting": meeting, "rsvp": rsvp, "done": True}
            return render(request, "meetings/rsvp_link.html", context)
    except BadLink as error:
        return render(
            request, "meetings/rsvp_link_invalid.html", {"reason": error.reason}, status=400
        )
    context = {"meeting": meeting, "answer": answer, "person": user, "done": False}
    return render(request, "meetings/rsvp_link.html", context)


@require_GET
def meeting_search_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = list(output_search(request.user, query)) if query else []
    return render(request, "meetings/search.html", {"query": query, "results": results})


urlpatterns = [
    path("calendar/", calendar_feed_settings_view, name="calendar-feed-settings"),
    path("calendar/<str:token>.ics", calendar_feed_view, name="calendar-feed"),
    path("rsvp/<str:token>/", rsvp_link_view, name="rsvp-link"),
    path("meetings/search/", meeting_search_view, name="search"),
]
