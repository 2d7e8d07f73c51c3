"""Capture where value happens: "This helped" (one tap), "I'll use this" (pick the kind
of gain), "I used this" (what changed), on replies, threads, knowledge pages and
meetings (a meeting's "what will you do with this?" is its "I'll use this"). Plain POST
forms; they work without JavaScript."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.models import Community
from discussions.permissions import get_reply_for_user_or_404, get_thread_for_user_or_404
from discussions.selectors.knowledge import knowledge_page_get
from meetings.permissions import get_meeting_for_user_or_404
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest
from value_cycles.forms import EventForm
from value_cycles.models import Cycle
from value_cycles.permissions import can_log_value
from value_cycles.services.events import Source, value_event_record

Located = tuple[Source, Community, str, str]


def _reply(request: AuthenticatedHttpRequest, reply_id: int) -> Located:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    return reply, reply.thread.community, reply.get_absolute_url(), reply.thread.title


def _thread(request: AuthenticatedHttpRequest, thread_id: int) -> Located:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    return thread, thread.community, thread.get_absolute_url(), thread.title


def _page(request: AuthenticatedHttpRequest, slug: str, page_slug: str) -> Located:
    page = knowledge_page_get(request.user, slug=slug, page_slug=page_slug)
    if page is None:
        raise Http404
    return page, page.community, page.get_absolute_url(), page.title


def _meeting(request: AuthenticatedHttpRequest, meeting_id: int) -> Located:
    meeting = get_meeting_for_user_or_404(request.user, meeting_id)
    return meeting, meeting.community, meeting.get_absolute_url(), meeting.title


def _may_log(request: AuthenticatedHttpRequest, located: Located) -> Located:
    if not can_log_value(request.user, located[1]):
        raise PermissionDenied
    return located


def _helped(request: AuthenticatedHttpRequest, located: Located) -> HttpResponse:
    source, community, back, _title = _may_log(request, located)
    event = value_event_record(
        member=request.user, community=community, cycle=Cycle.IMMEDIATE, source=source
    )
    messages.success(request, _("Noted: this helped you. Add a line why, if you like."))
    edit = reverse("value_cycles:event-edit", kwargs={"event_id": event.pk})
    return redirect(f"{edit}?{urlencode({'next': back})}")


def _form(request: AuthenticatedHttpRequest, located: Located, cycle: int) -> HttpResponse:
    source, community, back, title = _may_log(request, located)
    form = EventForm(request.POST if request.method == "POST" else None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        value_event_record(
            member=request.user,
            community=community,
            cycle=cycle,
            source=source,
            capital=form.cleaned_data.get("capital", ""),
            texts=form.texts(),
            tier=form.cleaned_data["tier"],
        )
        messages.success(
            request,
            _("Noted. In a few weeks you will be asked whether it made a difference.")
            if cycle == Cycle.POTENTIAL
            else _("Noted: you used this in your work. Thank you."),
        )
        return redirect(back)
    context = {"form": form, "cycle": cycle, "title": title, "back": back, "community": community}
    return render(request, "value_cycles/capture_form.html", context)


def _views(locate: Callable[..., Located], kind: str) -> list:  # type: ignore[type-arg]
    # Taps are cheap to send and each writes a row: one rule for all three (POSTs only).
    @require_POST
    @rate_limit("value_tap")
    def helped_view(request: AuthenticatedHttpRequest, **kwargs: object) -> HttpResponse:
        return _helped(request, locate(request, **kwargs))

    @require_http_methods(["GET", "POST"])
    @rate_limit("value_tap")
    def will_use_view(request: AuthenticatedHttpRequest, **kwargs: object) -> HttpResponse:
        return _form(request, locate(request, **kwargs), Cycle.POTENTIAL)

    @require_http_methods(["GET", "POST"])
    @rate_limit("value_tap")
    def used_view(request: AuthenticatedHttpRequest, **kwargs: object) -> HttpResponse:
        return _form(request, locate(request, **kwargs), Cycle.APPLIED)

    return [
        (f"{kind}-helped", helped_view),
        (f"{kind}-will-use", will_use_view),
        (f"{kind}-used", used_view),
    ]


def _patterns(prefix: str, locate: Callable[..., Located], kind: str) -> list:  # type: ignore[type-arg]
    suffixes = {"helped": "helped/", "will-use": "will-use/", "used": "used/"}
    return [
        path(f"{prefix}{suffixes[name.split('-', 1)[1]]}", view, name=name)
        for name, view in _views(locate, kind)
    ]


def safe_next(request: AuthenticatedHttpRequest, default: str) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


urlpatterns = [
    *_patterns("reply/<int:reply_id>/", _reply, "reply"),
    *_patterns("thread/<int:thread_id>/", _thread, "thread"),
    *_patterns("c/<slug:slug>/knowledge/<slug:page_slug>/", _page, "page"),
    *_patterns("meeting/<int:meeting_id>/", _meeting, "meeting"),
]
