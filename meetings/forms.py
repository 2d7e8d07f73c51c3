"""Forms for meetings and topics: input only."""

import zoneinfo
from datetime import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.forms.threads import MultipleFileField
from meetings.models import Meeting, MeetingOutput, Rsvp
from members.models import TIME_ZONE_CHOICES, User


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What it is about and for whom. Markdown works."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=TIME_ZONE_CHOICES)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    online_link = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to members who said yes and have a place."),
    )
    capacity = forms.IntegerField(
        label=_("Places"), min_value=1, required=False, help_text=_("Leave empty for no limit.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end, zone = (
            data.get(k) for k in ("date", "start_time", "end_time", "time_zone")
        )
        if day and start and end and zone:
            tz = zoneinfo.ZoneInfo(zone)
            data["starts_at"] = datetime.combine(day, start, tzinfo=tz)
            data["ends_at"] = datetime.combine(day, end, tzinfo=tz)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The meeting must end after it starts."))
        if not data.get("place") and not data.get("online_link"):
            self.add_error("place", _("Give a place, an online link, or both."))
        return data

    def meeting_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "starts_at": data["starts_at"],
            "ends_at": data["ends_at"],
            "time_zone": data["time_zone"],
            "place": data["place"],
            "online_link": data["online_link"],
            "capacity": data["capacity"],
        }

    @staticmethod
    def initial_for(meeting: Meeting) -> dict[str, Any]:
        start = meeting.starts_at.astimezone(meeting.zone)
        return {
            "kind": meeting.kind,
            "title": meeting.title,
            "description": meeting.description,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": meeting.ends_at.astimezone(meeting.zone).time(),
            "time_zone": meeting.time_zone,
            "place": meeting.place,
            "online_link": meeting.online_link,
            "capacity": meeting.capacity,
        }


class RsvpForm(forms.Form):
    answer = forms.ChoiceField(choices=Rsvp.Answer.choices)


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Agenda item"), max_length=200)
    thread = forms.IntegerField(required=False, widget=forms.HiddenInput)


class OutputForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=MeetingOutput.Kind.choices)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))
    owner = forms.ModelChoiceField(
        label=_("Who (action items)"), queryset=User.objects.none(), required=False
    )
    due_on = forms.DateField(
        label=_("By when (action items)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["owner"].queryset = members  # type: ignore[attr-defined]


class OutputFilesForm(forms.Form):
    # Checked by content in the service (the discussions' attachment rules), not here.
    uploads = MultipleFileField(
        label=_("Files"),
        help_text=_("Slides, a report, a photo of the flip chart: PDF, office files or images."),
    )


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("Who was there"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["present"].queryset = members  # type: ignore[attr-defined]
        self.fields["present"].label_from_instance = lambda user: user.name  # type: ignore[attr-defined]


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(
        label=_("What would you like to learn?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VoteForm(forms.Form):
    action = forms.ChoiceField(choices=[("vote", "vote"), ("withdraw", "withdraw")])


class TakeUpForm(forms.Form):
    into = forms.ChoiceField(
        choices=[("meeting", "meeting"), ("agenda", "agenda"), ("thread", "thread")]
    )
    meeting = forms.IntegerField(required=False)


class FeedForm(forms.Form):
    action = forms.ChoiceField(choices=[("create", "create"), ("revoke", "revoke")])
