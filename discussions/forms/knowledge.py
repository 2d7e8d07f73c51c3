from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from communities.models import Community
from discussions.models import KnowledgePage, Thread


class KnowledgePageForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_("Markdown: ## for a heading, * for a list, > for a quote."),
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"),
        choices=KnowledgePage.Visibility.choices,
        initial=KnowledgePage.Visibility.COMMUNITY,
        widget=forms.RadioSelect,
    )
    source_threads = forms.ModelMultipleChoiceField(
        label=_("Distilled from these threads"),
        queryset=Thread.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the edit started from; a page saved since is an edit conflict.
    base_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self,
        data: Any = None,
        *,
        community: Community,
        threads: QuerySet[Thread],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        sources = self.fields["source_threads"]
        assert isinstance(sources, forms.ModelMultipleChoiceField)  # noqa: S101 - narrows
        sources.queryset = threads
        if community.is_confidential:
            visibility = self.fields["visibility"]
            assert isinstance(visibility, forms.ChoiceField)  # noqa: S101 - narrows
            visibility.choices = [
                (KnowledgePage.Visibility.COMMUNITY, KnowledgePage.Visibility.COMMUNITY.label)
            ]
            visibility.help_text = _("This community is confidential: its pages stay inside.")


def rebased(data: QueryDict, version: int) -> QueryDict:
    """The submitted form data, now based on `version`: after an edit conflict the typed
    text is kept and a second save, made knowing the other changes, goes through."""
    copy = data.copy()
    copy["base_version"] = str(version)
    return copy
