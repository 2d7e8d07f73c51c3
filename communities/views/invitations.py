"""Invitations: facilitators invite, list, resend and revoke; invitees land and accept."""

from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from communities.forms.invitations import (
    InvitationAcceptForm,
    InvitationForm,
    InvitationJoinForm,
    name_from_address,
)
from communities.models import Community, Invitation
from communities.permissions import (
    Role,
    get_community_for_manager_or_403,
    invitation_bound_to_address,
    role_in,
)
from communities.selectors.invitations import (
    PENDING,
    STATUSES,
    community_known_to,
    invitation_for_community,
    invitation_get_by_token,
    invitation_list_for_community,
    invitation_status,
    invitation_status_counts,
    users_by_email,
)
from communities.services.invitation_links import invitation_accept_by_link
from communities.services.invitations import (
    InvitationReport,
    invitation_accept,
    invitation_create_many,
    invitation_resend,
    invitation_revoke,
)
from members.models import User
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest

LIST_TEMPLATE = "communities/invitation_list.html"
ACCEPT_TEMPLATE = "communities/invitation_accept.html"
PAGE_SIZE = 50


def _form_after(report: InvitationReport, form: InvitationForm) -> InvitationForm:
    """A fresh form; when lines were invalid, it holds them (and the message and
    expiry) for correcting, so nothing typed is lost."""
    if not report.invalid:
        return InvitationForm()
    return InvitationForm(
        initial={
            "addresses": "\n".join(line.text for line in report.invalid),
            "message": form.cleaned_data["message"],
            "expires_in_days": form.cleaned_data["expires_in_days"],
        }
    )


@rate_limit("invitation", key="user")
def invitation_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_manager_or_403(request.user, slug)
    form = InvitationForm(request.POST or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = invitation_create_many(
                community=community, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error("addresses", error)
        else:
            form = _form_after(report, form)
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    context = {
        "community": community,
        "form": form,
        "report": report,
        "status": status,
        "counts": invitation_status_counts(community),
        "page": Paginator(
            invitation_list_for_community(community, status=status), PAGE_SIZE
        ).get_page(request.GET.get("page")),
    }
    return render(request, LIST_TEMPLATE, context)


def _managed_invitation(request: AuthenticatedHttpRequest, slug: str, pk: int) -> Invitation:
    invitation = invitation_for_community(get_community_for_manager_or_403(request.user, slug), pk)
    if invitation is None:
        raise Http404
    return invitation


@require_POST
@rate_limit("invitation", key="user")
def invitation_resend_view(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    invitation = _managed_invitation(request, slug, invitation_id)
    try:
        invitation_resend(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been sent again, with a new link.")
            % {"email": invitation.email},
        )
    return redirect("communities:invitations", slug=slug)


@require_POST
def invitation_revoke_view(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    invitation = _managed_invitation(request, slug, invitation_id)
    try:
        invitation_revoke(invitation=invitation, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("The invitation to %(email)s has been revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    return redirect("communities:invitations", slug=slug)


def _closed_response(request: HttpRequest, invitation: Invitation, status: str) -> HttpResponse:
    """Used, expired or revoked: say which; name the community only to whoever may
    know it exists."""
    community = invitation.community
    context = {
        "status": status,
        "community": community if community_known_to(request.user, community) else None,
        "is_member": role_in(request.user, community) >= Role.MEMBER,
    }
    return render(request, "communities/invitation_closed.html", context)


def _landing_context(request: HttpRequest, invitation: Invitation) -> dict[str, object]:
    return {
        "invitation": invitation,
        "community": invitation.community,
        "inviter_name": invitation.invited_by.name if invitation.invited_by else "",
    }


def _welcome(request: HttpRequest, community: Community, already_member: bool) -> None:
    text = (
        _("You were already a member of %(community)s.")
        if already_member
        else _("Welcome to %(community)s!")
    )
    messages.success(request, text % {"community": community.name})


def _join_response(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    """Not signed in: the link proves the address, so this page is the whole way in. A
    name for a new account and the way of working; an existing account is signed in."""
    community = invitation.community
    address = invitation.email.lower()
    account = users_by_email([address]).get(address)
    already_member = account is not None and role_in(account, community) >= Role.MEMBER
    form = InvitationJoinForm(
        request.POST if request.method == "POST" else None,
        initial={"display_name": name_from_address(address)},
        needs_name=account is None,
        charter_required=bool(community.charter) and not already_member,
    )
    if request.method == "POST" and form.is_valid():
        try:
            user, _membership = invitation_accept_by_link(
                invitation=invitation,
                display_name=form.cleaned_data.get("display_name", ""),
                charter_accepted=form.cleaned_data.get("accept_charter", False),
                language=get_language() or "",
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _welcome(request, community, already_member)
            # allauth's own login, so its stages (a second factor, where set) still apply.
            request.quiet_login = True  # type: ignore[attr-defined]
            return perform_login(request, user, redirect_url=community.get_absolute_url())
    context = {
        **_landing_context(request, invitation),
        "form": form,
        "account": account,
        "already_member": already_member,
        "needs_charter": "accept_charter" in form.fields,
    }
    return render(request, ACCEPT_TEMPLATE, context)


def _accept_response(request: HttpRequest, user: User, invitation: Invitation) -> HttpResponse:
    community = invitation.community
    if request.method == "POST" and "switch_account" in request.POST:
        # "Log out and accept with the invited address": the link then lets that one in.
        logout(request)
        return redirect(request.path)
    already_member = role_in(user, community) >= Role.MEMBER
    other_address = user.email.lower() != invitation.email.lower()
    bound = other_address and invitation_bound_to_address(community)
    # Bound on any POST: an unticked checkbox sends nothing, and must still be refused.
    form = InvitationAcceptForm(
        request.POST if request.method == "POST" else None,
        charter_required=bool(community.charter) and not already_member,
    )
    if request.method == "POST" and not bound and form.is_valid():
        try:
            invitation_accept(
                invitation=invitation,
                user=user,
                charter_accepted=form.cleaned_data.get("accept_charter", False),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _welcome(request, community, already_member)
            return redirect(community)
    context = {
        **_landing_context(request, invitation),
        "form": form,
        "already_member": already_member,
        "needs_charter": "accept_charter" in form.fields,
        "other_address": other_address,
        "bound_to_address": bound,
    }
    return render(request, ACCEPT_TEMPLATE, context)


@login_not_required
@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link, and the whole way in: strangers give a name and accept the way
    of working, people with an account accept and are signed in, signed-in people
    accept (another account than invited only where the community allows it)."""
    invitation = invitation_get_by_token(token)
    if invitation is None:
        return render(request, "communities/invitation_invalid.html", status=404)
    status = invitation_status(invitation)
    if status != PENDING:
        return _closed_response(request, invitation, status)
    user = request.user
    if not user.is_authenticated:
        return _join_response(request, invitation)
    return _accept_response(request, user, invitation)


urlpatterns = [
    path("invitations/<str:token>/", invitation_accept_view, name="invitation-accept"),
    path("<slug:slug>/invitations/", invitation_list_view, name="invitations"),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/resend/",
        invitation_resend_view,
        name="invitation-resend",
    ),
    path(
        "<slug:slug>/invitations/<int:invitation_id>/revoke/",
        invitation_revoke_view,
        name="invitation-revoke",
    ),
]
