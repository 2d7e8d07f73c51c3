"""Your data: the export (ask, follow its progress, download) and erasing the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.forms import EraseForm
from members.models import DataExport
from members.permissions import get_export_for_owner_or_404
from members.ratelimits import rate_limit, rate_limit_hit
from members.services import export_record_download, export_request, member_erase
from members.types import AuthenticatedHttpRequest

# Seconds between reloads of the progress page while an export is being made.
REFRESH_SECONDS = 5
SHOWN_EXPORTS = 5


@require_GET
def privacy_data_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    now = timezone.now()
    exports = list(request.user.data_exports.order_by("-created_at")[:SHOWN_EXPORTS])
    working = any(e.state in {DataExport.State.PENDING, DataExport.State.BUILDING} for e in exports)
    context = {
        "exports": [(export, export.is_downloadable(now)) for export in exports],
        "working": working,
        "refresh_seconds": REFRESH_SECONDS if working else None,
    }
    return render(request, "members/privacy_data.html", context)


@require_POST
@rate_limit("export", key="user")
def export_request_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    export_request(user=request.user)
    messages.success(request, _("Your export is being made. We will email you when it is ready."))
    return redirect("members:privacy-data")


@require_GET
def export_download_view(request: AuthenticatedHttpRequest, export_id: int) -> FileResponse:
    export = get_export_for_owner_or_404(request.user, export_id)
    export_record_download(export=export, by=request.user)
    filename = f"my-data-{export.created_at:%Y-%m-%d}.zip"
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def member_erase_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    form = EraseForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST":
        # Each attempt is a guess at the address: counted, valid or not.
        rate_limit_hit(request, "erasure", key="user")
        if form.is_valid():
            member_erase(user=user, by=user, remove_posts=form.cleaned_data["remove_posts"])
            logout(request)
            messages.success(request, _("Your account and your personal data have been erased."))
            return redirect("home")
    return render(request, "members/member_erase.html", {"form": form})
