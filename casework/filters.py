"""Filters of the case list. Choices come from the user's scope and stay small at any size."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import access
from .idnumber import normalize_id_number
from .models import Case, Region, Role, Stage


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


class CaseFilter(OneCountyMixin, django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"placeholder": _("Name or last digits of ID number")}),
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
        label=_("stage"), choices=Stage.choices, empty_label=_("All stages")
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

    def search(self, queryset, name, value):
        text = value.strip()
        if not text:
            return queryset
        digits = normalize_id_number(text)
        if digits and all(ch.isdigit() or ch == "X" for ch in digits):
            return queryset.filter(person__id_number__endswith=digits)
        return queryset.filter(person__name__startswith=text)
