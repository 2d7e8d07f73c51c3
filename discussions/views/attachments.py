"""Attachments are downloaded only through here, after checking the viewer may read
the post they belong to; storage is never addressed directly."""

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.http.response import HttpResponseBase
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from discussions.downloads import private_file_response
from discussions.permissions import get_attachment_for_user_or_404
from members.ratelimits import rate_limit_hit
from members.types import AuthenticatedHttpRequest


@login_not_required  # visitors reading along in a community open to the public
@require_GET
def attachment_download_view(
    request: AuthenticatedHttpRequest, attachment_id: int
) -> HttpResponseBase:
    if not request.user.is_authenticated:
        rate_limit_hit(request, "public_read", key="ip", methods=("GET",))
        try:
            attachment = get_attachment_for_user_or_404(request.user, attachment_id)
        except Http404:
            # As for every other page: log in, then see; an id tells a stranger nothing.
            return redirect_to_login(request.get_full_path())
    else:
        attachment = get_attachment_for_user_or_404(request.user, attachment_id)
    return private_file_response(
        attachment.file,
        display_name=attachment.display_name,
        content_type=attachment.content_type,
    )


urlpatterns: list[URLPattern] = [
    path(
        "attachments/<int:attachment_id>/",
        attachment_download_view,
        name="attachment-download",
    ),
]
