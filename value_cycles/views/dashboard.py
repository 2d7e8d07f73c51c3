"""The dashboard: per community and across all a person sponsors, with date-range and
community filters, CSV of every table and a printable report."""

import csv
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from communities.models import Community
from communities.permissions import get_community_for_user_or_404
from members.types import AuthenticatedHttpRequest
from value_cycles.charts import bar_chart, stacked_columns
from value_cycles.forms import AspirationForm, DashboardFilterForm
from value_cycles.models import Cycle
from value_cycles.permissions import (
    can_record_aspiration,
    can_view_dashboard,
    dashboard_communities_for,
    shows_organisation,
)
from value_cycles.reports import tables
from value_cycles.selectors.dashboard import Dashboard, Period, dashboard_for
from value_cycles.services.stories import aspiration_record

CYCLE_CSS = [f"cycle-{c}" for c in Cycle.values]


def _community_or_403(request: AuthenticatedHttpRequest, slug: str) -> Community:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_view_dashboard(request.user, community):
        raise PermissionDenied
    return community


def _filtered(
    request: AuthenticatedHttpRequest, slug: str | None
) -> tuple[DashboardFilterForm, list[Community], Period]:
    if slug is not None:
        communities, choices = [_community_or_403(request, slug)], []
    else:
        communities = list(dashboard_communities_for(request.user).order_by("name"))
        choices = [(c.slug, c.name) for c in communities]
    form = DashboardFilterForm(request.GET or None, communities=choices)
    chosen = set(form.cleaned_data.get("community") or []) if form.is_valid() else set()
    if chosen:
        communities = [c for c in communities if c.slug in chosen]
    start, end = form.period()
    zone = timezone.get_current_timezone()
    period = Period(
        start=datetime.combine(start, time.min, tzinfo=zone),
        end=datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )
    return form, communities, period


def _charts(board: Dashboard, named: dict) -> dict[str, str]:  # type: ignore[type-arg]
    cycles = named["cycles"]
    return {
        "cycles": bar_chart(
            [(str(r[0]), r[1]) for r in cycles.rows], title=cycles.title, css=CYCLE_CSS
        ),
        "months": stacked_columns(
            [(str(r[0]), r[1:]) for r in named["months"].rows],
            title=named["months"].title,
            css=CYCLE_CSS,
        ),
        "conversion": bar_chart(
            [(str(r[0]), r[1]) for r in named["conversion"].rows],
            title=named["conversion"].title,
            css=["cycle-1", "cycle-3", "cycle-4"],
        ),
        "participation": bar_chart(
            [(str(r[0]), r[1]) for r in named["participation"].rows],
            title=named["participation"].title,
        ),
    }


def _dashboard(request: AuthenticatedHttpRequest, slug: str | None, template: str) -> HttpResponse:
    form, communities, period = _filtered(request, slug)
    board = dashboard_for(request.user, communities, period)
    named = tables(board)
    context = {
        "form": form,
        "board": board,
        "tables": named,
        "charts": _charts(board, named),
        "community": communities[0] if slug is not None else None,
        "communities": communities,
        "stories": [(s, shows_organisation(request.user, s)) for s in board.stories],
        "can_aspire": slug is not None and can_record_aspiration(request.user, communities[0]),
        "query": request.GET.urlencode(),
        "period_end": period.end - timedelta(days=1),
    }
    return render(request, template, context)


@require_GET
def dashboard_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, slug, "value_cycles/dashboard.html")


@require_GET
def dashboard_all_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _dashboard(request, None, "value_cycles/dashboard.html")


@require_GET
def dashboard_print_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, slug, "value_cycles/dashboard_print.html")


@require_GET
def dashboard_all_print_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _dashboard(request, None, "value_cycles/dashboard_print.html")


def _csv(request: AuthenticatedHttpRequest, slug: str | None) -> HttpResponse:
    _form, communities, period = _filtered(request, slug)
    named = tables(dashboard_for(request.user, communities, period))
    table = named.get(request.GET.get("table", "cycles"))
    if table is None:
        raise Http404
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{slug or 'all'}-{table.name}-{period.start:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(table.headers)
    writer.writerows(table.rows)
    return response


@require_GET
def dashboard_csv_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    return _csv(request, slug)


@require_GET
def dashboard_all_csv_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _csv(request, None)


@require_http_methods(["GET", "POST"])
def aspiration_create_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_record_aspiration(request.user, community):
        raise PermissionDenied
    form = AspirationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            aspiration_record(community=community, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your aspiration is on the dashboard."))
            return redirect("value_cycles:dashboard", slug=community.slug)
    return render(
        request, "value_cycles/aspiration_form.html", {"form": form, "community": community}
    )


urlpatterns = [
    path("dashboard/", dashboard_all_view, name="dashboard-all"),
    path("dashboard/print/", dashboard_all_print_view, name="dashboard-all-print"),
    path("dashboard/csv/", dashboard_all_csv_view, name="dashboard-all-csv"),
    path("c/<slug:slug>/dashboard/", dashboard_view, name="dashboard"),
    path("c/<slug:slug>/dashboard/print/", dashboard_print_view, name="dashboard-print"),
    path("c/<slug:slug>/dashboard/csv/", dashboard_csv_view, name="dashboard-csv"),
    path("c/<slug:slug>/aspirations/new/", aspiration_create_view, name="aspiration-create"),
]
