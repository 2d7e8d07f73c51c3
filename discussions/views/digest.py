"""The "what my next digest looks like" page."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET

from discussions.emails.digest import digest_content, digest_windows
from members.types import AuthenticatedHttpRequest


@require_GET
def digest_preview_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Everything the next digest would hold now, for every community whose digest is
    not off, read with the viewer's own permissions."""
    windows = digest_windows([request.user.pk], timezone.now(), only_due=False).get(
        request.user.pk, {}
    )
    content = digest_content(request.user, windows)
    return render(
        request,
        "discussions/digest_preview.html",
        {
            **content,
            "empty": not any(content.values()),
            "since": min(windows.values()) if windows else None,
            "site_url": "",
        },
    )


urlpatterns = [path("digest/preview/", digest_preview_view, name="digest-preview")]
