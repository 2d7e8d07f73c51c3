"""Notifications, subscriptions and the mention autocomplete.

Fixed paths ("notifications/...") cannot meet the `c/<slug>/` and `t/<id>/` patterns.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from communities.models import Community
from communities.permissions import (
    can_read_community,
    can_view_member_list,
    get_community_for_user_or_404,
)
from discussions.forms.notifications import MentionQueryForm, SubscriptionForm
from discussions.models import Thread
from discussions.permissions import get_thread_for_user_or_404
from discussions.selectors.notifications import (
    get_notification_for_user_or_404,
    mention_suggestions,
    mentionable_in_community,
    mentionable_in_thread,
    notification_list_for_user,
    notification_unread_count,
)
from discussions.selectors.subscriptions import community_subscription_level, subscription_level
from discussions.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
)
from discussions.services.subscriptions import subscription_set
from discussions.views.common import vary_on_htmx
from members.models import User
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest

PAGE_SIZE = 30
SUBSCRIPTION = "discussions/components/subscription.html"


@require_GET
def notification_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(notification_list_for_user(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "notifications": page.object_list,
        # Also what the header shows: the context processor's lazy count is not needed.
        "unread_notification_count": notification_unread_count(request.user),
    }
    return render(request, "discussions/notification_list.html", context)


@require_POST
def notification_open_view(request: AuthenticatedHttpRequest, notification_id: int) -> HttpResponse:
    notification = get_notification_for_user_or_404(request.user, notification_id)
    notification_mark_read(user=request.user, notification=notification)
    target = notification.reply or notification.thread
    return redirect(target.get_absolute_url())


@require_POST
def notification_read_all_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications_mark_all_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("discussions:notifications")


def _subscription_response(
    request: AuthenticatedHttpRequest,
    *,
    form: SubscriptionForm,
    thread: Thread | None,
    community: Community,
    level: str,
) -> HttpResponse:
    """Save, then redirect (or, for htmx, answer with the updated component)."""
    if not form.is_valid():
        context = {"thread": thread, "community": community, "subscription_level": level}
        response = render(request, SUBSCRIPTION, {**context, "form": form}, status=400)
    else:
        level = form.cleaned_data["level"]
        if thread is not None:
            subscription_set(user=request.user, thread=thread, level=level)
        else:
            subscription_set(user=request.user, community=community, level=level)
        context = {"thread": thread, "community": community, "subscription_level": level}
        if request.htmx:
            response = render(request, SUBSCRIPTION, {**context, "saved": True})
        else:
            messages.success(request, _("Your notification setting is saved."))
            response = (
                redirect(thread)
                if thread is not None
                else redirect("discussions:thread-list", slug=community.slug)
            )
    return vary_on_htmx(response)


@require_POST
def thread_subscription_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    return _subscription_response(
        request,
        form=SubscriptionForm(request.POST),
        thread=thread,
        community=thread.community,
        level=subscription_level(request.user, thread),
    )


@require_POST
def community_subscription_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_read_community(request.user, community):
        raise PermissionDenied
    return _subscription_response(
        request,
        form=SubscriptionForm(request.POST),
        thread=None,
        community=community,
        level=community_subscription_level(request.user, community),
    )


def _mention_suggestions(request: AuthenticatedHttpRequest, people: QuerySet[User]) -> HttpResponse:
    form = MentionQueryForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {"people": mention_suggestions(people, query), "query": query}
    return render(request, "discussions/components/mention_autocomplete.html", context)


@require_GET
@rate_limit("mentions", methods=("GET",))
def thread_mention_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    """Who may be mentioned in the thread (an htmx fragment for the autocomplete). The
    names are the community's members: shown only to those who may see its member list."""
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_view_member_list(request.user, thread.community):
        raise PermissionDenied
    return _mention_suggestions(request, mentionable_in_thread(thread))


@require_GET
@rate_limit("mentions", methods=("GET",))
def community_mention_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The same for a thread being started in the community."""
    community = get_community_for_user_or_404(request.user, slug)
    if not can_view_member_list(request.user, community):
        raise PermissionDenied
    return _mention_suggestions(request, mentionable_in_community(community))


urlpatterns = [
    path("notifications/", notification_list_view, name="notifications"),
    path("notifications/read/", notification_read_all_view, name="notification-read-all"),
    path(
        "notifications/<int:notification_id>/",
        notification_open_view,
        name="notification-open",
    ),
    path("t/<int:thread_id>/subscription/", thread_subscription_view, name="thread-subscription"),
    path(
        "c/<slug:slug>/subscription/",
        community_subscription_view,
        name="community-subscription",
    ),
    path("t/<int:thread_id>/mentions/", thread_mention_view, name="thread-mentions"),
    path("c/<slug:slug>/mentions/", community_mention_view, name="community-mentions"),
]
