from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from communities.selectors.invitations import (
    DEFAULT_EXPIRY_DAYS,
    MAX_ADDRESSES,
    MAX_EXPIRY_DAYS,
    MIN_EXPIRY_DAYS,
)


class InvitationForm(forms.Form):
    addresses = forms.CharField(
        label=_("Email addresses"),
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 6, "autocomplete": "off", "spellcheck": "false"}),
    )
    message = forms.CharField(
        label=_("Personal message (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown in the email and on the invitation page."),
    )
    expires_in_days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=MIN_EXPIRY_DAYS,
        max_value=MAX_EXPIRY_DAYS,
        initial=DEFAULT_EXPIRY_DAYS,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set here, not at import, so the numbers are put into the viewer's language.
        self.fields["addresses"].help_text = gettext(
            "One address, or many: one per line, or separated by commas or semicolons. "
            "At most %(max)s at a time."
        ) % {"max": MAX_ADDRESSES}
        self.fields["expires_in_days"].help_text = gettext("From %(min)s to %(max)s days.") % {
            "min": MIN_EXPIRY_DAYS,
            "max": MAX_EXPIRY_DAYS,
        }


class InvitationAcceptForm(forms.Form):
    accept_charter = forms.BooleanField(
        label=_("I accept the way of working of this community"), required=True
    )

    def __init__(self, *args: Any, charter_required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not charter_required:
            del self.fields["accept_charter"]


class InvitationJoinForm(InvitationAcceptForm):
    """The invitation page for someone not signed in: a name (for a new account) and the
    way of working, and they are in."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("How other members see you. You can change it later."),
    )

    field_order = ["display_name", "accept_charter"]

    def __init__(self, *args: Any, needs_name: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_name:
            del self.fields["display_name"]
        else:
            self.fields["display_name"].widget.attrs["autocomplete"] = "name"

    def clean_display_name(self) -> str:
        name = " ".join(self.cleaned_data["display_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the name other members will see."))
        return name


def name_from_address(email: str) -> str:
    """A first guess at a name from an address like ines.visser@...: "Ines Visser"; empty
    when the part before the @ does not look like a name."""
    local = email.split("@", 1)[0]
    parts = [part for part in local.replace("_", ".").replace("-", ".").split(".") if part]
    if len(parts) < 2 or not all(part.isalpha() for part in parts):
        return ""
    return " ".join(part.capitalize() for part in parts)
