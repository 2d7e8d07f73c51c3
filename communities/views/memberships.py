"""Joining, asking to join, leaving, the charter, and facilitators' member management."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.forms.memberships import (
    DeclineForm,
    JoinForm,
    JoinRequestForm,
    RemoveForm,
    RoleForm,
)
from communities.models import Community, Membership
from communities.permissions import (
    can_join,
    can_request_to_join,
    get_community_for_manager_or_403,
    get_community_for_user_or_404,
)
from communities.selectors.communities import membership_for, pending_requests
from communities.services.memberships import (
    membership_accept_charter,
    membership_approve,
    membership_change_role,
    membership_decline,
    membership_join,
    membership_leave,
    membership_remove,
    membership_request,
)
from members.types import AuthenticatedHttpRequest


@require_http_methods(["GET", "POST"])
def membership_join_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_join(request.user, community):
        return redirect(community)
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        membership_join(community=community, user=request.user, charter_accepted=True)
        messages.success(request, _("Welcome! You are now a member."))
        return redirect(community)
    return render(
        request,
        "communities/membership_join.html",
        {"community": community, "form": form, "requesting": False},
    )


@require_http_methods(["GET", "POST"])
def membership_request_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    membership = membership_for(request.user, community)
    if membership is not None and membership.state == Membership.State.REQUESTED:
        return redirect(community)
    if not can_request_to_join(request.user, community):
        raise PermissionDenied
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_request(
                community=community,
                user=request.user,
                message=form.cleaned_data["message"],
                charter_accepted=True,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request has been sent to the facilitators."))
            return redirect(community)
    return render(
        request,
        "communities/membership_join.html",
        {"community": community, "form": form, "requesting": True},
    )


@require_http_methods(["GET", "POST"])
def membership_leave_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    membership = membership_for(request.user, community)
    if membership is None or membership.state not in (
        Membership.State.ACTIVE,
        Membership.State.REQUESTED,
    ):
        return redirect(community)
    error = None
    if request.method == "POST":
        try:
            membership_leave(community=community, user=request.user)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("You have left the community."))
            return redirect("communities:directory")
    return render(
        request,
        "communities/membership_leave.html",
        {"community": community, "membership": membership, "error": error},
    )


@require_http_methods(["GET", "POST"])
def membership_charter_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    membership = membership_for(request.user, community)
    is_active = membership is not None and membership.state == Membership.State.ACTIVE
    form = JoinForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not is_active:
            raise PermissionDenied
        if form.is_valid():
            membership_accept_charter(community=community, user=request.user)
            messages.success(request, _("Thank you for accepting the way of working."))
            return redirect(community)
    context = {
        "community": community,
        "form": form,
        "needs_acceptance": is_active
        and membership is not None
        and membership.needs_charter_acceptance,
    }
    return render(request, "communities/membership_charter.html", context)


def _membership_in(community: Community, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "community"),
        community=community,
        pk=membership_id,
    )


@require_GET
def membership_requests_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    context = {
        "community": community,
        "requests": pending_requests(community),
        "decline_form": DeclineForm(),
    }
    return render(request, "communities/membership_requests.html", context)


@require_POST
def membership_approve_view(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    membership = _membership_in(community, membership_id)
    try:
        membership_approve(membership=membership, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("%(name)s is now a member.") % {"name": membership.user.name})
    return redirect("communities:requests", slug=community.slug)


@require_http_methods(["GET", "POST"])
def membership_decline_view(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    membership = _membership_in(community, membership_id)
    if membership.state != Membership.State.REQUESTED:
        raise Http404
    form = DeclineForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        membership_decline(
            membership=membership, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The request has been declined; the reason was sent."))
        return redirect("communities:requests", slug=community.slug)
    return render(
        request,
        "communities/membership_decline.html",
        {"community": community, "membership": membership, "form": form},
    )


@require_POST
def membership_role_view(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    membership = _membership_in(community, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
    else:
        try:
            membership_change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("The role has been changed."))
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = community.get_absolute_url()
    return redirect(next_url)


@require_http_methods(["GET", "POST"])
def membership_remove_view(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    membership = _membership_in(community, membership_id)
    form = RemoveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            membership_remove(
                membership=membership, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("%(name)s has been removed.") % {"name": membership.user.name}
            )
            return redirect(community)
    return render(
        request,
        "communities/membership_remove.html",
        {"community": community, "membership": membership, "form": form},
    )


urlpatterns = [
    path("<slug:slug>/join/", membership_join_view, name="join"),
    path("<slug:slug>/request/", membership_request_view, name="request"),
    path("<slug:slug>/leave/", membership_leave_view, name="leave"),
    path("<slug:slug>/charter/", membership_charter_view, name="charter"),
    path("<slug:slug>/requests/", membership_requests_view, name="requests"),
    path(
        "<slug:slug>/requests/<int:membership_id>/approve/",
        membership_approve_view,
        name="request-approve",
    ),
    path(
        "<slug:slug>/requests/<int:membership_id>/decline/",
        membership_decline_view,
        name="request-decline",
    ),
    path(
        "<slug:slug>/memberships/<int:membership_id>/role/",
        membership_role_view,
        name="membership-role",
    ),
    path(
        "<slug:slug>/memberships/<int:membership_id>/remove/",
        membership_remove_view,
        name="membership-remove",
    ),
]
