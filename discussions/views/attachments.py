"""Attachments are downloaded only through here, after checking the viewer may read
the post they belong to; storage is never addressed directly."""

from django.http import FileResponse, Http404
from django.urls import URLPattern, path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from discussions.permissions import get_attachment_for_user_or_404
from discussions.services.attachments import INLINE_CONTENT_TYPES
from members.types import AuthenticatedHttpRequest

ATTACHMENT_MAX_AGE = 60 * 60


@require_GET
def attachment_download_view(request: AuthenticatedHttpRequest, attachment_id: int) -> FileResponse:
    attachment = get_attachment_for_user_or_404(request.user, attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (OSError, ValueError) as error:
        raise Http404 from error
    inline = attachment.content_type in INLINE_CONTENT_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.display_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Private: who may read a post can change, and shared caches must never hold it.
    patch_cache_control(response, private=True, max_age=ATTACHMENT_MAX_AGE)
    return response


urlpatterns: list[URLPattern] = [
    path(
        "attachments/<int:attachment_id>/",
        attachment_download_view,
        name="attachment-download",
    ),
]
