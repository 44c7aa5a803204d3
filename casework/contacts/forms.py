"""The form of one contact row (a county's edit page shows one per role, by prefix)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from casework.models import CountyContact

from .services import FIELDS, contact_clean, contact_problems

WIDGETS = {
    "office_phone": {"inputmode": "tel", "placeholder": "0762-3238307"},
    "mobile": {"inputmode": "numeric", "autocomplete": "off"},
    "email": {"inputmode": "email"},
    "qq": {"inputmode": "numeric"},
}


class ContactForm(forms.Form):
    """Name, unit, post and the ways to reach one official; every field may stay empty only when
    all do (nobody named yet)."""

    name = forms.CharField(label=_("name"), required=False)
    unit = forms.CharField(label=_("unit"), required=False)
    post = forms.CharField(label=pgettext_lazy("contact", "post"), required=False)
    office_phone = forms.CharField(label=_("office phone"), required=False)
    mobile = forms.CharField(label=_("mobile"), required=False)
    email = forms.CharField(label=_("e-mail"), required=False)
    qq = forms.CharField(label=_("QQ"), required=False)
    wechat = forms.CharField(label=_("WeChat"), required=False)

    def __init__(self, *args, contact: CountyContact | None = None, **kwargs):
        if contact is not None:
            kwargs.setdefault("initial", {name: getattr(contact, name) for name in FIELDS})
        super().__init__(*args, **kwargs)
        for name, attrs in WIDGETS.items():
            self.fields[name].widget.attrs.update(attrs)

    def clean(self):
        values = contact_clean(self.cleaned_data)
        for name, message in contact_problems(values).items():
            self.add_error(name, message)
        return values
