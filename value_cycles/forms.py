"""Forms clean input only; the services write."""

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from value_cycles.models import Aspiration, Capital, Cycle, Tier, ValueStory
from value_cycles.services.events import EventTexts

TIER_HELP = _("You can change this later on your own value page.")


def _tier_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=_("Who may see this"),
        choices=Tier.choices,
        coerce=int,
        initial=Tier.MEMBERS,
        widget=forms.RadioSelect,
        help_text=TIER_HELP,
    )


class EventForm(forms.Form):
    """The texts of one event; views drop the fields its cycle does not ask for."""

    capital = forms.ChoiceField(
        label=_("What did you gain?"), choices=Capital.choices, widget=forms.RadioSelect
    )
    why_it_helped = forms.CharField(
        label=_("Why it helped (optional, one line)"), max_length=300, required=False
    )
    what_changed = forms.CharField(
        label=_("What changed in your work?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_result = forms.CharField(
        label=_("What result did it have?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    figure = forms.DecimalField(
        label=_("A figure (optional)"), max_digits=12, decimal_places=2, required=False
    )
    unit = forms.CharField(
        label=_("Unit"),
        max_length=40,
        required=False,
        help_text=_("For example: hours saved, euros, fewer errors."),
    )
    where = forms.CharField(
        label=_("Where did it happen?"),
        max_length=200,
        required=False,
        help_text=_("A call, a visit, a meeting..."),
    )
    tier = _tier_field()

    FIELDS_BY_CYCLE = {
        Cycle.IMMEDIATE: ["why_it_helped", "where", "tier"],
        Cycle.POTENTIAL: ["capital", "why_it_helped", "where", "tier"],
        Cycle.APPLIED: ["what_changed", "where", "tier"],
        Cycle.REALISED: ["what_result", "figure", "unit", "where", "tier"],
        Cycle.REFRAMING: ["what_result", "where", "tier"],
    }

    def __init__(self, *args: Any, cycle: int, with_where: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        keep = self.FIELDS_BY_CYCLE[Cycle(cycle)]
        for name in list(self.fields):
            if name not in keep or (name == "where" and not with_where):
                del self.fields[name]
        if cycle in {Cycle.REALISED, Cycle.REFRAMING}:
            self.fields["what_result"].required = True
            self.fields["what_result"].label = (
                _("What did it change?")
                if cycle == Cycle.REFRAMING
                else _("What result did it have?")
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("figure") is not None and not data.get("unit"):
            self.add_error("unit", _("Give the figure a unit, such as hours saved."))
        return data

    def texts(self) -> EventTexts:
        data = self.cleaned_data
        return EventTexts(
            why_it_helped=data.get("why_it_helped", ""),
            what_changed=data.get("what_changed", ""),
            what_result=data.get("what_result", ""),
            figure=data.get("figure"),
            unit=data.get("unit", ""),
            where=data.get("where", ""),
        )


class LogValueForm(forms.Form):
    """Value from outside the platform: the cycle first, then its texts (one form, so
    it works without JavaScript; the service checks what the cycle needs)."""

    cycle = forms.TypedChoiceField(
        label=_("What kind of value?"), choices=Cycle.choices, coerce=int, widget=forms.RadioSelect
    )
    capital = forms.ChoiceField(
        label=_("What did you gain? (potential value)"),
        choices=[("", "-"), *Capital.choices],
        required=False,
    )
    text = forms.CharField(
        label=_("What happened, what changed or what result"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    figure = forms.DecimalField(
        label=_("A figure (optional)"), max_digits=12, decimal_places=2, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    where = forms.CharField(label=_("Where did it happen?"), max_length=200, required=False)
    tier = _tier_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("cycle") == Cycle.POTENTIAL and not data.get("capital"):
            self.add_error("capital", _("Choose what you gained."))
        if data.get("figure") is not None and not data.get("unit"):
            self.add_error("unit", _("Give the figure a unit, such as hours saved."))
        return data

    def texts(self) -> EventTexts:
        data, text = self.cleaned_data, self.cleaned_data["text"]
        cycle = data["cycle"]
        return EventTexts(
            why_it_helped=text[:300] if cycle in {Cycle.IMMEDIATE, Cycle.POTENTIAL} else "",
            what_changed=text if cycle == Cycle.APPLIED else "",
            what_result=text if cycle in {Cycle.REALISED, Cycle.REFRAMING} else "",
            figure=data.get("figure") if cycle == Cycle.REALISED else None,
            unit=data.get("unit", "") if cycle == Cycle.REALISED else "",
            where=data.get("where", ""),
        )


class FollowUpYesForm(forms.Form):
    what_changed = forms.CharField(
        label=_("What changed in your work?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    what_result = forms.CharField(
        label=_("Did it improve a result? What? (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    figure = forms.DecimalField(
        label=_("A figure (optional)"), max_digits=12, decimal_places=2, required=False
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    tier = _tier_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("figure") is not None and not data.get("unit"):
            self.add_error("unit", _("Give the figure a unit, such as hours saved."))
        return data

    def texts(self) -> EventTexts:
        data = self.cleaned_data
        return EventTexts(
            what_changed=data["what_changed"],
            what_result=data.get("what_result", ""),
            figure=data.get("figure"),
            unit=data.get("unit", ""),
        )


class StoryForm(forms.ModelForm):
    publish = forms.BooleanField(label=_("Publish it now"), required=False)
    tier = _tier_field()

    class Meta:
        model = ValueStory
        fields = [
            "title",
            "immediate",
            "potential",
            "applied",
            "realised",
            "reframing",
            "ending",
            "tier",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["immediate", "potential", "applied", "realised", "reframing"]
        }

    def sections(self) -> dict[str, str]:
        return {name: self.cleaned_data.get(name, "") for _c, name in ValueStory.SECTIONS}


class AspirationForm(forms.ModelForm):
    class Meta:
        model = Aspiration
        fields = ["cycle", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class DashboardFilterForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    community = forms.MultipleChoiceField(
        label=_("Communities"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, communities: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.MultipleChoiceField, self.fields["community"])
        field.choices = communities or []

    def period(self) -> tuple[date, date]:
        """The chosen days, default the last year; `end` included."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=365)
        return (start, end) if start <= end else (end, start)
