from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.services.moderation import MUTE_MAX_DAYS, MUTE_MIN_DAYS


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the facilitators see your report and your name."),
    )


class ThreadModerationForm(forms.Form):
    ACTIONS = {
        "hide": _("Hide"),
        "unhide": _("Show again"),
        "lock": _("Lock"),
        "unlock": _("Unlock"),
        "pin": _("Pin"),
        "unpin": _("Unpin"),
    }
    action = forms.ChoiceField(choices=list(ACTIONS.items()))


class ReplyModerationForm(forms.Form):
    action = forms.ChoiceField(choices=[("hide", _("Hide")), ("unhide", _("Show again"))])


class ThreadMoveForm(forms.Form):
    community = forms.ModelChoiceField(
        label=_("Move to"),
        queryset=Community.objects.none(),
        empty_label=None,
        help_text=_("Only communities you facilitate are listed."),
    )

    def __init__(self, data: Any = None, *, targets: QuerySet[Community]) -> None:
        super().__init__(data)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = targets


class MuteForm(forms.Form):
    days = forms.IntegerField(
        label=_("Number of days"),
        min_value=MUTE_MIN_DAYS,
        max_value=MUTE_MAX_DAYS,
        initial=7,
        help_text=_("Between 1 and 90 days. The member can still read along."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the audit log and shown to the other facilitators."),
    )
