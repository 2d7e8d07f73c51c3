"""Answer pages of follow-up emails: signed, expiring links that need no second login
for that one follow-up. GET shows the question; every state change is a POST."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_http_methods

from members.ratelimits import rate_limit
from value_cycles.emails import follow_up_source_title
from value_cycles.forms import FollowUpYesForm
from value_cycles.models import FollowUp
from value_cycles.services.follow_ups import (
    AlreadyAnswered,
    follow_up_answer_later,
    follow_up_answer_no,
    follow_up_answer_yes,
)
from value_cycles.signing import LinkExpired, LinkInvalid, follow_up_from_token

PAGE = "value_cycles/follow_up.html"


def _closed(request: HttpRequest, reason: str, status: int) -> HttpResponse:
    return render(request, "value_cycles/follow_up_closed.html", {"reason": reason}, status=status)


def _open(request: HttpRequest, token: str) -> tuple[FollowUp, int] | HttpResponse:
    try:
        follow_up_id, times_asked = follow_up_from_token(token)
    except LinkExpired:
        return _closed(request, "expired", 410)
    except LinkInvalid:
        return _closed(request, "invalid", 404)
    follow_up = get_object_or_404(
        FollowUp.objects.select_related(
            "user", "community", "source_reply__thread", "source_thread", "source_page"
        ),
        pk=follow_up_id,
    )
    if follow_up.state != FollowUp.State.ASKED or follow_up.times_asked != times_asked:
        return _closed(request, "answered", 200)
    return follow_up, times_asked


@login_not_required
@require_http_methods(["GET", "POST"])
@rate_limit("email_link", key="ip", methods=("GET", "HEAD", "POST"))
def follow_up_view(request: HttpRequest, token: str) -> HttpResponse:
    opened = _open(request, token)
    if isinstance(opened, HttpResponse):
        return opened
    follow_up, times_asked = opened
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == FollowUp.Answer.NOT_YET:
                follow_up_answer_later(follow_up_id=follow_up.pk, times_asked=times_asked)
            elif answer == FollowUp.Answer.NO:
                follow_up_answer_no(follow_up_id=follow_up.pk, times_asked=times_asked)
            else:
                return _page(request, follow_up, token, status=400)
        except AlreadyAnswered:
            return _closed(request, "answered", 200)
        return _closed(request, answer, 200)
    return _page(request, follow_up, token)


def _page(request: HttpRequest, follow_up: FollowUp, token: str, status: int = 200) -> HttpResponse:
    context = {"follow_up": follow_up, "title": follow_up_source_title(follow_up), "token": token}
    return render(request, PAGE, context, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
@rate_limit("email_link", key="ip", methods=("GET", "HEAD", "POST"))
def follow_up_yes_view(request: HttpRequest, token: str) -> HttpResponse:
    opened = _open(request, token)
    if isinstance(opened, HttpResponse):
        return opened
    follow_up, times_asked = opened
    initial = {"tier": follow_up.event.tier if follow_up.event else None}
    form = FollowUpYesForm(request.POST or None, initial={k: v for k, v in initial.items() if v})
    if request.method == "POST" and form.is_valid():
        try:
            follow_up_answer_yes(
                follow_up_id=follow_up.pk,
                times_asked=times_asked,
                texts=form.texts(),
                tier=form.cleaned_data["tier"],
            )
        except AlreadyAnswered:
            return _closed(request, "answered", 200)
        return _closed(request, "yes", 200)
    context = {
        "follow_up": follow_up,
        "title": follow_up_source_title(follow_up),
        "token": token,
        "form": form,
    }
    return render(request, "value_cycles/follow_up_yes.html", context)


urlpatterns = [
    path("follow-up/<str:token>/", follow_up_view, name="follow-up"),
    path("follow-up/<str:token>/yes/", follow_up_yes_view, name="follow-up-yes"),
]
