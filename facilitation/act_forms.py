"""Forms of the console's acts (seed, notes, playbook): input only, for views/act.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from facilitation.models import SEED_KINDS


class SeedForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SEED_KINDS)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Make it yours: members answer a person sooner than a template."),
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Give your post a title."))
        return title


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Note"),
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the facilitators of this community read it. Markdown works."),
    )


class TickForm(forms.Form):
    item = forms.CharField(max_length=40)
