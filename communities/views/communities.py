"""Community pages: directory, my communities, create, home, settings, stage, audit."""

import copy
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.forms.communities import (
    CommunityCreateForm,
    CommunitySettingsForm,
    DirectoryFilterForm,
    StageForm,
)
from communities.models import Membership
from communities.permissions import (
    can_create_community,
    can_join,
    can_manage_community,
    can_read_community,
    can_request_to_join,
    can_view_member_list,
    get_community_for_manager_or_403,
    get_community_for_user_or_404,
    role_in,
)
from communities.selectors.communities import (
    audit_events,
    community_detail_context,
    community_directory,
    community_home_extras,
    community_list_for_member,
    membership_for,
    pending_requests,
    stage_history,
)
from communities.services.communities import (
    community_change_stage,
    community_create,
    community_update,
)
from members.types import AuthenticatedHttpRequest

# A member this recent is invited to introduce themselves on the community home.
NEW_MEMBER_PERIOD = timedelta(days=14)


@require_GET
def community_directory_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    communities = community_directory(
        request.user,
        query=filters.get("q", ""),
        language=filters.get("language", ""),
        stage=filters.get("stage", ""),
        policy=filters.get("policy", ""),
    )
    page = Paginator(communities, 30).get_page(request.GET.get("page"))
    query_string = request.GET.copy()
    query_string.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query_string": query_string.urlencode(),
        "can_create": can_create_community(request.user),
        "filtered": bool(filters and any(filters.values())),
    }
    return render(request, "communities/community_directory.html", context)


@require_GET
def community_mine_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {"communities": community_list_for_member(request.user)}
    return render(request, "communities/community_mine.html", context)


@require_http_methods(["GET", "POST"])
def community_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_create_community(request.user):
        raise PermissionDenied
    form = CommunityCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            community = community_create(creator=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The community has been created. Invite its first members.")
            )
            return redirect(community)
    return render(request, "communities/community_form.html", {"form": form, "creating": True})


@require_GET
def community_detail_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    membership = membership_for(request.user, community)
    can_manage = can_manage_community(request.user, community)
    active = membership is not None and membership.state == Membership.State.ACTIVE
    needs_charter = bool(membership and active and membership.needs_charter_acceptance)
    is_new = bool(
        membership and active and membership.created_at > timezone.now() - NEW_MEMBER_PERIOD
    )
    context = {
        "community": community,
        "membership": membership,
        "role": role_in(request.user, community),
        "can_read": can_read_community(request.user, community),
        "can_join": can_join(request.user, community),
        "can_request": can_request_to_join(request.user, community)
        and not (membership and membership.state == Membership.State.REQUESTED),
        "can_manage": can_manage,
        "can_view_members": can_view_member_list(request.user, community),
        "needs_charter": needs_charter,
        "charter_accepted": active and not needs_charter,
        "is_new_member": is_new,
        "pending_count": pending_requests(community).count() if can_manage else 0,
        **community_detail_context(community),
        **community_home_extras(request.user, community),
    }
    return render(request, "communities/community_detail.html", context)


@require_http_methods(["GET", "POST"])
def community_update_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    # The form validates a copy: ModelForm writes cleaned values onto its instance, and
    # the service must still see the stored values to know what changed.
    form = CommunitySettingsForm(
        request.POST if request.method == "POST" else None, instance=copy.copy(community)
    )
    if request.method == "POST" and form.is_valid():
        community_update(community=community, by=request.user, **form.cleaned_data)
        messages.success(request, _("The community settings have been saved."))
        return redirect(community)
    context = {
        "community": community,
        "form": form,
        "stage_form": StageForm(initial={"stage": community.stage}),
        "stage_history": stage_history(community),
    }
    return render(request, "communities/community_form.html", context)


@require_POST
def community_stage_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    form = StageForm(request.POST)
    if form.is_valid():
        community_change_stage(community=community, by=request.user, **form.cleaned_data)
        messages.success(request, _("The stage has been changed."))
    else:
        messages.error(request, _("Choose one of the stages."))
    return redirect("communities:update", slug=community.slug)


@require_GET
def community_audit_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    context = {"community": community, "events": audit_events(community)}
    return render(request, "communities/community_audit.html", context)


urlpatterns = [
    path("", community_directory_view, name="directory"),
    path("mine/", community_mine_view, name="mine"),
    path("new/", community_create_view, name="create"),
    path("<slug:slug>/", community_detail_view, name="detail"),
    path("<slug:slug>/settings/", community_update_view, name="update"),
    path("<slug:slug>/stage/", community_stage_view, name="stage"),
    path("<slug:slug>/audit/", community_audit_view, name="audit"),
]
