"""Attachments are downloaded only through here, after checking the viewer may read
the post they belong to; storage is never addressed directly."""

from django.http import FileResponse
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET

from discussions.downloads import private_file_response
from discussions.permissions import get_attachment_for_user_or_404
from members.types import AuthenticatedHttpRequest


@require_GET
def attachment_download_view(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
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
