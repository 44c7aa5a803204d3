"""The forms of the case tasks and the case actions (short here; the survey form grows later)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.models import (
    AssistanceMeasure,
    CloseReason,
    EmploymentForm,
    FollowUpStatus,
    IncomeBand,
    LocationClass,
    Region,
    User,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError(_("The date cannot be in the future."))


def today_field(label, *, past_only=False):
    """A date defaulting to today; past_only for records of what has happened."""
    return forms.DateField(
        label=label,
        initial=timezone.localdate,
        widget=DateInput(),
        validators=[not_in_future] if past_only else [],
    )


# the help a caseworker records: each measure code is an Assistance row, policy outreach an
# Outreach row (the same records the case page and the programme pages write)
MEASURES = [*AssistanceMeasure.choices[:-1], ("policy", _("Policy outreach")),
            AssistanceMeasure.choices[-1]]  # fmt: skip


class AssistanceTaskForm(forms.Form):
    measure = forms.ChoiceField(label=_("help given"), choices=MEASURES, required=False)
    on = today_field(_("date"), past_only=True)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    found_work = forms.BooleanField(
        label=_("The laborer has found work: go on to the employment details"), required=False
    )
    placed_in = forms.ChoiceField(
        label=_("or: placed through a programme (the case becomes employed)"), required=False
    )
    employer = forms.CharField(
        label=_("employer that hired (a placement through a recruitment event)"),
        max_length=100, required=False,
    )  # fmt: skip
    post = forms.CharField(label=_("post"), max_length=100, required=False)

    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.programmes = {f"{kind}:{item.pk}": item for kind, item in programmes}
        self.fields["placed_in"].choices = [("", "—")] + [
            (key, f"{item._meta.verbose_name}: {item}") for key, item in self.programmes.items()
        ]

    def clean(self):
        cleaned = super().clean()
        cleaned["programme"] = self.programmes.get(cleaned.get("placed_in"))
        if (
            not cleaned.get("measure")
            and not cleaned.get("found_work")
            and not cleaned["programme"]
        ):
            raise forms.ValidationError(
                _("Choose the help given, or tick that the laborer has found work.")
            )
        return cleaned


class EmploymentTaskForm(forms.Form):
    started_on = today_field(_("start date"))
    employer = forms.CharField(label=_("employer"), max_length=100)
    post = forms.CharField(label=_("post"), max_length=100, required=False)
    location_class = forms.ChoiceField(label=_("location"), choices=LocationClass.choices)
    form = forms.ChoiceField(label=_("form of employment"), choices=EmploymentForm.choices)

    def employment_details(self) -> dict:
        return dict(self.cleaned_data)


class FollowUpTaskForm(forms.Form):
    followed_up_on = today_field(_("date"), past_only=True)
    status = forms.ChoiceField(
        label=_("status"), choices=FollowUpStatus.choices, widget=forms.RadioSelect
    )
    work_address = forms.CharField(label=_("work address"), max_length=200, required=False)
    wage_band = forms.ChoiceField(
        label=_("monthly wage"), choices=IncomeBand.choices, widget=forms.RadioSelect,
        required=False,
    )  # fmt: skip
    problems = forms.CharField(
        label=_("problems met"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_given = forms.CharField(
        label=_("help given"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


DECISIONS = [("approve", _("Approve")), ("refuse", _("Refuse"))]


class ClosingApprovalForm(forms.Form):
    decision = forms.ChoiceField(label=_("decision"), choices=DECISIONS, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("comment"), required=False)


class TransferAcceptanceForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Accept")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    region = forms.ModelChoiceField(
        label=_("moves to"), queryset=Region.objects.none(), required=False
    )
    comment = forms.CharField(label=_("comment"), required=False)

    def __init__(self, *args, county_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (
            Region.objects.filter(
                county_id=county_id, level__in=[Region.Level.TOWNSHIP, Region.Level.VILLAGE]
            )
            .select_related("parent")
            .order_by("code")
        )
        self.fields["region"].label_from_instance = lambda region: region.path

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "approve" and not cleaned.get("region"):
            self.add_error("region", _("Choose where in your county the case goes."))
        return cleaned


class CloseRequestForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for closing"), choices=CloseReason.choices)
    note = forms.CharField(label=_("note"), required=False)


class TransferRequestForm(forms.Form):
    to_county = forms.ModelChoiceField(label=_("to county"), queryset=Region.objects.none())
    note = forms.CharField(label=_("note"), required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        counties = Region.objects.filter(level=Region.Level.COUNTY)
        if case is not None:
            counties = counties.exclude(pk=case.county_id)
        self.fields["to_county"].queryset = counties.order_by("code")


class UndoForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=500)


class AssigneeForm(forms.Form):
    to_user = forms.ModelChoiceField(label=_("to caseworker"), queryset=User.objects.none())

    def __init__(self, *args, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        if users is not None:
            self.fields["to_user"].queryset = users
