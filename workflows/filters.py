"""Small filters of the task lists: name, county, township, holder, task kind, urgency. No
per-process dropdowns. The home page's counts link here, so each count has its filter."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.models import Region

from .models import CaseTask, TaskKind
from .selectors import week_ahead


def visible_staff(request):
    return access.staff_visible_to(request.user)


def visible_townships(request):
    townships = access.regions_visible_to(request.user).filter(level=Region.Level.TOWNSHIP)
    county = request.GET.get("county", "") if request else ""
    return townships.filter(county_id=county) if county.isdigit() else townships


def visible_counties(request):
    return access.counties_visible_to(request.user).order_by("code")


def visible_workers(request):
    return access.staff_visible_to(request.user).filter(groups__name__in=access.WORKERS)


class TaskFilter(django_filters.FilterSet):
    name = django_filters.CharFilter(
        label=_("laborer"), field_name="case__person__name", lookup_expr="icontains",
        max_length=30,
    )  # fmt: skip
    county = django_filters.ModelChoiceFilter(
        label=_("county"), queryset=visible_counties, empty_label=_("All counties")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=visible_townships, empty_label=_("All townships")
    )
    owner = django_filters.ModelChoiceFilter(
        label=_("held by"),
        field_name="owner",
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
        fields = ["name", "county", "township", "owner", "kind", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None and len(access.scope_of(request.user).touched_county_ids) <= 1:
            del self.filters["county"]  # one county: nothing to choose
        self.filters["name"].field.widget.attrs.update(
            {"type": "search", "placeholder": _("name"), "autocomplete": "off"}
        )

    def only_overdue(self, queryset, name, value):
        today = timezone.localdate()
        if value == "yes":
            return queryset.filter(due_on__lt=today)
        if value == "week":
            start, end = week_ahead(today)
            return queryset.filter(due_on__gte=start, due_on__lte=end)
        return queryset


class SupervisorTaskFilter(TaskFilter):
    """The lists of a county or the city: by county (city staff) and by caseworker as well."""

    owner = django_filters.ModelChoiceFilter(
        label=_("caseworker"), field_name="owner", queryset=visible_workers,
        empty_label=_("Anyone"), null_label=_("Nobody (unclaimed)"),
    )  # fmt: skip

    class Meta(TaskFilter.Meta):
        fields = ["name", "county", "township", "owner", "kind", "overdue"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        self.filters["owner"].field.label_from_instance = lambda user: (
            user.get_full_name() or user.username
        )


class OverdueFilter(SupervisorTaskFilter):
    class Meta(SupervisorTaskFilter.Meta):
        fields = ["name", "county", "township", "owner", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.filters["overdue"]  # every task listed is overdue
