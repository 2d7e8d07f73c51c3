"""The console's acts: seed a thread from a template, private notes, the stage's
playbook. Facilitators and site admins only: notes answer 404 to everyone else, the
other pages 403 to who knows the community and 404 to who does not."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.models import Community
from facilitation.act_forms import NoteForm, SeedForm, TickForm
from facilitation.models import SeedTemplate
from facilitation.permissions import (
    can_edit_note,
    get_community_for_console_actor_or_404,
    get_community_for_notes_or_404,
    get_note_for_user_or_404,
)
from facilitation.selectors.act import notes_for, playbook_state, seed_templates_for
from facilitation.services.act import (
    note_create,
    note_delete,
    note_edit,
    playbook_tick_toggle,
    seed_thread_post,
)
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest


def _language(community: Community) -> str:
    # The community's language decides the template's text: members read it there.
    return community.language or (get_language() or "nl")[:2]


@require_GET
def seed_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_console_actor_or_404(request.user, slug)
    templates = list(seed_templates_for(community))
    language = _language(community)
    for template in templates:
        template.title_here = template.title_in(language)  # type: ignore[attr-defined]
    context = {
        "community": community,
        "for_stage": [t for t in templates if t.stage == community.stage],
        "others": [t for t in templates if t.stage != community.stage],
    }
    return render(request, "facilitation/seed_list.html", context)


@require_http_methods(["GET", "POST"])
@rate_limit("post")
def seed_template_view(
    request: AuthenticatedHttpRequest, slug: str, template_id: int
) -> HttpResponse:
    community = get_community_for_console_actor_or_404(request.user, slug)
    template = get_object_or_404(SeedTemplate, pk=template_id, is_active=True)
    language = _language(community)
    initial = {
        "kind": template.kind,
        "title": template.title_in(language),
        "body": template.body_in(language),
    }
    form = SeedForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            thread = seed_thread_post(
                community=community, by=request.user, template=template, **form.cleaned_data
            )
        except PermissionDenied:
            form.add_error(None, _("Only members of the community can start a thread in it."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your thread is online."))
            return redirect(thread)
    context = {"community": community, "template": template, "form": form}
    return render(request, "facilitation/seed_form.html", context)


@require_http_methods(["GET", "POST"])
def notes_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_notes_or_404(request.user, slug)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        note_create(community=community, author=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("The note is saved."))
        return redirect("facilitation:notes", slug=community.slug)
    notes = notes_for(request.user, community)
    for note in notes:
        note.can_edit = can_edit_note(request.user, note)  # type: ignore[attr-defined]
    context = {"community": community, "form": form, "notes": notes}
    return render(request, "facilitation/notes.html", context)


@require_http_methods(["GET", "POST"])
def note_edit_view(request: AuthenticatedHttpRequest, slug: str, note_id: int) -> HttpResponse:
    community = get_community_for_notes_or_404(request.user, slug)
    note = get_note_for_user_or_404(request.user, community, note_id)
    if not can_edit_note(request.user, note):
        raise PermissionDenied
    form = NoteForm(request.POST if request.method == "POST" else None, initial={"body": note.body})
    if request.method == "POST" and form.is_valid():
        note_edit(note=note, by=request.user, body=form.cleaned_data["body"])
        messages.success(request, _("The note is saved."))
        return redirect("facilitation:notes", slug=community.slug)
    context = {"community": community, "note": note, "form": form}
    return render(request, "facilitation/note_edit.html", context)


@require_POST
def note_delete_view(request: AuthenticatedHttpRequest, slug: str, note_id: int) -> HttpResponse:
    community = get_community_for_notes_or_404(request.user, slug)
    note = get_note_for_user_or_404(request.user, community, note_id)
    if not can_edit_note(request.user, note):
        raise PermissionDenied
    note_delete(note=note, by=request.user)
    messages.success(request, _("The note is deleted."))
    return redirect("facilitation:notes", slug=community.slug)


@require_GET
def playbook_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_console_actor_or_404(request.user, slug)
    context = {"community": community, "state": playbook_state(community)}
    return render(request, "facilitation/playbook.html", context)


@require_POST
def playbook_tick_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_console_actor_or_404(request.user, slug)
    form = TickForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a step of the playbook."))
    try:
        playbook_tick_toggle(community=community, by=request.user, item=form.cleaned_data["item"])
    except ValidationError:
        return HttpResponseBadRequest(_("Choose a step of the playbook."))
    return redirect(reverse("facilitation:playbook", kwargs={"slug": community.slug}) + "#steps")


urlpatterns: list[URLPattern] = [
    path("communities/<slug:slug>/console/seed/", seed_view, name="seed"),
    path(
        "communities/<slug:slug>/console/seed/<int:template_id>/",
        seed_template_view,
        name="seed-template",
    ),
    path("communities/<slug:slug>/console/notes/", notes_view, name="notes"),
    path(
        "communities/<slug:slug>/console/notes/<int:note_id>/edit/",
        note_edit_view,
        name="note-edit",
    ),
    path(
        "communities/<slug:slug>/console/notes/<int:note_id>/delete/",
        note_delete_view,
        name="note-delete",
    ),
    path("communities/<slug:slug>/console/playbook/", playbook_view, name="playbook"),
    path(
        "communities/<slug:slug>/console/playbook/tick/", playbook_tick_view, name="playbook-tick"
    ),
]
