"""Threads and replies: lists, the feed, the thread page, writing, editing, deleting,
reactions and the accepted answer.

Every form works without JavaScript (POST, then redirect to the anchor); with htmx the
same views answer with a partial of the same template and send `Vary: HX-Request`.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communities.models import Community
from communities.permissions import (
    can_read_community,
    can_view_member_list,
    communities_readable_by,
    get_community_for_user_or_404,
)
from discussions.forms.threads import (
    ReplyForm,
    ThreadFilterForm,
    ThreadForm,
)
from discussions.fragments import (
    attachments_context,
    filter_form_html,
    reactions_block,
    reply_cards,
    reply_tree_html,
)
from discussions.models import Thread
from discussions.permissions import (
    can_accept_answer,
    can_edit_knowledge,
    can_edit_post,
    can_flag,
    can_moderate,
    can_react,
    can_reply,
    can_start_thread,
    can_view_revisions,
    join_call,
    reply_rights_in,
)
from discussions.selectors.subscriptions import subscription_level
from discussions.selectors.threads import (
    keyset_page,
    reply_page_number,
    similar_threads,
    tag_suggestions,
    thread_feed,
    thread_get_for_page,
    thread_list_for_community,
    thread_replies,
)
from discussions.services.notifications import notifications_mark_thread_read
from discussions.services.posts import (
    thread_create,
)
from discussions.services.reading import community_mark_visited, thread_mark_read
from discussions.views.common import vary_on_htmx
from members.ratelimits import rate_limit, rate_limit_hit
from members.types import AuthenticatedHttpRequest

THREAD_PAGE = "discussions/thread_detail.html"


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() else 1


# --- lists ---------------------------------------------------------------------------------


def _readable_community(request: AuthenticatedHttpRequest, slug: str) -> Community:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_read_community(request.user, community):
        raise PermissionDenied
    return community


# --- reading along without signing in -----------------------------------------------------
# The thread list and the thread page let visitors in (`login_not_required`) for the
# communities open to the public; who may read what is still decided by their access
# (`communities.permissions.Access.anonymous`). Anything else sends them to log in, the
# same answer for every address, so a link never tells a stranger that a thread exists.


def _visitor_may_not_read(request: HttpRequest, readable: bool) -> HttpResponse | None:
    """For a visitor who is not signed in: the login page unless they may read here, and
    a count against the reading limit (strangers can trigger these pages)."""
    if request.user.is_authenticated:
        return None
    rate_limit_hit(request, "public_read", key="ip", methods=("GET",))
    return None if readable else redirect_to_login(request.get_full_path())


def _robots(response: HttpResponse, community: Community) -> HttpResponse:
    """Search engines index a page only where the community opted in."""
    if not community.is_indexable:
        response["X-Robots-Tag"] = "noindex"
    return response


@login_not_required
@require_GET
def thread_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    if not request.user.is_authenticated:
        found = communities_readable_by(request.user).filter(slug=slug).first()
        refused = _visitor_may_not_read(request, found is not None)
        if refused is not None:
            return refused
    community = _readable_community(request, slug)
    form = ThreadFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    sort = filters.get("sort") or "activity"
    threads = thread_list_for_community(
        request.user,
        community,
        kind=filters.get("kind", ""),
        tag=filters.get("tag", "").strip(),
        state=filters.get("state", ""),
        mine=filters.get("mine", False),
        sort=sort,
    )
    cursor = request.GET.get("cursor", "")
    page = keyset_page(threads, sort=sort, cursor=cursor, viewer=request.user)
    query = request.GET.copy()
    query.pop("cursor", None)
    context = {
        "community": community,
        "form": form,
        "filters_html": filter_form_html(form),
        "page": page,
        "query_string": query.urlencode(),
        "filtered": any(filters.get(key) for key in ("kind", "tag", "state", "mine")),
        "tags": tag_suggestions(request.user, community),
        "can_start_thread": can_start_thread(request.user, community),
        "join_call": join_call(request.user, community),
    }
    if request.htmx and cursor:
        response = render(request, "discussions/thread_list.html#thread-rows", context)
        return _robots(vary_on_htmx(response), community)
    if not cursor and request.user.is_authenticated:
        community_mark_visited(user=request.user, community=community)
    return _robots(
        vary_on_htmx(render(request, "discussions/thread_list.html", context)), community
    )


@require_GET
def feed_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    cursor = request.GET.get("cursor", "")
    context = {
        "page": keyset_page(
            thread_feed(request.user), sort="feed", cursor=cursor, viewer=request.user
        )
    }
    template = "discussions/feed.html#thread-rows" if request.htmx and cursor else None
    return vary_on_htmx(render(request, template or "discussions/feed.html", context))


@require_GET
def thread_similar_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _readable_community(request, slug)
    title = request.GET.get("title", "")[:200]
    context = {
        "community": community,
        "title": title,
        "similar": similar_threads(request.user, community, title),
    }
    template = "discussions/thread_similar.html"
    return vary_on_htmx(
        render(request, f"{template}#similar" if request.htmx else template, context)
    )


# --- starting a thread ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@rate_limit("post")
def thread_create_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    kinds = [kind for kind in Thread.Kind.values if can_start_thread(request.user, community, kind)]
    if not kinds:
        raise PermissionDenied
    similar, title = None, ""
    if request.method == "POST" and "check_similar" in request.POST:
        # "Check for similar questions" without JavaScript: show them, keep the text.
        form = ThreadForm(initial=request.POST.dict(), allowed_kinds=kinds)
        title = request.POST.get("title", "")[:200]
        similar = similar_threads(request.user, community, title)
    elif request.method == "POST":
        form = ThreadForm(request.POST, request.FILES, allowed_kinds=kinds)
        if form.is_valid():
            thread = _thread_create_from(request, community, form)
            if thread is not None:
                messages.success(request, _("Your post is online."))
                return redirect(thread)
    else:
        form = ThreadForm(initial={"kind": request.GET.get("kind", "")}, allowed_kinds=kinds)
    context = {
        "community": community,
        "form": form,
        "similar": similar,
        "title": title,
        "tags": tag_suggestions(request.user, community),
    }
    return render(request, "discussions/thread_form.html", context)


def _thread_create_from(
    request: AuthenticatedHttpRequest, community: Community, form: ThreadForm
) -> Thread | None:
    data = form.cleaned_data
    try:
        return thread_create(
            community=community,
            author=request.user,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            tags=data["tags"],
            files=request.FILES.getlist("attachments"),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


# --- the thread page -------------------------------------------------------------------------


def _thread_context(
    request: AuthenticatedHttpRequest,
    thread: Thread,
    *,
    page_number: int = 1,
    reply_form: ReplyForm | None = None,
) -> dict[str, Any]:
    user = request.user
    replies = thread_replies(user, thread, page_number)
    rights = {
        "can_reply": can_reply(user, thread),
        "can_react": can_react(user, thread),
        "can_accept": can_accept_answer(user, thread),
        "can_moderate": can_moderate(user, thread.community),
        "can_flag": can_flag(user, thread),
    }
    rights_of = reply_rights_in(user, thread)
    for node in replies.nodes_on_page:
        if not node.placeholder:
            node.can_edit, node.can_view_revisions = rights_of(node.reply)
    reply_cards(replies.nodes_on_page, thread=thread, **rights)
    return {
        **rights,
        "thread": thread,
        "community": thread.community,
        "thread_attachments": attachments_context(thread),
        "thread_reactions": reactions_block(thread, can_react=rights["can_react"]),
        "replies": replies.page.roots,
        "replies_html": reply_tree_html(replies.page.roots),
        "page": replies.page,
        "accepted": replies.accepted,
        "reply_form": reply_form or ReplyForm(),
        # Mention suggestions list the community's members: only for who may see them.
        "mentions_url": reverse("discussions:thread-mentions", kwargs={"thread_id": thread.pk})
        if can_view_member_list(user, thread.community)
        else "",
        "can_edit_thread": can_edit_post(user, thread),
        "can_view_thread_revisions": can_view_revisions(user, thread),
        "subscription_level": subscription_level(user, thread),
        "knowledge_pages": [
            {
                "title": link["title"],
                "url": reverse(
                    "discussions:knowledge-page",
                    kwargs={"slug": thread.community.slug, "page_slug": link["slug"]},
                ),
            }
            for link in getattr(thread, "knowledge_links", None) or []
        ],
        "can_edit_knowledge": can_edit_knowledge(user, thread.community),
        # Readers who are not signed in get no notification settings, only the call to join.
        "can_subscribe": user.is_authenticated,
        "join_call": "" if rights["can_reply"] else join_call(user, thread.community),
        "robots_noindex": not thread.community.is_indexable,
    }


@login_not_required
@require_GET
def thread_detail_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        try:
            thread = thread_get_for_page(request.user, thread_id)
        except Http404:
            thread = None
        refused = _visitor_may_not_read(request, thread is not None)
        if refused is not None or thread is None:
            return refused or redirect_to_login(request.get_full_path())
        context = _thread_context(request, thread, page_number=_page_number(request))
        return _robots(render(request, THREAD_PAGE, context), thread.community)
    thread = thread_get_for_page(request.user, thread_id)
    context = _thread_context(request, thread, page_number=_page_number(request))
    thread_mark_read(user=request.user, thread=thread)
    notifications_mark_thread_read(user=request.user, thread=thread)
    return _robots(render(request, THREAD_PAGE, context), thread.community)


def thread_partial(
    request: AuthenticatedHttpRequest, thread_id: int, partial: str, reply_id: int | None = None
) -> HttpResponse:
    """The thread page's partial after an htmx write, on the page showing `reply_id`."""
    thread = thread_get_for_page(request.user, thread_id)
    page = reply_page_number(request.user, thread, reply_id) if reply_id else 1
    context = _thread_context(request, thread, page_number=page)
    return vary_on_htmx(render(request, f"{THREAD_PAGE}#{partial}", context))


urlpatterns = [
    path("feed/", feed_view, name="feed"),
    path("c/<slug:slug>/threads/", thread_list_view, name="thread-list"),
    path("c/<slug:slug>/threads/new/", thread_create_view, name="thread-create"),
    path("c/<slug:slug>/threads/similar/", thread_similar_view, name="thread-similar"),
    path("t/<int:thread_id>/", thread_detail_view, name="thread"),
]
