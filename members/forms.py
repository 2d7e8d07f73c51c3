from django import forms
from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from members.models import User
from members.timezones import time_zone_choices


class SignupForm(forms.Form):
    """Extra fields on allauth's sign-up form (which itself asks only for the address)."""

    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("How other members see you. You can change it later."),
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        """allauth's hook; members.adapters.AccountAdapter.save_user stores the fields."""


class AccountForm(forms.Form):
    display_name = forms.CharField(label=_("Display name"), max_length=80)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times are shown in this zone."),
    )

    def __init__(self, *args: object, current_time_zone: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # The short list, plus the person's own zone if they chose one outside it.
        field = self.fields["time_zone"]
        field.choices = time_zone_choices(current_time_zone)  # type: ignore[attr-defined]


class EraseForm(forms.Form):
    """Confirm erasing an account by typing its address (a slip of the finger on a
    button must not delete anyone)."""

    email = forms.EmailField(
        label=_("Type your email address to confirm"),
        help_text=_("The address you sign in with."),
    )
    remove_posts = forms.ChoiceField(
        label=_("What you wrote"),
        choices=[
            ("", _("Keep it, shown as written by a former member")),
            ("1", _("Remove it, in the communities that allow this")),
        ],
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if email.lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the address of your account."))
        return email

    def clean_remove_posts(self) -> bool:
        return self.cleaned_data.get("remove_posts") == "1"
