"""Topic proposals: propose, vote or withdraw, and (facilitators) take a topic up."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from communities.permissions import get_community_for_user_or_404
from meetings.forms import ProposalForm, TakeUpForm, VoteForm
from meetings.permissions import (
    can_plan_meetings,
    can_propose_topic,
    can_see_meetings,
    can_vote,
    get_proposal_for_user_or_404,
)
from meetings.selectors import proposals_for_community, taken_up_proposals, upcoming_meetings_of
from meetings.services.proposals import (
    proposal_create,
    proposal_take_up,
    proposal_to_thread,
    vote_cast,
    vote_withdraw,
)
from members.types import AuthenticatedHttpRequest

ORDERS = ("votes", "organisations", "new")


@require_http_methods(["GET", "POST"])
def proposal_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_see_meetings(request.user, community):
        raise PermissionDenied
    can_propose = can_propose_topic(request.user, community)
    form = ProposalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied
        if form.is_valid():
            proposal_create(community=community, by=request.user, **form.cleaned_data)
            messages.success(request, _("Your topic has been proposed, with your vote."))
            return redirect("meetings:proposal-list", slug=community.slug)
    order = request.GET.get("order", "votes")
    can_plan = can_plan_meetings(request.user, community)
    context = {
        "community": community,
        "form": form,
        "order": order if order in ORDERS else "votes",
        "proposals": proposals_for_community(request.user, community, order=order),
        "taken_up": taken_up_proposals(request.user, community),
        "can_propose": can_propose,
        "can_plan": can_plan,
        "meetings": list(upcoming_meetings_of(community)) if can_plan else [],
    }
    return render(request, "meetings/proposal_list.html", context)


@require_POST
def proposal_vote_view(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_proposal_for_user_or_404(request.user, proposal_id)
    if not can_vote(request.user, proposal):
        raise PermissionDenied
    form = VoteForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    if form.cleaned_data["action"] == "vote":
        vote_cast(proposal=proposal, user=request.user)
    else:
        vote_withdraw(proposal=proposal, user=request.user)
    url = reverse("meetings:proposal-list", kwargs={"slug": proposal.community.slug})
    return redirect(f"{url}#topic-{proposal.pk}")


@require_POST
def proposal_take_up_view(request: AuthenticatedHttpRequest, proposal_id: int) -> HttpResponse:
    proposal = get_proposal_for_user_or_404(request.user, proposal_id)
    if not can_plan_meetings(request.user, proposal.community):
        raise PermissionDenied
    form = TakeUpForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    into = form.cleaned_data["into"]
    community = proposal.community
    if into == "meeting":
        url = reverse("meetings:meeting-create", kwargs={"slug": community.slug})
        return redirect(f"{url}?proposal={proposal.pk}")
    if into == "thread":
        thread = proposal_to_thread(proposal=proposal, by=request.user)
        messages.success(request, _("The topic is now a discussion; its voters are told."))
        return redirect(thread)
    meeting = upcoming_meetings_of(community).filter(pk=form.cleaned_data["meeting"] or 0).first()
    if meeting is None:
        messages.error(request, _("Choose an upcoming meeting."))
        return redirect("meetings:proposal-list", slug=community.slug)
    proposal_take_up(proposal=proposal, by=request.user, meeting=meeting, as_agenda_item=True)
    messages.success(request, _("The topic is on the agenda; its voters are told."))
    return redirect(meeting)


urlpatterns = [
    path("communities/<slug:slug>/topics/", proposal_list_view, name="proposal-list"),
    path("topics/<int:proposal_id>/vote/", proposal_vote_view, name="proposal-vote"),
    path("topics/<int:proposal_id>/take-up/", proposal_take_up_view, name="proposal-take-up"),
]
