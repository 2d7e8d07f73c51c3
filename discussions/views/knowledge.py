"""Knowledge pages: the community's list, a page (public pages open to everyone), writing
one from a thread or from scratch, co-editing with conflict detection, and history."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communities.models import Community
from communities.permissions import (
    Role,
    can_read_community,
    get_community_for_user_or_404,
    role_in,
)
from discussions.forms.knowledge import KnowledgePageForm, rebased
from discussions.models import KnowledgePage, Thread
from discussions.permissions import can_edit_knowledge, get_thread_for_user_or_404
from discussions.selectors.knowledge import (
    knowledge_outline_for_thread,
    knowledge_page_get,
    knowledge_page_list_for_community,
    knowledge_page_sources,
    knowledge_revision_get,
    knowledge_revision_list,
    knowledge_source_candidates,
    text_diff,
)
from discussions.services.knowledge import (
    KnowledgeEditConflict,
    knowledge_page_create,
    knowledge_page_update,
)
from members.types import AuthenticatedHttpRequest

FORM_TEMPLATE = "discussions/knowledge_form.html"


def _page_or_404(request: HttpRequest, slug: str, page_slug: str) -> KnowledgePage:
    page = knowledge_page_get(request.user, slug=slug, page_slug=page_slug)
    if page is None:
        raise Http404
    return page


@require_GET
def knowledge_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    context = {
        "community": community,
        "pages": knowledge_page_list_for_community(request.user, community),
        "can_write": can_edit_knowledge(request.user, community),
    }
    return render(request, "discussions/knowledge_list.html", context)


def _create(
    request: AuthenticatedHttpRequest, community: Community, initial: dict[str, Any]
) -> HttpResponse:
    if not can_edit_knowledge(request.user, community):
        raise PermissionDenied
    form = KnowledgePageForm(
        request.POST if request.method == "POST" else None,
        community=community,
        threads=knowledge_source_candidates(request.user, community),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "base_version"}
        try:
            page = knowledge_page_create(community=community, by=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The knowledge page is published."))
            return redirect(page)
    return render(request, FORM_TEMPLATE, {"community": community, "form": form, "page": None})


@require_http_methods(["GET", "POST"])
def knowledge_create_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _create(request, get_community_for_user_or_404(request.user, slug), {})


@require_http_methods(["GET", "POST"])
def knowledge_create_from_thread_view(
    request: AuthenticatedHttpRequest, thread_id: int
) -> HttpResponse:
    thread: Thread = get_thread_for_user_or_404(request.user, thread_id)
    initial: dict[str, Any] = {"title": thread.title, "source_threads": [thread.pk]}
    if request.method == "GET" and can_edit_knowledge(request.user, thread.community):
        initial["body"] = knowledge_outline_for_thread(request.user, thread)
    return _create(request, thread.community, initial)


@login_not_required
@require_GET
def knowledge_page_view(request: HttpRequest, slug: str, page_slug: str) -> HttpResponse:
    """Public pages for everyone; the rest for those who may read the community. Only
    the page is shown to those who may not read the community, nothing else of it."""
    page = knowledge_page_get(request.user, slug=slug, page_slug=page_slug)
    if page is None:
        if not request.user.is_authenticated:
            # The same for every address, existing or not: sign in, then see.
            return redirect_to_login(request.get_full_path())
        raise Http404
    can_read = can_read_community(request.user, page.community)
    context = {
        "page": page,
        "community": page.community,
        "can_read": can_read,
        "can_write": can_edit_knowledge(request.user, page.community),
        # Members log value on the page (value_cycles/_capture_page.html).
        "can_capture": role_in(request.user, page.community) >= Role.MEMBER,
        "sources": knowledge_page_sources(request.user, page) if can_read else [],
    }
    return render(request, "discussions/knowledge_page.html", context)


def _edit_form(page: KnowledgePage, data: Any, threads: QuerySet[Thread]) -> KnowledgePageForm:
    initial = {
        "title": page.title,
        "body": page.body,
        "visibility": page.visibility,
        "source_threads": list(page.source_threads.values_list("pk", flat=True)),
        "base_version": page.version,
    }
    return KnowledgePageForm(data, community=page.community, threads=threads, initial=initial)


@require_http_methods(["GET", "POST"])
def knowledge_edit_view(
    request: AuthenticatedHttpRequest, slug: str, page_slug: str
) -> HttpResponse:
    page = _page_or_404(request, slug, page_slug)
    if not can_edit_knowledge(request.user, page.community):
        raise PermissionDenied
    threads = knowledge_source_candidates(request.user, page.community, page)
    form = _edit_form(page, request.POST if request.method == "POST" else None, threads)
    context: dict[str, Any] = {"community": page.community, "page": page, "conflict": None}
    if request.method == "POST" and form.is_valid():
        try:
            saved = knowledge_page_update(page=page, by=request.user, **form.cleaned_data)
        except KnowledgeEditConflict as conflict:
            # Keep what was typed, now based on the saved version, beside their changes.
            context |= _conflict_context(page, form.cleaned_data["base_version"], conflict)
            form = _edit_form(page, rebased(request.POST, conflict.current.version), threads)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(saved)
    return render(request, FORM_TEMPLATE, {**context, "form": form})


def _conflict_context(
    page: KnowledgePage, base_version: int | None, conflict: KnowledgeEditConflict
) -> dict[str, Any]:
    """What the other person changed since the edit started."""
    base = knowledge_revision_get(page, base_version) if base_version else None
    current = conflict.current
    return {
        "conflict": current,
        "diff": text_diff(base.body if base else "", current.body),
        "title_changed": base is not None and base.title != current.title,
    }


@require_GET
def knowledge_history_view(
    request: AuthenticatedHttpRequest, slug: str, page_slug: str
) -> HttpResponse:
    page = _page_or_404(request, slug, page_slug)
    if not can_read_community(request.user, page.community):
        raise PermissionDenied  # editors' names are for the community's readers
    revisions = list(knowledge_revision_list(page))
    shown = next((r for r in revisions if str(r.version) == request.GET.get("version")), None)
    diff = None
    if shown is not None:
        previous = next((r for r in revisions if r.version < shown.version), None)
        diff = text_diff(previous.body if previous else "", shown.body)
    context = {"community": page.community, "page": page, "revisions": revisions}
    return render(
        request, "discussions/knowledge_history.html", context | {"shown": shown, "diff": diff}
    )


urlpatterns = [
    path("c/<slug:slug>/knowledge/", knowledge_list_view, name="knowledge-list"),
    path("c/<slug:slug>/knowledge/new/", knowledge_create_view, name="knowledge-create"),
    path(
        "t/<int:thread_id>/knowledge/new/",
        knowledge_create_from_thread_view,
        name="knowledge-create-from-thread",
    ),
    path("c/<slug:slug>/knowledge/<slug:page_slug>/", knowledge_page_view, name="knowledge-page"),
    path(
        "c/<slug:slug>/knowledge/<slug:page_slug>/edit/",
        knowledge_edit_view,
        name="knowledge-edit",
    ),
    path(
        "c/<slug:slug>/knowledge/<slug:page_slug>/history/",
        knowledge_history_view,
        name="knowledge-history",
    ),
]
