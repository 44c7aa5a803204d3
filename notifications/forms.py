"""Forms of the notification pages: a user's preferences, a county's robot."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from casework.models import Region

from .models import CountyChannel, Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["email", "frequency", "language"]
        widgets = {"frequency": forms.RadioSelect, "language": forms.RadioSelect}


class CountyChannelForm(forms.ModelForm):
    county = forms.ModelChoiceField(
        label=_("county"), queryset=Region.objects.filter(level=Region.Level.COUNTY)
    )
    wecom_webhook = forms.URLField(
        label=_("WeCom group robot webhook"),
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text=_(
            "Copy it from the group robot's settings in WeCom; leave it empty to stop "
            "the county's robot messages."
        ),
    )

    class Meta:
        model = CountyChannel
        fields = ["county", "wecom_webhook"]

    def clean_wecom_webhook(self):
        """Only WeCom's own robot address: the server posts household names there, so no
        other host (an internal one least of all) may be named."""
        url = self.cleaned_data["wecom_webhook"].strip()
        prefix = settings.CASEWORK_WECOM_WEBHOOK_PREFIX
        if url and not (url.startswith(prefix) and len(url) > len(prefix)):
            raise forms.ValidationError(
                _("Paste the robot's address as WeCom gives it: it starts with %(prefix)s")
                % {"prefix": prefix}
            )
        return url

    def validate_unique(self):
        """One channel a county: saving a county that has one replaces its address."""
