from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from communities.permissions import can_read_community, get_community_for_user_or_404
from discussions.permissions import can_start_thread, get_thread_for_user_or_404
from discussions.selectors.threads import reply_list_for_thread, thread_list_for_community
from discussions.tree import reply_tree
from members.types import AuthenticatedHttpRequest


@require_GET
def thread_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_read_community(request.user, community):
        raise PermissionDenied
    context = {
        "community": community,
        "threads": thread_list_for_community(request.user, community)[:50],
        "can_start_thread": can_start_thread(request.user, community),
    }
    return render(request, "discussions/thread_list.html", context)


@require_GET
def thread_detail_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    replies = reply_list_for_thread(request.user, thread)
    context = {"thread": thread, "community": thread.community, "replies": reply_tree(replies)}
    return render(request, "discussions/thread_detail.html", context)


urlpatterns = [
    path("c/<slug:slug>/threads/", thread_list_view, name="thread-list"),
    path("t/<int:thread_id>/", thread_detail_view, name="thread"),
]
