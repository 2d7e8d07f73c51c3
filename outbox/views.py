"""Pages of the outbox: one-click actions from an email, and the preferences page."""

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from members.models import User
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest
from outbox.links import action_read
from outbox.preferences import (
    preference_choices,
    preference_default,
    preference_set,
    preferences_of,
)
from outbox.registry import action_for, preference_kinds, scopes_for

View = Callable[..., HttpResponse]


def one_click_guard(view: View) -> View:
    """The single place where the one-click pages are wrapped: anyone may open them
    without a session, so each address may open only so many (`email_link`), the
    confirmation page as well as its POST (answered with the 429 page)."""
    return rate_limit("email_link", key="ip", methods=("GET", "HEAD", "POST"))(view)


def _invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "outbox/action_invalid.html", status=404)


@login_not_required
@csrf_exempt  # authenticated by the signed token in the URL, not by a session
@one_click_guard
@require_http_methods(["GET", "POST"])
def action_view(request: HttpRequest, token: str) -> HttpResponse:
    """GET: ask to confirm the action the link names. POST: do it (also the RFC 8058
    one-click POST a mail program sends for List-Unsubscribe, without session or CSRF)."""
    signed = action_read(token)
    action = action_for(signed.action) if signed else None
    user = (
        User.objects.filter(pk=signed.user_id, is_active=True).first()
        if signed and action
        else None
    )
    if signed is None or action is None or user is None:
        return _invalid(request)
    question = action.describe(user, signed.params)
    if question is None:
        return _invalid(request)
    if request.method == "POST":
        action.perform(user, signed.params)
        if request.POST.get("List-Unsubscribe") == "One-Click":
            return HttpResponse(_("Done."), content_type="text/plain; charset=utf-8")
        return render(request, "outbox/action_done.html", {"question": question})
    return render(request, "outbox/action_confirm.html", {"question": question})


def _field(kind: str, community_id: int | None) -> str:
    return f"{kind}:{community_id if community_id is not None else 'all'}"


@require_http_methods(["GET", "POST"])
def preferences_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One page for every kind of email, per community."""
    user = request.user
    kinds = preference_kinds()
    scopes = scopes_for(user)
    if request.method == "POST":
        for community_id, _name, facilitates in scopes:
            for kind in kinds:
                if kind.for_facilitators and not facilitates:
                    continue
                value = request.POST.get(_field(kind.kind, community_id))
                if value in {choice for choice, _label in preference_choices(kind.kind)}:
                    preference_set(
                        user=user, kind=kind.kind, community_id=community_id, value=value
                    )
        return redirect("outbox:preferences")
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "POST"])
    chosen = preferences_of(user)
    sections = []
    for community_id, name, facilitates in scopes:
        rows = []
        for kind in kinds:
            if kind.for_facilitators and not facilitates:
                continue
            value = chosen.get(
                (kind.kind, community_id),
                chosen.get((kind.kind, None), preference_default(kind.kind)),
            )
            choices = preference_choices(kind.kind)
            rows.append(
                {
                    "label": kind.label,
                    "name": _field(kind.kind, community_id),
                    "value": value,
                    "choices": choices,
                }
            )
        sections.append({"name": name, "rows": rows})
    return render(request, "outbox/preferences.html", {"sections": sections})
