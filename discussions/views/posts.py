"""Writing on a thread: replies, edits, deletes and restores, revisions, reactions and
the accepted answer. The thread page itself lives in views/threads.py."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import reswap, retarget

from discussions.forms.threads import (
    ReactionForm,
    ReplyEditForm,
    ReplyForm,
    ThreadEditForm,
)
from discussions.fragments import reactions_block
from discussions.models import Reply, Thread
from discussions.permissions import (
    can_accept_answer,
    can_delete_post,
    can_edit_post,
    can_moderate,
    can_react,
    can_reply,
    can_view_revisions,
    get_reply_for_user_or_404,
    get_thread_for_user_or_404,
)
from discussions.selectors.threads import (
    reply_get_for_page,
    revision_list,
    thread_get_for_page,
)
from discussions.services.posts import (
    answer_accept,
    answer_unaccept,
    reply_create,
    reply_delete,
    reply_edit,
    reply_restore,
    thread_delete,
    thread_edit,
    thread_restore,
)
from discussions.services.reactions import reaction_toggle
from discussions.views.common import thread_url, vary_on_htmx
from discussions.views.threads import thread_partial
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest

# --- replying ----------------------------------------------------------------------------------


def _parent_reply(request: AuthenticatedHttpRequest, thread: Thread, value: str) -> Reply | None:
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    parent = get_reply_for_user_or_404(request.user, int(value))
    if parent.thread_id != thread.pk:
        raise Http404
    return parent


@require_http_methods(["GET", "POST"])
@rate_limit("post")
def reply_create_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_reply(request.user, thread):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else request.GET
    parent = _parent_reply(request, thread, data.get("parent", ""))
    form = ReplyForm(request.POST, request.FILES) if request.method == "POST" else ReplyForm()
    if request.method == "POST" and form.is_valid():
        reply = _reply_create_from(request, thread, parent, form)
        if reply is not None:
            if request.htmx:
                return thread_partial(request, thread.pk, "replies", reply.pk)
            messages.success(request, _("Your reply is online."))
            return redirect(thread_url(request, thread, reply.pk))
    context = {"thread": thread, "community": thread.community, "parent": parent, "form": form}
    if request.htmx:
        response = render(request, "discussions/components/reply_form.html", context)
        if request.method == "POST":
            reswap(response, "outerHTML")
            retarget(response, f"#reply-form-{parent.pk if parent else 'thread'}")
        return vary_on_htmx(response)
    return vary_on_htmx(render(request, "discussions/thread_reply.html", context))


def _reply_create_from(
    request: AuthenticatedHttpRequest, thread: Thread, parent: Reply | None, form: ReplyForm
) -> Reply | None:
    try:
        return reply_create(
            thread=thread,
            author=request.user,
            body=form.cleaned_data["body"],
            parent=parent,
            files=request.FILES.getlist("attachments"),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


# --- editing, deleting, revisions ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def thread_edit_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_edit_post(request.user, thread):
        raise PermissionDenied
    initial = {"title": thread.title, "body": thread.body, "tags": ", ".join(thread.tags.names())}
    form = ThreadEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            thread_edit(
                thread=thread,
                by=request.user,
                title=data["title"],
                body=data["body"],
                tags=data["tags"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(thread)
    context = {"thread": thread, "community": thread.community, "form": form, "post": thread}
    return render(request, "discussions/thread_edit.html", context)


@require_http_methods(["GET", "POST"])
def reply_edit_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    if not can_edit_post(request.user, reply):
        raise PermissionDenied
    form = ReplyEditForm(request.POST or None, initial={"body": reply.body})
    if request.method == "POST" and form.is_valid():
        try:
            reply_edit(reply=reply, by=request.user, body=form.cleaned_data["body"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(thread_url(request, reply.thread, reply.pk))
    context = {"thread": reply.thread, "community": reply.thread.community, "form": form}
    return render(request, "discussions/thread_edit.html", {**context, "post": reply})


@require_http_methods(["GET", "POST"])
def thread_delete_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_delete_post(request.user, thread):
        raise PermissionDenied
    if request.method == "POST":
        thread_delete(thread=thread, by=request.user)
        messages.success(request, _("The post was deleted."))
        return redirect("discussions:thread-list", slug=thread.community.slug)
    context = {"thread": thread, "community": thread.community, "post": thread}
    return render(request, "discussions/thread_delete.html", context)


@require_http_methods(["GET", "POST"])
def reply_delete_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    if not can_delete_post(request.user, reply):
        raise PermissionDenied
    if request.method == "POST":
        reply_delete(reply=reply, by=request.user)
        messages.success(request, _("The reply was deleted."))
        return redirect(reply.thread)
    context = {"thread": reply.thread, "community": reply.thread.community, "post": reply}
    return render(request, "discussions/thread_delete.html", context)


@require_POST
def thread_restore_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_moderate(request.user, thread.community):
        raise PermissionDenied
    thread_restore(thread=thread, by=request.user)
    messages.success(request, _("The post was restored."))
    return redirect(thread)


@require_POST
def reply_restore_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    if not can_moderate(request.user, reply.thread.community):
        raise PermissionDenied
    reply_restore(reply=reply, by=request.user)
    messages.success(request, _("The reply was restored."))
    return redirect(thread_url(request, reply.thread, reply.pk))


def _revisions(request: AuthenticatedHttpRequest, post: Thread | Reply, thread: Thread) -> Any:
    if not can_view_revisions(request.user, post):
        raise PermissionDenied
    context = {
        "thread": thread,
        "community": thread.community,
        "post": post,
        "revisions": revision_list(post),
    }
    return render(request, "discussions/thread_revisions.html", context)


@require_GET
def thread_revisions_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    return _revisions(request, thread, thread)  # type: ignore[no-any-return]


@require_GET
def reply_revisions_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    return _revisions(request, reply, reply.thread)  # type: ignore[no-any-return]


# --- reactions and the accepted answer ----------------------------------------------------------


def _react(request: AuthenticatedHttpRequest, post: Thread | Reply, thread: Thread) -> HttpResponse:
    if not can_react(request.user, thread):
        raise PermissionDenied
    form = ReactionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose one of the reactions."))
    reaction_toggle(user=request.user, post=post, kind=form.cleaned_data["kind"])
    if not request.htmx:
        anchor = f"reply-{post.pk}" if isinstance(post, Reply) else "thread"
        return vary_on_htmx(redirect(f"{thread.get_absolute_url()}#{anchor}"))
    fresh = (
        thread_get_for_page(request.user, post.pk)
        if isinstance(post, Thread)
        else reply_get_for_page(request.user, post.pk)
    )
    context = {"block": reactions_block(fresh, can_react=True)}
    return vary_on_htmx(render(request, "discussions/components/reactions.html", context))


@require_POST
@rate_limit("reaction")
def thread_react_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    return _react(request, thread, thread)


@require_POST
@rate_limit("reaction")
def reply_react_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    if reply.is_deleted:
        raise PermissionDenied
    return _react(request, reply, reply.thread)


@require_POST
def answer_accept_view(request: AuthenticatedHttpRequest, reply_id: int) -> HttpResponse:
    reply = get_reply_for_user_or_404(request.user, reply_id)
    thread = reply.thread
    if not can_accept_answer(request.user, thread) or reply.is_deleted:
        raise PermissionDenied
    answer_accept(thread=thread, reply=reply, by=request.user)
    if request.htmx:
        return thread_partial(request, thread.pk, "thread-body", reply.pk)
    messages.success(request, _("Marked as the answer."))
    return vary_on_htmx(redirect(thread))


@require_POST
def answer_unaccept_view(request: AuthenticatedHttpRequest, thread_id: int) -> HttpResponse:
    thread = get_thread_for_user_or_404(request.user, thread_id)
    if not can_accept_answer(request.user, thread):
        raise PermissionDenied
    answer_unaccept(thread=thread, by=request.user)
    if request.htmx:
        return thread_partial(request, thread.pk, "thread-body")
    messages.success(request, _("The question is open again."))
    return vary_on_htmx(redirect(thread))


urlpatterns = [
    path("t/<int:thread_id>/reply/", reply_create_view, name="reply-create"),
    path("t/<int:thread_id>/edit/", thread_edit_view, name="thread-edit"),
    path("t/<int:thread_id>/delete/", thread_delete_view, name="thread-delete"),
    path("t/<int:thread_id>/restore/", thread_restore_view, name="thread-restore"),
    path("t/<int:thread_id>/revisions/", thread_revisions_view, name="thread-revisions"),
    path("t/<int:thread_id>/react/", thread_react_view, name="thread-react"),
    path("t/<int:thread_id>/unaccept/", answer_unaccept_view, name="answer-unaccept"),
    path("replies/<int:reply_id>/edit/", reply_edit_view, name="reply-edit"),
    path("replies/<int:reply_id>/delete/", reply_delete_view, name="reply-delete"),
    path("replies/<int:reply_id>/restore/", reply_restore_view, name="reply-restore"),
    path("replies/<int:reply_id>/revisions/", reply_revisions_view, name="reply-revisions"),
    path("replies/<int:reply_id>/react/", reply_react_view, name="reply-react"),
    path("replies/<int:reply_id>/accept/", answer_accept_view, name="answer-accept"),
]
