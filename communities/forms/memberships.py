from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Membership


class JoinForm(forms.Form):
    accept_charter = forms.BooleanField(
        label=_("I accept the way of working of this community"), required=True
    )


class JoinRequestForm(JoinForm):
    message = forms.CharField(
        label=_("Message to the facilitators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Tell them who you are and what you hope to learn or share."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person who asked."),
    )


class RoleForm(forms.Form):
    role = forms.TypedChoiceField(label=_("Role"), coerce=int, choices=Membership.Role.choices)


class RemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"), required=False, max_length=500
    )
