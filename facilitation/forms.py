"""The console's two forms: ask one person about one question, and a note to a set of
quiet members."""

from django import forms
from django.utils.translation import gettext_lazy as _

from facilitation.selectors.console import MAX_RECIPIENTS


class AskForm(forms.Form):
    thread = forms.IntegerField(min_value=1)
    person = forms.IntegerField(min_value=1)


class NudgeForm(forms.Form):
    people = forms.TypedMultipleChoiceField(
        label=_("Who gets the note"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        label=_("Your note"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One personal message; each person gets it as an email of their own, with your name."
        ),
    )

    def __init__(self, *args: object, choices: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["people"].choices = choices  # type: ignore[attr-defined]

    def clean_people(self) -> list[int]:
        people: list[int] = self.cleaned_data["people"]
        if len(people) > MAX_RECIPIENTS:
            raise forms.ValidationError(
                _("Choose at most %(count)d people at once."), params={"count": MAX_RECIPIENTS}
            )
        return people
