"""Filters of the case list. Choices come from the user's scope and stay small at any size."""

import re
from types import SimpleNamespace

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from . import access, audit
from .idnumber import normalize_id_number
from .models import Case, Region, Role, Stage, User


def asked(user: User, query: str) -> SimpleNamespace:
    """The user and query string of an export made again in the background, as the filters
    read them from a request (`request.user`, `request.GET`)."""
    return SimpleNamespace(user=user, GET=QueryDict(query))


def _selected(request, name):
    value = request.GET.get(name, "") if request else ""
    return int(value) if value.isdigit() else None


def visible_counties(request):
    return access.counties_visible_to(request.user)


def visible_townships(request):
    townships = access.regions_visible_to(request.user).filter(level=Region.Level.TOWNSHIP)
    county = _selected(request, "county")
    return townships.filter(county_id=county) if county else townships


def visible_villages(request):
    villages = access.regions_visible_to(request.user).filter(level=Region.Level.VILLAGE)
    township = _selected(request, "township")
    if township:
        return villages.filter(parent_id=township)
    if access.scope_of(request.user).county_ids:
        # a whole county holds hundreds of villages: choose a township first
        return villages.none()
    return villages


def visible_caseworkers(request):
    return access.staff_visible_to(request.user, role=Role.CASEWORKER)


class OneCountyMixin:
    """Users of one county are not offered a county filter."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and len(access.scope_of(request.user).touched_county_ids) <= 1:
            del self.filters["county"]


# The list searches the last 4 to 6 characters of an ID number and nothing longer: growing a
# suffix one digit at a time would otherwise recover a whole number in about 40 requests. A
# whole number is looked up through CaseFindForm, by POST, so that it stays out of URLs and logs.
ID_CHARACTERS = re.compile(r"^[\dX]+$")
ID_SUFFIX = re.compile(r"^\d{3,5}[\dX]$")
WHOLE_ID_NUMBER = re.compile(r"^\d{17}[\dX]$")


OPEN = "open"  # the stage filter's choice for every open case (the home page's counts)

SEARCH_REFUSED = _(
    "Search by the last 4 to 6 digits of the ID number. To find a whole ID number, use "
    "“Find by the whole ID number”."
)


def id_search_refused(text: str) -> bool:
    """Whether a search is digits of an ID number, but not its last 4 to 6."""
    digits = normalize_id_number(text)
    return bool(ID_CHARACTERS.match(digits)) and not ID_SUFFIX.match(digits)


class CaseFindForm(forms.Form):
    """A whole ID number, sent by POST; the answer never repeats it."""

    id_number = forms.CharField(max_length=30)

    def clean_id_number(self):
        number = normalize_id_number(self.cleaned_data["id_number"])
        if not WHOLE_ID_NUMBER.match(number):
            raise ValidationError(_("Enter the whole 18-character ID number."))
        return number


class CaseFilter(OneCountyMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(
            attrs={"placeholder": _("Name or last 4–6 digits of ID number"), "autocomplete": "off"}
        ),
    )
    county = django_filters.ModelChoiceFilter(
        label=_("county"), queryset=visible_counties, empty_label=_("All counties")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=visible_townships, empty_label=_("All townships")
    )
    village = django_filters.ModelChoiceFilter(
        label=_("village"),
        field_name="region",
        queryset=visible_villages,
        empty_label=_("All villages"),
    )
    stage = django_filters.ChoiceFilter(
        label=_("stage"),
        choices=[(OPEN, _("Open (every stage but closed)")), *Stage.choices],
        empty_label=_("All stages"),
        method="in_stage",
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("caseworker"),
        queryset=visible_caseworkers,
        empty_label=_("All caseworkers"),
        null_label=_("Nobody"),
    )

    class Meta:
        model = Case
        fields = ["q", "county", "township", "village", "stage", "owner"]

    def in_stage(self, queryset, name, value):
        if value == OPEN:
            return queryset.exclude(stage=Stage.CLOSED)
        return queryset.filter(stage=value) if value else queryset

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        if id_search_refused(text):
            return queryset.none()
        digits = normalize_id_number(text)
        if ID_SUFFIX.match(digits):
            return queryset.filter(person__id_number__endswith=digits)
        return queryset.filter(person__name__startswith=text)


class AuditFilter(django_filters.FilterSet):
    """The record of processing's filters: who, what kind, the dates, the county, free text. The
    list is a union of several tables (casework.audit), so the form's values become
    audit.Criteria rather than filtering one queryset."""

    actor = django_filters.ModelChoiceFilter(
        label=_("who"), queryset=lambda request: User.objects.order_by("username"),
        method="none",
    )  # fmt: skip
    kind = django_filters.ChoiceFilter(label=_("what"), choices=audit.kind_choices, method="none")
    since = django_filters.DateFilter(
        label=_("start date"), method="none", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = django_filters.DateFilter(
        label=_("end date"), method="none", widget=forms.DateInput(attrs={"type": "date"})
    )
    county = django_filters.ModelChoiceFilter(
        label=_("county"), queryset=lambda request: Region.objects.filter(
            level=Region.Level.COUNTY).order_by("code"), method="none",
    )  # fmt: skip
    q = django_filters.CharFilter(label=_("search"), method="none")

    def none(self, queryset, name, value):
        return queryset

    def criteria(self) -> audit.Criteria:
        """The valid values of the form (an invalid one is left out and shown as an error)."""
        self.form.is_valid()
        data = getattr(self.form, "cleaned_data", {})
        actor, county = data.get("actor"), data.get("county")
        return audit.Criteria(
            actor=actor.pk if actor else None, kind=data.get("kind") or None,
            since=data.get("since"), until=data.get("until"),
            county=county.pk if county else None, text=(data.get("q") or "").strip() or None,
        )  # fmt: skip
