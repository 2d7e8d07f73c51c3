"""The search page: a GET form, results and pages; works without JavaScript."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from communities.permissions import communities_readable_by
from discussions.forms.search import SearchForm
from discussions.selectors.search import search
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest


def _page_number(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 1


@require_GET
@rate_limit("search", methods=("GET",))
def search_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None, communities=communities_readable_by(request.user))
    results = None
    if form.is_bound and form.is_valid():
        results = search(
            request.user,
            form.cleaned_data["q"],
            form.filters(),
            page=_page_number(request.GET.get("page")),
        )
    query = request.GET.copy()
    query.pop("page", None)
    # The filters stay folded unless one is in use.
    filtered = results is not None and any(
        value for name, value in form.cleaned_data.items() if name != "q"
    )
    context = {
        "form": form,
        "results": results,
        "query_string": query.urlencode(),
        "filtered": filtered,
    }
    return render(request, "discussions/search.html", context)


urlpatterns: list[URLPattern] = [path("search/", search_view, name="search")]
