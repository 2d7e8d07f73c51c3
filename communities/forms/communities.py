from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import (
    COMMUNITY_SETTINGS_FIELDS,
    RESERVED_SLUGS,
    STAGE_PLAIN_WORDS,
    Community,
)


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or focus"), required=False, max_length=100)
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *Community.Language.choices],
    )
    # Members filter by the plain words they see on the cards, not the theory's names.
    stage = forms.ChoiceField(
        label=_("Stage"),
        required=False,
        choices=[("", _("Any stage")), *STAGE_PLAIN_WORDS.items()],
    )
    policy = forms.ChoiceField(
        label=_("Who can join"),
        required=False,
        choices=[("", _("Any")), *Community.JoinPolicy.choices],
    )


class CommunitySettingsForm(forms.ModelForm):
    class Meta:
        model = Community
        fields = list(COMMUNITY_SETTINGS_FIELDS)
        widgets = {
            "focus": forms.Textarea(attrs={"rows": 3}),
            "urgency": forms.Textarea(attrs={"rows": 3}),
            "member_value": forms.Textarea(attrs={"rows": 3}),
            "charter": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "is_listed": _("Unlisted communities are found only by their members and invitees."),
        }

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if (
            self.instance.pk
            and self.instance.is_confidential
            and not cleaned.get("is_confidential")
        ):
            self.add_error(
                "is_confidential",
                _(
                    "A confidential community stays confidential: what members shared under that "
                    "promise stays with them."
                ),
            )
        if cleaned.get("is_confidential"):
            # Confidential means members only, whatever else was chosen.
            cleaned["visibility"] = Community.Visibility.MEMBERS
        return cleaned


class CommunityCreateForm(CommunitySettingsForm):
    class Meta(CommunitySettingsForm.Meta):
        fields = ["name", "slug", *CommunitySettingsForm.Meta.fields[1:]]

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved; choose another."))
        return slug


class StageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Community.Stage.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
