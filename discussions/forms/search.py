"""The search page's form: the query and its filters, input only."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models import Thread
from discussions.selectors.search import MAX_QUERY_LENGTH, REPLY, THREAD, SearchFilters


class DateInput(forms.DateInput):
    input_type = "date"


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=MAX_QUERY_LENGTH, required=False)
    community = forms.ModelChoiceField(
        label=_("Community"),
        queryset=Community.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All communities"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("All kinds")), *Thread.Kind.choices], required=False
    )
    type = forms.ChoiceField(
        label=_("Show"),
        choices=[
            ("", _("Threads and replies")),
            (THREAD, _("Threads only")),
            (REPLY, _("Replies only")),
        ],
        required=False,
    )
    tag = forms.CharField(label=_("Tag"), max_length=50, required=False)
    author = forms.CharField(
        label=_("Author"),
        max_length=80,
        required=False,
        help_text=_("Part of the name is enough."),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("Until"), required=False, widget=DateInput)

    def __init__(self, *args: Any, communities: QuerySet[Community], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        field.queryset = communities.only("pk", "slug", "name").order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            community=data.get("community"),
            kind=data.get("kind") or "",
            post_type=data.get("type") or "",
            tag=data.get("tag") or "",
            author=data.get("author") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
