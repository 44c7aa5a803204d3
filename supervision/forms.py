"""The forms of city staff's supervision writes: an inspection, an interview."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionForm(forms.Form):
    held_on = forms.DateField(label=_("date of the inspection"), widget=DATE)
    inspectors = forms.CharField(
        label=_("inspectors"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(
        label=_("findings"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        label=_("required follow-up"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    follow_up_due = forms.DateField(label=_("follow-up due"), required=False, widget=DATE)


class InterviewForm(forms.Form):
    held_on = forms.DateField(
        label=_("date of the interview"), required=False, widget=DATE,
        help_text=_("The date arranged, or the date it was held."),
    )  # fmt: skip
    attendees = forms.CharField(
        label=_("attendees"), required=False, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip
    outcome = forms.CharField(
        label=_("outcome"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Leave empty until the interview has been held."),
    )  # fmt: skip
    follow_up_on = forms.DateField(label=_("follow-up date"), required=False, widget=DATE)
