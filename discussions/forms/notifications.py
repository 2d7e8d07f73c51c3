"""Forms for subscriptions and the mention autocomplete: clean input, nothing more."""

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.mentions import MAX_NAME_LENGTH
from discussions.models import Subscription


class SubscriptionForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Notifications"),
        choices=Subscription.Level.choices,
        widget=forms.RadioSelect,
    )


class MentionQueryForm(forms.Form):
    q = forms.CharField(max_length=MAX_NAME_LENGTH, required=False, strip=True)
