from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path

from communities.permissions import can_read_community, get_community_for_user_or_404, role_in
from communities.selectors.communities import community_detail_context
from members.types import AuthenticatedHttpRequest


def community_detail_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    context = {
        "community": community,
        "role": role_in(request.user, community),
        "can_read": can_read_community(request.user, community),
        **community_detail_context(community),
    }
    return render(request, "communities/community_detail.html", context)


urlpatterns = [
    path("<slug:slug>/", community_detail_view, name="detail"),
]
