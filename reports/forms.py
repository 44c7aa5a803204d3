"""The submission and review forms of a monthly report."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SubmitForm(forms.Form):
    remarks = forms.CharField(
        label=_("Remarks (备注)"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Other things to explain, e.g. poverty-alleviation policies."),
    )  # fmt: skip
    reconciliation = forms.TypedChoiceField(
        label=_("Reconciliation with the poverty office"), coerce=int, required=False,
        empty_value=None,
    )  # fmt: skip
    no_reconciliation_reason = forms.CharField(
        label=_("If there was none this month, why"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )  # fmt: skip

    def __init__(self, *args, reconciliations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reconciliation"].choices = [("", _("None this month"))] + [
            (round_.pk, f"{round_.held_on:%Y-%m-%d} {round_.note}".strip())
            for round_ in reconciliations
        ]


class RemarksForm(forms.Form):
    remarks = SubmitForm.base_fields["remarks"]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is returned"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
