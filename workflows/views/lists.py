"""The task lists: my inbox, the queue, finished tasks; a county's open and overdue tasks, the
team."""

from django.core.exceptions import PermissionDenied
from django.middleware.csrf import get_token
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from casework import access

from .. import selectors, tables
from ..filters import OverdueFilter, SupervisorTaskFilter, TaskFilter


class TaskListView(SingleTableMixin, FilterView):
    template_name = "workflows/task_list.html"
    filterset_class = TaskFilter
    table_class = tables.TaskTable
    table_pagination = {"per_page": 50}
    title = ""
    selector = None

    def get_queryset(self):
        return type(self).selector(self.request.user)

    def get_table(self, **kwargs):
        table = super().get_table(**kwargs)
        table.csrf_token = get_token(self.request)
        return table

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)


class InboxView(TaskListView):
    title = _("My tasks")
    selector = selectors.inbox


class QueueView(TaskListView):
    title = _("Task queue")
    selector = selectors.queue
    table_class = tables.QueueTable


class ArchiveView(TaskListView):
    title = _("Finished tasks")
    selector = selectors.archive
    table_class = tables.ArchiveTable


class SupervisorOnly:
    def dispatch(self, request, *args, **kwargs):
        if not access.is_supervisor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class SupervisorListView(SupervisorOnly, TaskListView):
    filterset_class = SupervisorTaskFilter

    def get_table_kwargs(self):
        return {"one_county": len(access.scope_of(self.request.user).touched_county_ids) <= 1}


class OpenTasksView(SupervisorListView):
    """Every open task of the county (or the city), filtered by caseworker from the team page."""

    title = _("Open tasks")
    selector = selectors.open_tasks
    table_class = tables.SupervisorTaskTable


class OverdueView(SupervisorListView):
    title = _("Overdue tasks")
    selector = selectors.overdue
    table_class = tables.OverdueTable
    filterset_class = OverdueFilter


class TeamView(SupervisorOnly, SingleTableMixin, TemplateView):
    template_name = "workflows/team.html"
    table_class = tables.TeamTable
    table_pagination = False

    def get_table_data(self):
        return selectors.team(self.request.user)
