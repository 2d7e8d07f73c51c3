"""The console's read side and its two personal acts: the community console, the
overview across communities, "ask them" and "nudge quiet members"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from facilitation.forms import AskForm, NudgeForm
from facilitation.permissions import (
    get_community_for_console_actor_or_404,
    get_community_for_console_or_404,
)
from facilitation.selectors.console import (
    console_context,
    member_get_for_console,
    members_get_for_console,
    nudge_candidates,
    question_get_for_console,
)
from facilitation.selectors.overview import overview_for
from facilitation.services.asks import answer_request_send
from facilitation.services.nudges import nudge_send
from members.ratelimits import rate_limit_hit
from members.types import AuthenticatedHttpRequest


@require_GET
def console_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_console_or_404(request.user, slug)
    return render(request, "facilitation/console.html", console_context(request.user, community))


@require_GET
def overview_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "facilitation/overview.html", {"rows": overview_for(request.user)})


@require_POST
def ask_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_console_actor_or_404(request.user, slug)
    form = AskForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    thread = question_get_for_console(community, form.cleaned_data["thread"])
    person = member_get_for_console(community, form.cleaned_data["person"])
    if thread is None or person is None:
        raise Http404
    rate_limit_hit(request, "console_ask", key="user")
    try:
        answer_request_send(thread=thread, person=person, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("%(name)s is asked by email.") % {"name": person.name})
    url = reverse("facilitation:console", kwargs={"slug": community.slug})
    return redirect(f"{url}#question-{thread.pk}")


@require_http_methods(["GET", "POST"])
def nudge_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_console_actor_or_404(request.user, slug)
    candidates = nudge_candidates(community)
    choices = [(member.user_id, member.name) for member, _why in candidates]
    form = NudgeForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        rate_limit_hit(request, "console_nudge", key="user")
        people = members_get_for_console(community, form.cleaned_data["people"])
        try:
            nudge_send(
                community=community,
                by=request.user,
                people=people,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            count = len(people)
            text = ngettext(
                "Your note goes to %(count)d person.", "Your note goes to %(count)d people.", count
            )
            messages.success(request, text % {"count": count})
            return redirect("facilitation:console", slug=community.slug)
    context = {"community": community, "form": form, "candidates": candidates}
    return render(request, "facilitation/nudge.html", context)


urlpatterns: list[URLPattern] = [
    path("console/", overview_view, name="overview"),
    path("communities/<slug:slug>/console/", console_view, name="console"),
    path("communities/<slug:slug>/console/ask/", ask_view, name="ask"),
    path("communities/<slug:slug>/console/nudge/", nudge_view, name="nudge"),
]
