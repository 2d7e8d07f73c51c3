"""People pages: a person's profile and photo, the expert finder, "members like you",
and a community's members list.

Fixed paths start with "people/", which communities cannot take as a slug
(communities.models.RESERVED_SLUGS), so they never meet `<slug:slug>/...`.
"""

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from communities.models import Membership
from communities.permissions import (
    can_manage_community,
    can_view_member_list,
    get_community_for_user_or_404,
)
from communities.selectors.people import (
    can_see_person_field,
    expert_list,
    expert_rows,
    expertise_suggestions,
    get_person_for_user_or_404,
    member_list,
    member_list_organizations,
    member_rows,
    members_like_you,
    person_detail_context,
)
from members.models import Organization
from members.types import AuthenticatedHttpRequest
from members.views_profile import avatar_file_response

PAGE_SIZE = 50


class ExpertSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Who knows about"),
        max_length=100,
        required=False,
        help_text=_("One topic, for example: privacy."),
    )


class MemberFilterForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("Any organisation"),
    )
    role = forms.TypedChoiceField(
        label=_("Role"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", _("Any role")), *Membership.Role.choices],
    )
    expertise = forms.CharField(label=_("Expertise"), max_length=100, required=False)

    def __init__(self, *args: object, organizations: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["organization"].queryset = organizations  # type: ignore[attr-defined]


def _query_string_without_page(query: QueryDict) -> str:
    copy = query.copy()
    copy.pop("page", None)
    return copy.urlencode()


@require_GET
def person_detail_view(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    person = get_person_for_user_or_404(request.user, user_id)
    context = person_detail_context(request.user, person)
    return render(request, "communities/people_detail.html", context)


@require_GET
def person_avatar_view(request: AuthenticatedHttpRequest, user_id: int) -> HttpResponse:
    person = get_person_for_user_or_404(request.user, user_id)
    if not can_see_person_field(request.user, person, "avatar"):
        raise Http404
    return avatar_file_response(person)


@require_GET
def expert_finder_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExpertSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(expert_list(request.user, query), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = expert_rows(request.user, list(page.object_list), query)
    context = {
        "form": form,
        "query": query,
        "page": page,
        "rows": rows,
        "query_string": _query_string_without_page(request.GET),
        "suggestions": [] if rows else expertise_suggestions(request.user),
    }
    return render(request, "communities/people_experts.html", context)


@require_GET
def members_like_you_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    has_tags, rows = members_like_you(request.user)
    context = {"has_tags": has_tags, "rows": rows}
    return render(request, "communities/people_like_you.html", context)


@require_GET
def member_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_view_member_list(request.user, community):
        raise PermissionDenied
    organizations = member_list_organizations(request.user, community)
    form = MemberFilterForm(request.GET or None, organizations=organizations)
    filters = form.cleaned_data if form.is_valid() else {}
    memberships = member_list(
        request.user,
        community,
        organization=filters.get("organization"),
        role=filters.get("role"),
        expertise=filters.get("expertise", ""),
    )
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "community": community,
        "form": form,
        "page": page,
        "rows": member_rows(request.user, list(page.object_list)),
        "query_string": _query_string_without_page(request.GET),
        "filtered": any(value not in (None, "") for value in filters.values()),
        "can_manage": can_manage_community(request.user, community),
        "role_choices": Membership.Role.choices,
    }
    return render(request, "communities/people_members.html", context)


urlpatterns = [
    path("people/experts/", expert_finder_view, name="people-experts"),
    path("people/like-you/", members_like_you_view, name="people-like-you"),
    path("people/<int:user_id>/", person_detail_view, name="person"),
    path("people/<int:user_id>/avatar/", person_avatar_view, name="person-avatar"),
    path("<slug:slug>/members/", member_list_view, name="members"),
]
