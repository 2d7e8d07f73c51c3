"""Meeting pages: the community's list, one meeting, planning, answers, attendance,
outputs and the meeting's calendar file."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from communities.models import Community
from communities.permissions import get_community_for_user_or_404
from discussions.permissions import threads_visible_to
from meetings.forms import (
    AgendaItemForm,
    AttendanceForm,
    MeetingForm,
    OutputFilesForm,
    OutputForm,
    RsvpForm,
)
from meetings.ics import calendar_bytes
from meetings.models import Meeting, Rsvp
from meetings.permissions import (
    can_plan_meetings,
    can_rsvp,
    can_see_meetings,
    can_see_online_link,
    can_take_up_proposal,
    get_meeting_for_user_or_404,
    get_proposal_for_user_or_404,
    meeting_recipients,
)
from meetings.selectors import meeting_lists_for_community, meeting_page
from meetings.services.meetings import (
    agenda_item_add,
    meeting_cancel,
    meeting_create,
    meeting_update,
)
from meetings.services.outputs import output_add, outputs_send
from meetings.services.rsvps import attendance_mark, attendance_say, rsvp_set
from members.types import AuthenticatedHttpRequest


def _readable_community(request: AuthenticatedHttpRequest, slug: str) -> Community:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_see_meetings(request.user, community):
        raise PermissionDenied
    return community


def _planned_meeting(request: AuthenticatedHttpRequest, meeting_id: int) -> Meeting:
    meeting = get_meeting_for_user_or_404(request.user, meeting_id)
    if not can_plan_meetings(request.user, meeting.community):
        raise PermissionDenied
    return meeting


@require_GET
def meeting_list_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = _readable_community(request, slug)
    upcoming, past = meeting_lists_for_community(request.user, community)
    context = {
        "community": community,
        "upcoming": upcoming,
        "past": past,
        "can_plan": can_plan_meetings(request.user, community),
    }
    return render(request, "meetings/meeting_list.html", context)


@require_http_methods(["GET", "POST"])
def meeting_create_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    community = get_community_for_user_or_404(request.user, slug)
    if not can_plan_meetings(request.user, community):
        raise PermissionDenied
    proposal = None
    if proposal_id := request.GET.get("proposal", ""):
        proposal = get_proposal_for_user_or_404(
            request.user, int(proposal_id) if proposal_id.isdigit() else 0
        )
        if proposal.community_id != community.pk or not can_take_up_proposal(
            request.user, proposal
        ):
            raise PermissionDenied
    initial = {"time_zone": request.user.time_zone}
    if proposal is not None:
        initial |= {"title": proposal.title, "description": proposal.description}
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        meeting = meeting_create(
            community=community, by=request.user, proposal=proposal, **form.meeting_fields()
        )
        messages.success(request, _("The meeting is planned. Members are told by email."))
        return redirect(meeting)
    context = {"community": community, "form": form, "proposal": proposal}
    return render(request, "meetings/meeting_form.html", context)


@require_GET
def meeting_detail_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, meeting_id)
    page = meeting_page(request.user, meeting)
    context = {"page": page, "meeting": meeting, "community": meeting.community}
    if page.can_plan:
        context["agenda_form"] = AgendaItemForm()
    return render(request, "meetings/meeting_detail.html", context)


@require_http_methods(["GET", "POST"])
def meeting_edit_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_id)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        initial=MeetingForm.initial_for(meeting),
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting_update(meeting=meeting, by=request.user, **form.meeting_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting has been changed."))
            return redirect(meeting)
    context = {"community": meeting.community, "form": form, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context)


@require_http_methods(["GET", "POST"])
def meeting_cancel_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_id)
    if request.method == "POST":
        meeting_cancel(meeting=meeting, by=request.user)
        messages.success(request, _("The meeting is cancelled; everyone who answered is told."))
        return redirect(meeting)
    return render(request, "meetings/meeting_cancel.html", {"meeting": meeting})


@require_POST
def meeting_rsvp_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, meeting_id)
    if not can_rsvp(request.user, meeting):
        raise PermissionDenied
    form = RsvpForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    rsvp = rsvp_set(meeting=meeting, user=request.user, answer=form.cleaned_data["answer"])
    if rsvp.is_waiting:
        messages.info(request, _("The meeting is full: you are on the waiting list."))
    else:
        messages.success(request, _("Your answer has been saved."))
    return redirect(meeting)


@require_POST
def meeting_attended_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, meeting_id)
    attendance_say(meeting=meeting, user=request.user)
    messages.success(request, _("Thank you: you are on the list of who was there."))
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def meeting_attendance_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_id)
    members = meeting_recipients(meeting).order_by("display_name", "email")
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={"present": list(meeting.attendances.values_list("user_id", flat=True))},
    )
    if request.method == "POST" and form.is_valid():
        attendance_mark(
            meeting=meeting, by=request.user, present=list(form.cleaned_data["present"])
        )
        messages.success(request, _("Attendance has been saved."))
        return redirect(meeting)
    return render(request, "meetings/meeting_attendance.html", {"meeting": meeting, "form": form})


@require_http_methods(["GET", "POST"])
def meeting_outputs_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_id)
    members = meeting_recipients(meeting).order_by("display_name", "email")
    form = OutputForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        output_add(meeting=meeting, by=request.user, **form.cleaned_data)
        messages.success(request, _("The output has been added."))
        return redirect("meetings:meeting-outputs", meeting_id=meeting.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "outputs": meeting.outputs.select_related("owner"),
        "files": meeting.files.all(),
        "files_form": OutputFilesForm(),
    }
    return render(request, "meetings/meeting_outputs.html", context)


@require_POST
def meeting_outputs_send_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_id)
    try:
        outputs_send(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The outputs are being sent to the members."))
    return redirect(meeting)


@require_POST
def agenda_item_add_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _planned_meeting(request, meeting_id)
    form = AgendaItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the agenda item a title."))
        return redirect(meeting)
    thread = None
    if thread_id := form.cleaned_data["thread"]:
        thread = (
            threads_visible_to(request.user)
            .filter(pk=thread_id, community=meeting.community)
            .first()
        )
    agenda_item_add(
        meeting=meeting, by=request.user, title=form.cleaned_data["title"], thread=thread
    )
    messages.success(request, _("The agenda item has been added."))
    return redirect(meeting)


@require_GET
def meeting_ics_view(request: AuthenticatedHttpRequest, meeting_id: int) -> HttpResponse:
    meeting = get_meeting_for_user_or_404(request.user, meeting_id)
    rsvp = Rsvp.objects.filter(meeting=meeting, user=request.user).first()
    show_link = can_see_online_link(request.user, meeting, rsvp)
    body = calendar_bytes([(meeting, show_link)], name=meeting.title, method="PUBLISH")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


urlpatterns = [
    path("communities/<slug:slug>/meetings/", meeting_list_view, name="meeting-list"),
    path("communities/<slug:slug>/meetings/new/", meeting_create_view, name="meeting-create"),
    path("meetings/<int:meeting_id>/", meeting_detail_view, name="meeting"),
    path("meetings/<int:meeting_id>/edit/", meeting_edit_view, name="meeting-edit"),
    path("meetings/<int:meeting_id>/cancel/", meeting_cancel_view, name="meeting-cancel"),
    path("meetings/<int:meeting_id>/answer/", meeting_rsvp_view, name="meeting-rsvp"),
    path("meetings/<int:meeting_id>/i-was-there/", meeting_attended_view, name="meeting-attended"),
    path(
        "meetings/<int:meeting_id>/attendance/", meeting_attendance_view, name="meeting-attendance"
    ),
    path("meetings/<int:meeting_id>/outputs/", meeting_outputs_view, name="meeting-outputs"),
    path("meetings/<int:meeting_id>/outputs/send/", meeting_outputs_send_view, name="outputs-send"),
    path("meetings/<int:meeting_id>/agenda/", agenda_item_add_view, name="agenda-add"),
    path("meetings/<int:meeting_id>/calendar.ics", meeting_ics_view, name="meeting-ics"),
]
