"""Moderation pages: report a post, the facilitators' queue, and their actions on posts,
threads and members. Every action is a POST; services re-check and audit-log."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.models import Community
from communities.permissions import get_community_for_user_or_404, is_site_admin
from discussions.forms.moderation import (
    FlagForm,
    MuteForm,
    ReplyModerationForm,
    ThreadModerationForm,
    ThreadMoveForm,
)
from discussions.models import Reply, Thread
from discussions.permissions import (
    can_flag,
    can_moderate,
    get_reply_for_user_or_404,
    get_thread_for_user_or_404,
)
from discussions.selectors.moderation import (
    flag_get,
    flag_queue,
    member_get_for_moderation,
    mute_get_active,
    mute_list_for_community,
    thread_move_targets,
)
from discussions.services.moderation import (
    flag_create,
    flag_resolve,
    member_mute,
    member_unmute,
    post_set_hidden,
    thread_move,
    thread_set_locked,
    thread_set_pinned,
)
from discussions.views.common import thread_url
from members.models import User
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest

QUEUE_TEMPLATE = "discussions/moderation_queue.html"
PAGE_SIZE = 50


def _next_or(request: AuthenticatedHttpRequest, fallback: str) -> HttpResponse:
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = fallback
    return redirect(next_url)


def _moderated(request: AuthenticatedHttpRequest, slug: str) -> Community:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_moderate(request.user, community):
        raise PermissionDenied
    return community


def _flag(request: AuthenticatedHttpRequest, post: Thread | Reply, thread: Thread) -> HttpResponse:
    if not can_flag(request.user, thread):
        raise PermissionDenied
    form = FlagForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            flag_create(reporter=request.user, post=post, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.info(request, error.messages[0])
        else:
            messages.success(
                request, _("Thank you for your report. The facilitators will look at it.")
            )
        return redirect(post)
    context = {"form": form, "post": post, "thread": thread, "community": thread.community}
    return render(request, "discussions/moderation_flag.html", context)


@require_http_methods(["GET", "POST"])
@rate_limit("flag")
def thread_flag_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    return _flag(request, thread, thread)


@require_http_methods(["GET", "POST"])
@rate_limit("flag")
def reply_flag_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    return _flag(request, reply, reply.thread)


def _thread_actions(thread: Thread, by: User) -> dict[str, tuple[Callable[[], object], str]]:
    return {
        "hide": (
            lambda: post_set_hidden(post=thread, by=by, hidden=True),
            _("The thread is hidden. Its author and the facilitators still see it."),
        ),
        "unhide": (
            lambda: post_set_hidden(post=thread, by=by, hidden=False),
            _("The thread is visible again."),
        ),
        "lock": (
            lambda: thread_set_locked(thread=thread, by=by, locked=True),
            _("The thread is locked: only facilitators can reply."),
        ),
        "unlock": (
            lambda: thread_set_locked(thread=thread, by=by, locked=False),
            _("The thread is open for replies again."),
        ),
        "pin": (
            lambda: thread_set_pinned(thread=thread, by=by, pinned=True),
            _("The thread is pinned to the top of the list."),
        ),
        "unpin": (
            lambda: thread_set_pinned(thread=thread, by=by, pinned=False),
            _("The thread is no longer pinned."),
        ),
    }


@require_POST
def thread_moderate_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_moderate(request.user, thread.community):
        raise PermissionDenied
    form = ThreadModerationForm(request.POST)
    if form.is_valid():
        action, message = _thread_actions(thread, request.user)[form.cleaned_data["action"]]
        action()
        messages.success(request, message)
    else:
        messages.error(request, _("Choose what to do with the thread."))
    return _next_or(request, thread.get_absolute_url())


@require_POST
def reply_moderate_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    if not can_moderate(request.user, reply.thread.community):
        raise PermissionDenied
    form = ReplyModerationForm(request.POST)
    if form.is_valid():
        hidden = form.cleaned_data["action"] == "hide"
        post_set_hidden(post=reply, by=request.user, hidden=hidden)
        messages.success(
            request,
            _("The reply is hidden. Its author and the facilitators still see it.")
            if hidden
            else _("The reply is visible again."),
        )
    else:
        messages.error(request, _("Choose what to do with the reply."))
    # From a reply card (no `next`): back to the reply, on the page of the thread it is on.
    return _next_or(request, thread_url(request, reply.thread, reply.pk))


@require_http_methods(["GET", "POST"])
def thread_move_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_moderate(request.user, thread.community):
        raise PermissionDenied
    targets = thread_move_targets(request.user, thread)
    form = ThreadMoveForm(request.POST if request.method == "POST" else None, targets=targets)
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["community"]
        try:
            thread_move(thread=thread, by=request.user, to=to)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The thread has moved to %(name)s.") % {"name": to.name})
            return redirect(thread)
    context = {"thread": thread, "community": thread.community, "form": form}
    return render(request, "discussions/moderation_move.html", context)


@require_GET
def moderation_queue_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _moderated(request, slug)
    page = Paginator(flag_queue(request.user, community), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"community": community, "page": page, "mutes": mute_list_for_community(community)}
    return render(request, QUEUE_TEMPLATE, context)


@require_GET
def moderation_all_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Open flags across every community, for site admins."""
    if not is_site_admin(request.user):
        raise PermissionDenied
    page = Paginator(flag_queue(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, QUEUE_TEMPLATE, {"community": None, "page": page})


@require_POST
def flag_resolve_view(request: AuthenticatedHttpRequest, slug: str, flag_id: int) -> HttpResponse:
    community = _moderated(request, slug)
    flag = flag_get(request.user, community, flag_id)
    if flag is None:
        raise Http404
    flag_resolve(flag=flag, by=request.user)
    messages.success(request, _("The flag is marked as handled."))
    return _next_or(request, reverse("discussions:moderation-queue", kwargs={"slug": slug}))


@require_http_methods(["GET", "POST"])
def member_mute_view(request: AuthenticatedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    community = _moderated(request, slug)
    target = member_get_for_moderation(community, user_id)
    if target is None:
        raise Http404
    form = MuteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            mute = member_mute(
                community=community, user=target, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            until = formats.date_format(timezone.localtime(mute.until), "DATETIME_FORMAT")
            messages.success(
                request,
                _("%(name)s is muted until %(date)s.") % {"name": target.name, "date": until},
            )
            return redirect("discussions:moderation-queue", slug=slug)
    context = {
        "community": community,
        "target": target,
        "form": form,
        "mute": mute_get_active(community, target),
    }
    return render(request, "discussions/moderation_mute.html", context)


@require_POST
def member_unmute_view(request: AuthenticatedHttpRequest, slug: str, user_id: int) -> HttpResponse:
    community = _moderated(request, slug)
    target = member_get_for_moderation(community, user_id)
    if target is None:
        raise Http404
    member_unmute(community=community, user=target, by=request.user)
    messages.success(request, _("%(name)s can post again.") % {"name": target.name})
    return redirect("discussions:moderation-queue", slug=slug)


urlpatterns = [
    path("moderation/", moderation_all_view, name="moderation-all"),
    path("c/<slug:slug>/moderation/", moderation_queue_view, name="moderation-queue"),
    path(
        "c/<slug:slug>/moderation/flags/<int:flag_id>/resolve/",
        flag_resolve_view,
        name="flag-resolve",
    ),
    path("c/<slug:slug>/moderation/mute/<int:user_id>/", member_mute_view, name="member-mute"),
    path(
        "c/<slug:slug>/moderation/unmute/<int:user_id>/",
        member_unmute_view,
        name="member-unmute",
    ),
    path("t/<int:thread_id>/flag/", thread_flag_view, name="thread-flag"),
    path("t/<int:thread_id>/moderate/", thread_moderate_view, name="thread-moderate"),
    path("t/<int:thread_id>/move/", thread_move_view, name="thread-move"),
    path("r/<int:reply_id>/flag/", reply_flag_view, name="reply-flag"),
    path("r/<int:reply_id>/moderate/", reply_moderate_view, name="reply-moderate"),
]
