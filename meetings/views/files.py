"""A meeting's files: facilitators upload and remove them on the outputs page; whoever
may see the meeting downloads them, only through here (storage is never addressed
directly), served as the discussions' attachments are."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from discussions.downloads import private_file_response
from meetings.forms import OutputFilesForm
from meetings.permissions import (
    can_plan_meetings,
    get_meeting_for_user_or_404,
    get_output_file_for_user_or_404,
)
from meetings.services.outputs import output_file_remove, output_files_add
from members.ratelimits import rate_limit
from members.types import AuthenticatedHttpRequest


@require_POST
@rate_limit("upload")
def output_files_add_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, meeting_id)
    if not can_plan_meetings(request.user, meeting.community):
        raise PermissionDenied
    form = OutputFilesForm(request.POST, request.FILES)
    files = form.cleaned_data["uploads"] if form.is_valid() else []
    if not files:
        messages.error(request, _("Choose one or more files first."))
        return redirect("meetings:meeting-outputs", meeting_id=meeting.pk)
    try:
        output_files_add(meeting=meeting, by=request.user, files=files)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The files have been added to the meeting."))
    return redirect("meetings:meeting-outputs", meeting_id=meeting.pk)


@require_GET
def output_file_download_view(request: AuthenticatedHttpRequest, file_id: int) -> FileResponse:
    stored = get_output_file_for_user_or_404(request.user, file_id)
    return private_file_response(
        stored.file, display_name=stored.display_name, content_type=stored.content_type
    )


@require_POST
def output_file_remove_view(request: AuthenticatedHttpRequest, file_id: int) -> HttpResponse:
    stored = get_output_file_for_user_or_404(request.user, file_id)
    if not can_plan_meetings(request.user, stored.meeting.community):
        raise PermissionDenied
    output_file_remove(output_file=stored, by=request.user)
    messages.success(request, _("The file has been removed."))
    return redirect("meetings:meeting-outputs", meeting_id=stored.meeting_id)


urlpatterns = [
    path("meetings/<int:meeting_id>/files/", output_files_add_view, name="output-files-add"),
    path("meeting-files/<int:file_id>/", output_file_download_view, name="output-file"),
    path("meeting-files/<int:file_id>/remove/", output_file_remove_view, name="output-file-remove"),
]
