"""A member's own value: their page of events and stories (each with its tier,
editable), logging value from outside the platform, and turning a chain into a story."""

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.permissions import get_community_for_user_or_404
from members.types import AuthenticatedHttpRequest
from value_cycles.forms import EventForm, LogValueForm, StoryForm
from value_cycles.models import Cycle, ValueStory
from value_cycles.permissions import (
    can_log_value,
    can_read_story,
    get_own_event_or_404,
    get_story_for_user_or_404,
    shows_author,
    shows_organisation,
)
from value_cycles.selectors.own import chain_events, own_events, own_stories
from value_cycles.services.events import value_event_delete, value_event_record, value_event_update
from value_cycles.services.stories import value_story_create, value_story_update
from value_cycles.views.capture import safe_next


@require_GET
def mine_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    events = list(own_events(request.user).order_by("chain", "created_at", "pk"))
    chains = [list(group) for _key, group in groupby(events, key=lambda e: e.chain)]
    chains.sort(key=lambda chain: chain[-1].created_at, reverse=True)
    context = {"chains": chains, "stories": own_stories(request.user)}
    return render(request, "value_cycles/mine.html", context)


@require_http_methods(["GET", "POST"])
def event_edit_view(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    event = get_own_event_or_404(request.user, event_id)
    initial = {
        "capital": event.capital,
        "why_it_helped": event.why_it_helped,
        "what_changed": event.what_changed,
        "what_result": event.what_result,
        "figure": event.figure,
        "unit": event.unit,
        "where": event.where,
        "tier": event.tier,
    }
    form = EventForm(
        request.POST if request.method == "POST" else None,
        cycle=event.cycle,
        with_where=bool(event.where) or event.source_kind == "",
        initial=initial,
    )
    back = safe_next(request, "/value/mine/")
    if request.method == "POST" and form.is_valid():
        value_event_update(
            event=event,
            by=request.user,
            capital=form.cleaned_data.get("capital", event.capital),
            texts=form.texts(),
            tier=form.cleaned_data["tier"],
        )
        messages.success(request, _("Saved."))
        return redirect(back)
    context = {"form": form, "event": event, "back": back, "community": event.community}
    return render(request, "value_cycles/event_edit.html", context)


@require_POST
def event_delete_view(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    event = get_own_event_or_404(request.user, event_id)
    value_event_delete(event=event, by=request.user)
    messages.success(request, _("Removed."))
    return redirect("value_cycles:mine")


@require_http_methods(["GET", "POST"])
def log_value_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_log_value(request.user, community):
        raise PermissionDenied
    form = LogValueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            value_event_record(
                member=request.user,
                community=community,
                cycle=form.cleaned_data["cycle"],
                capital=form.cleaned_data.get("capital", ""),
                texts=form.texts(),
                tier=form.cleaned_data["tier"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Noted. You find it on your value page."))
            return redirect("value_cycles:mine")
    return render(request, "value_cycles/log.html", {"form": form, "community": community})


def _sections_from(chain: list) -> dict[str, str]:  # type: ignore[type-arg]
    names = dict(ValueStory.SECTIONS)
    sections: dict[str, list[str]] = {}
    for event in chain:
        if event.text:
            sections.setdefault(names[Cycle(event.cycle)], []).append(event.text)
    return {name: "\n\n".join(texts) for name, texts in sections.items()}


@require_http_methods(["GET", "POST"])
def story_from_chain_view(request: AuthenticatedHttpRequest, event_id: int) -> HttpResponse:
    event = get_own_event_or_404(request.user, event_id)
    chain = list(chain_events(request.user, event))
    initial = {"tier": event.tier, **_sections_from(chain)}
    form = StoryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            story = value_story_create(
                community=event.community,
                author=request.user,
                title=form.cleaned_data["title"],
                sections=form.sections(),
                ending=form.cleaned_data["ending"],
                tier=form.cleaned_data["tier"],
                events=chain,
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(story)
    context = {"form": form, "chain": chain, "community": event.community}
    return render(request, "value_cycles/story_form.html", context)


@require_GET
def story_view(request: AuthenticatedHttpRequest, story_id: int) -> HttpResponse:
    story = get_story_for_user_or_404(request.user, story_id)
    authors = list(story.authors.select_related("organization"))
    is_author = any(a.pk == request.user.pk for a in authors)
    context = {
        "story": story,
        "authors": authors if shows_author(request.user, story) or is_author else [],
        "organisations": sorted({a.organization.name for a in authors if a.organization})
        if shows_organisation(request.user, story) or is_author
        else [],
        "is_author": is_author,
        "community": story.community,
    }
    return render(request, "value_cycles/story.html", context)


@require_http_methods(["GET", "POST"])
def story_edit_view(request: AuthenticatedHttpRequest, story_id: int) -> HttpResponse:
    story = get_story_for_user_or_404(request.user, story_id)
    is_author = story.authors.filter(pk=request.user.pk).exists()
    if not can_read_story(request.user, story, is_author=is_author) or not is_author:
        raise PermissionDenied
    form = StoryForm(request.POST or None, instance=story, initial={"publish": story.is_published})
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in StoryForm.Meta.fields}
        try:
            value_story_update(
                story=story, by=request.user, fields=fields, publish=form.cleaned_data["publish"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect(story)
    context = {"form": form, "story": story, "community": story.community, "chain": []}
    return render(request, "value_cycles/story_form.html", context)


urlpatterns = [
    path("mine/", mine_view, name="mine"),
    path("event/<int:event_id>/", event_edit_view, name="event-edit"),
    path("event/<int:event_id>/delete/", event_delete_view, name="event-delete"),
    path("event/<int:event_id>/story/", story_from_chain_view, name="story-from-chain"),
    path("c/<slug:slug>/log/", log_value_view, name="log"),
    path("story/<int:story_id>/", story_view, name="story"),
    path("story/<int:story_id>/edit/", story_edit_view, name="story-edit"),
]
