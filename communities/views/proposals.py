"""Proposals for new communities: list, propose, one proposal, "I'd join", found, close."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.forms.proposals import ProposalCloseForm, ProposalForm, ProposalFoundForm
from communities.permissions import (
    can_close_proposal,
    can_found_proposal,
    can_know_community,
    can_propose_community,
    can_support_proposal,
    get_proposal_for_user_or_404,
    is_site_admin,
)
from communities.selectors.proposals import (
    proposal_events,
    proposal_list_decided,
    proposal_list_open,
    proposal_supporters,
    proposal_with_counts,
)
from communities.services.proposals import (
    free_slug,
    proposal_close,
    proposal_create,
    proposal_found,
    proposal_support_toggle,
)
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest


@require_GET
def proposal_list_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    context = {
        "proposals": list(proposal_list_open(request.user)),
        "decided": list(proposal_list_decided(request.user)),
        "can_propose": can_propose_community(request.user),
    }
    return render(request, "communities/proposal_list.html", context)


@require_http_methods(["GET", "POST"])
@rate_limit("proposal", key="user")
def proposal_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not can_propose_community(request.user):
        raise PermissionDenied
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_create(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Your proposal is online. Ask the people you have in mind to say so.")
            )
            return redirect(proposal)
    return render(request, "communities/proposal_form.html", {"form": form})


@require_GET
def proposal_detail_view(
    request: AuthenticatedHttpRequest, community_proposal_id: int
) -> HttpResponse:
    proposal = proposal_with_counts(request.user, community_proposal_id)
    if proposal is None:
        raise Http404
    admin = is_site_admin(request.user)
    context = {
        "proposal": proposal,
        "can_support": can_support_proposal(request.user, proposal),
        "can_found": can_found_proposal(request.user, proposal),
        "can_close": can_close_proposal(request.user, proposal),
        # The community it became may have been made unlisted since: linked only for
        # those who may know of it.
        "founded": proposal.community
        if proposal.community and can_know_community(request.user, proposal.community)
        else None,
        # Names of supporters are for the site admins who found the community: a
        # supporter's name tells others that person is on the platform.
        "supporters": proposal_supporters(proposal) if admin else [],
        "events": list(proposal_events(proposal)) if admin else [],
    }
    return render(request, "communities/proposal_detail.html", context)


@require_POST
def proposal_support_view(
    request: AuthenticatedHttpRequest, community_proposal_id: int
) -> HttpResponse:
    proposal = get_proposal_for_user_or_404(request.user, community_proposal_id)
    supports = proposal_support_toggle(proposal=proposal, user=request.user)
    proposal.refresh_from_db(fields=["state", "community"])
    if proposal.community is not None:
        messages.success(
            request, _("Enough people said they would join: the community has started.")
        )
    elif supports:
        messages.success(request, _("Noted: you would join."))
    else:
        messages.success(request, _("You no longer say you would join."))
    return redirect(proposal)


@require_http_methods(["GET", "POST"])
def proposal_found_view(
    request: AuthenticatedHttpRequest, community_proposal_id: int
) -> HttpResponse:
    proposal = get_proposal_for_user_or_404(request.user, community_proposal_id)
    if not can_found_proposal(request.user, proposal):
        raise PermissionDenied
    form = ProposalFoundForm(
        request.POST if request.method == "POST" else None,
        initial={"slug": free_slug(proposal.name)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            community = proposal_found(proposal=proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The community has started; its supporters have been invited.")
            )
            return redirect(community)
    context = {"proposal": proposal, "form": form}
    return render(request, "communities/proposal_found.html", context)


@require_http_methods(["GET", "POST"])
def proposal_close_view(
    request: AuthenticatedHttpRequest, community_proposal_id: int
) -> HttpResponse:
    proposal = get_proposal_for_user_or_404(request.user, community_proposal_id)
    if not can_close_proposal(request.user, proposal):
        raise PermissionDenied
    form = ProposalCloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        proposal_close(proposal=proposal, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("The proposal is closed."))
        return redirect(proposal)
    return render(request, "communities/proposal_close.html", {"proposal": proposal, "form": form})


urlpatterns = [
    path("proposals/", proposal_list_view, name="proposal-list"),
    path("proposals/new/", proposal_create_view, name="proposal-create"),
    path("proposals/<int:community_proposal_id>/", proposal_detail_view, name="proposal"),
    path(
        "proposals/<int:community_proposal_id>/support/",
        proposal_support_view,
        name="proposal-support",
    ),
    path(
        "proposals/<int:community_proposal_id>/found/", proposal_found_view, name="proposal-found"
    ),
    path(
        "proposals/<int:community_proposal_id>/close/", proposal_close_view, name="proposal-close"
    ),
]
