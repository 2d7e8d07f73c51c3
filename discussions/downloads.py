"""Serving a stored upload (attachments, and the meetings' files that follow the same
checks): only ever through a view that has checked the viewer may see it first."""

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control

from discussions.services.attachments import INLINE_CONTENT_TYPES

DOWNLOAD_MAX_AGE = 60 * 60


def private_file_response(file: FieldFile, *, display_name: str, content_type: str) -> FileResponse:
    """The file as a download (images re-encoded at upload are shown inline), sandboxed,
    never sniffed, and cached only by the viewer's own browser: who may see it can change,
    and shared caches must never hold it."""
    try:
        handle = file.open("rb")
    except (OSError, ValueError) as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=content_type not in INLINE_CONTENT_TYPES,
        filename=display_name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    patch_cache_control(response, private=True, max_age=DOWNLOAD_MAX_AGE)
    return response
