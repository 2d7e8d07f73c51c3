"""The profile page's form: what others may know about you, and who may see it."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from members.images import avatar_render
from members.models import Organization, User
from members.permissions import FieldVisibility, field_visibility_of
from members.selectors import organization_list, tag_names

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MAX_TAGS = 20
MAX_TAG_LENGTH = 50

_VISIBILITY_LABELS = {
    "organization": _("Who sees your organisation"),
    "job_title": _("Who sees your job title"),
    "bio": _("Who sees your About me text"),
    "expertise": _("Who sees your expertise"),
    "interests": _("Who sees your interests"),
    "avatar": _("Who sees your photo"),
}


class TagListField(forms.CharField):
    """Comma-separated tags. Unlike taggit's parser, spaces never split a tag, so
    "project management" stays one tag."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        names: list[str] = []
        seen: set[str] = set()
        for part in text.split(","):
            name = " ".join(part.split())
            if name and name.lower() not in seen:
                seen.add(name.lower())
                names.append(name)
        return names

    def validate(self, value: Any) -> None:
        super().validate(value)
        if len(value) > MAX_TAGS:
            raise forms.ValidationError(
                _("Use at most %(count)s tags.") % {"count": MAX_TAGS}, code="too_many"
            )
        if any(len(name) > MAX_TAG_LENGTH for name in value):
            raise forms.ValidationError(
                _("Keep each tag under %(length)s characters.") % {"length": MAX_TAG_LENGTH},
                code="too_long",
            )


def _visibility_field(label: "StrOrPromise") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=FieldVisibility.choices)


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label=_("Display name"),
        max_length=80,
        help_text=_("Everyone who can see you sees this name."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organization.objects.none(),
        required=False,
        empty_label=_("No organisation"),
    )
    new_organization = forms.CharField(
        label=_("Or add your organisation"),
        max_length=160,
        required=False,
        help_text=_("Not in the list? Type its name here; this replaces the choice above."),
    )
    new_organization_kind = forms.ChoiceField(
        label=_("Kind of organisation you add"),
        choices=Organization.Kind.choices,
        initial=Organization.Kind.OTHER,
        required=False,
    )
    visibility_organization = _visibility_field(_VISIBILITY_LABELS["organization"])
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    visibility_job_title = _visibility_field(_VISIBILITY_LABELS["job_title"])
    bio = forms.CharField(
        label=_("About me"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few lines about your work. At most 1000 characters."),
    )
    visibility_bio = _visibility_field(_VISIBILITY_LABELS["bio"])
    expertise = TagListField(
        label=_("Expertise"),
        required=False,
        help_text=_("What you know about and could help others with. Separate topics with commas."),
    )
    visibility_expertise = _visibility_field(_VISIBILITY_LABELS["expertise"])
    interests = TagListField(
        label=_("Interests"),
        required=False,
        help_text=_("What you want to learn more about. Separate topics with commas."),
    )
    visibility_interests = _visibility_field(_VISIBILITY_LABELS["interests"])
    avatar = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        # The limit is spelled out: a lazy string cannot be %-formatted at import time.
        help_text=_("JPEG, PNG, WebP or GIF, at most 5 MB. It is cropped to a square."),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my photo"), required=False)
    visibility_avatar = _visibility_field(_VISIBILITY_LABELS["avatar"])

    def __init__(self, *args: Any, viewer: User | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only listed organisations and the viewer's own: see `organization_list`.
        self.fields["organization"].queryset = organization_list(viewer)  # type: ignore[attr-defined]

    def clean_avatar(self) -> object:
        """Checked and re-encoded here, so only a re-encoded photo reaches the service."""
        upload = self.cleaned_data.get("avatar")
        return avatar_render(upload) if upload else None

    def service_arguments(self) -> dict[str, Any]:
        """The cleaned values, shaped for `members.services.user_update_profile`."""
        data = self.cleaned_data
        return {
            "display_name": data["display_name"],
            "organization": data["organization"],
            "new_organization": data["new_organization"],
            "new_organization_kind": data["new_organization_kind"] or Organization.Kind.OTHER,
            "job_title": data["job_title"],
            "bio": data["bio"],
            "expertise": data["expertise"],
            "interests": data["interests"],
            "visibility": {name: data[f"visibility_{name}"] for name in _VISIBILITY_LABELS},
            "avatar": data["avatar"],
            "remove_avatar": data["remove_avatar"],
        }


def profile_initial(user: User) -> dict[str, object]:
    """The form's starting values: the person's current profile."""
    return {
        "display_name": user.display_name or user.name,
        "organization": user.organization_id,
        "job_title": user.job_title,
        "bio": user.bio,
        "expertise": ", ".join(tag_names(user.expertise)),
        "interests": ", ".join(tag_names(user.interests)),
        **{
            f"visibility_{name}": field_visibility_of(user, name).value
            for name in _VISIBILITY_LABELS
        },
    }
