from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import RESERVED_SLUGS, Community, CommunityProposal


class ProposalForm(forms.ModelForm):
    class Meta:
        model = CommunityProposal
        fields = ["name", "focus", "urgency", "member_value", "who_else"]
        widgets = {
            "focus": forms.Textarea(attrs={"rows": 3}),
            "urgency": forms.Textarea(attrs={"rows": 3}),
            "member_value": forms.Textarea(attrs={"rows": 3}),
            "who_else": forms.Textarea(attrs={"rows": 3}),
        }


class ProposalFoundForm(forms.Form):
    slug = forms.SlugField(label=_("short name in the address"), max_length=60)
    join_policy = forms.ChoiceField(
        label=_("who can join"),
        choices=Community.JoinPolicy.choices,
        initial=Community.JoinPolicy.OPEN,
    )

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"].lower()
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This short name is reserved; choose another."))
        return slug


class ProposalCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
