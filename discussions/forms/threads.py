"""Forms for threads, replies, reactions and the thread list's filters: input only."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from discussions.models import Reaction, Thread

MAX_TAGS = 5


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Zero or more files; the attachments service validates type and size."""

    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def parse_tags(text: str) -> list[str]:
    """Comma-separated tag names, trimmed, lower-cased, without duplicates."""
    names: list[str] = []
    for part in text.split(","):
        name = " ".join(part.split()).lower()[:50]
        if name and name not in names:
            names.append(name)
    return names


class ThreadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you want to share?"), choices=Thread.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("For a question: the question itself, in one sentence."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("You can use Markdown: *italic*, **bold**, [link](https://…), lists."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Up to five, separated by commas, for example: privacy, training."),
    )
    attachments = MultipleFileField(label=_("Attachments"))

    def __init__(self, *args: Any, allowed_kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if allowed_kinds is not None:
            field = cast(forms.ChoiceField, self.fields["kind"])
            field.choices = [(k, label) for k, label in Thread.Kind.choices if k in allowed_kinds]
        self.fields["tags"].widget.attrs["list"] = "tag-suggestions"

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError(_("Give your post a title."))
        return title

    def clean_tags(self) -> list[str]:
        names = parse_tags(self.cleaned_data.get("tags", ""))
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(_("Use at most five tags."))
        return names


class ThreadEditForm(ThreadForm):
    """Editing keeps the kind the thread was started with."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["kind"]
        del self.fields["attachments"]


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}))
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachments = MultipleFileField(label=_("Attachments"))

    def clean_body(self) -> str:
        body: str = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Write something before you send your reply."))
        return body


class ReplyEditForm(forms.Form):
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 6}))


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=Reaction.Kind.choices)


class ThreadFilterForm(forms.Form):
    STATE_CHOICES = [
        ("", _("Any")),
        ("unanswered", _("Unanswered")),
        ("answered", _("Answered")),
        ("solved", _("Solved")),
    ]
    SORT_CHOICES = [
        ("activity", _("Latest activity")),
        ("newest", _("Newest")),
        ("reactions", _("Most reactions")),
    ]

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *Thread.Kind.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("Answers"), required=False, choices=STATE_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)
    mine = forms.BooleanField(label=_("Only my threads"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tag"].widget.attrs["list"] = "tag-suggestions"
