"""Small filters of the task lists: county, township, holder, task kind, urgency. No
per-process dropdowns. The home page's counts link here, so each count has its filter."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.models import Region

from .models import CaseTask, TaskKind
from .selectors import week_ahead


def visible_counties(request):
    return access.counties_visible_to(request.user)


def visible_staff(request):
    return access.staff_visible_to(request.user)


def visible_townships(request):
    return access.regions_visible_to(request.user).filter(level=Region.Level.TOWNSHIP)


class TaskFilter(django_filters.FilterSet):
    county = django_filters.ModelChoiceFilter(
        label=_("county"), queryset=visible_counties, empty_label=_("All counties")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=visible_townships, empty_label=_("All townships")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("held by"),
        field_name="task__owner",
        queryset=visible_staff,
        empty_label=_("Anybody"),
        null_label=_("Nobody (unclaimed)"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("task"), choices=TaskKind.choices, empty_label=_("All tasks")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("due"),
        choices=[("yes", _("overdue only")), ("week", _("due this week (next 7 days)"))],
        empty_label=_("All due dates"),
        method="only_overdue",
    )

    class Meta:
        model = CaseTask
        fields = ["county", "township", "owner", "kind", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and len(access.scope_of(request.user).touched_county_ids) <= 1:
            del self.filters["county"]  # one county: nothing to choose

    def only_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value == "yes":
            return queryset.filter(due_on__lt=today)
        if value == "week":
            start, end = week_ahead(today)
            return queryset.filter(due_on__gte=start, due_on__lte=end)
        return queryset
