"""Small filters of the task lists: township, task kind, urgency. No per-process dropdowns."""

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import access
from casework.models import Region

from .models import CaseTask, TaskKind


def visible_townships(request):
    return access.regions_visible_to(request.user).filter(level=Region.Level.TOWNSHIP)


class TaskFilter(django_filters.FilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("township"), queryset=visible_townships, empty_label=_("All townships")
    )
    kind = django_filters.ChoiceFilter(
        label=_("task"), choices=TaskKind.choices, empty_label=_("All tasks")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("due"),
        choices=[("yes", _("overdue only"))],
        empty_label=_("All due dates"),
        method="only_overdue",
    )

    class Meta:
        model = CaseTask
        fields = ["township", "kind", "overdue"]

    def only_overdue(self, queryset, name, value):
        if value:
            return queryset.filter(due_on__lt=timezone.localdate())
        return queryset
