"""Forms of the programme pages: a programme of each kind, batches of placements and
enrolments, help recorded from the case page, reconciliation rounds."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework import access
from casework.models import (
    BenefitKind,
    Course,
    Reconciliation,
    RecruitmentEvent,
    Region,
    User,
    Vacancy,
)
from casework.survey import Industry, Trade

from .corrections import programme_edit_problems
from .services import Kind, event_hirers


def programme_form_class(kind: Kind, user: User, *, editing: bool = False):
    """A model form for the programme, its county and places limited to the user's scope.
    Editing, the county stays, and what would leave placements outside it is refused."""

    class ProgrammeForm(forms.ModelForm):
        class Meta:
            model = kind.model
            fields = [name for name in kind.fields if not (editing and name == "county")]
            # a programme's name, not a person's (姓名)
            labels = {"name": gettext_lazy("programme name")}
            widgets = {
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in ("held_on", "founded_on", "starts_on", "ends_on")
            }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if not editing:
                self.fields["county"].queryset = access.counties_visible_to(user)
            for name in ("township", "village"):
                if name in self.fields:
                    level = Region.Level.TOWNSHIP if name == "township" else Region.Level.VILLAGE
                    self.fields[name].queryset = access.regions_visible_to(user).filter(level=level)
            if "industry" in self.fields:
                self.fields["industry"] = forms.ChoiceField(
                    label=self.fields["industry"].label, required=False,
                    choices=[("", "—"), *Industry.choices],
                )  # fmt: skip
            if "trade" in self.fields:
                self.fields["trade"] = forms.ChoiceField(
                    label=self.fields["trade"].label, required=False,
                    choices=[("", "—"), *Trade.choices],
                )  # fmt: skip

        def clean(self):
            cleaned = super().clean()
            county = self.instance.county if editing else cleaned.get("county")
            township = cleaned.get("township")
            if township and county and township.county_id != county.pk:
                self.add_error("township", _("Choose a township of that county."))
            village = cleaned.get("village")
            if village and township and village.parent_id != township.pk:
                self.add_error("village", _("Choose a village of that township."))
            if cleaned.get("kind") == Course.Kind.SKILL and not cleaned.get("trade"):
                self.add_error("trade", _("A skill course teaches a trade: choose it."))
            if editing:
                values = {name: cleaned[name] for name in self.fields if name in cleaned}
                for name, problem in programme_edit_problems(self.instance, values).items():
                    self.add_error(name if name in self.fields else None, problem)
            return cleaned

    return ProgrammeForm


class BatchForm(forms.Form):
    on = forms.DateField(
        label=gettext_lazy("date"), initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )  # fmt: skip

    def date(self):
        """The date given, or None (the service then says what is missing)."""
        return self.cleaned_data["on"] if self.is_valid() else None


class PlacementForm(BatchForm):
    """The date, and for a recruitment event the employer and post that hired: one of the
    event's employers or of the county's vacancies, or typed."""

    hirer = forms.ChoiceField(label=gettext_lazy("employer"), required=False)
    employer = forms.CharField(
        label=gettext_lazy("or type the employer"), max_length=100, required=False
    )
    post = forms.CharField(label=gettext_lazy("post"), max_length=100, required=False)

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = programme if isinstance(programme, RecruitmentEvent) else None
        hirers = event_hirers(self.event) if self.event else []
        self.fields["hirer"].choices = [
            ("", gettext_lazy("— type it on the right —")),
            (_("Employers at the event"), [c for c in hirers if c[0].startswith("employer:")]),
            (_("Vacancies of the county"), [c for c in hirers if c[0].startswith("vacancy:")]),
        ]

    def hired(self) -> dict:
        """The employer, post and vacancy to record (nothing for other programmes)."""
        if self.event is None:
            return {}
        choice, employer = self.cleaned_data["hirer"], self.cleaned_data["employer"]
        vacancy = None
        if choice.startswith("vacancy:"):
            vacancy = Vacancy.objects.get(pk=choice.removeprefix("vacancy:"))
        elif choice:
            employer = choice.removeprefix("employer:")
        return {"employer": employer, "post": self.cleaned_data["post"], "vacancy": vacancy}


class OnceForm(forms.Form):
    """A form that records once however often it is sent (its token, given when shown)."""

    submission = forms.UUIDField(required=False, widget=forms.HiddenInput)


class OutreachForm(OnceForm):
    on = BatchForm.base_fields["on"]
    note = forms.CharField(label=gettext_lazy("note"), max_length=200, required=False)


class BenefitForm(OnceForm):
    kind = forms.ChoiceField(label=gettext_lazy("kind"), choices=BenefitKind.choices)
    on = BatchForm.base_fields["on"]
    amount = forms.DecimalField(label=gettext_lazy("amount (yuan)"), min_value=0, decimal_places=2)


class ReconciliationForm(forms.ModelForm):
    class Meta:
        model = Reconciliation
        fields = ("county", "held_on", "note")
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = Region.objects.filter(
            pk__in=access.scope_of(user).county_ids
        )
