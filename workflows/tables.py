"""Task tables: inbox, queue, archive, overdue; due dates coloured by urgency."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from casework import paging

from .deadlines import WorkCalendar
from .models import CaseTask
from .selectors import due_state

DATE_FORMAT = "Y-m-d"  # one format in every list


class SingleSortTable(paging.Table):
    """Sorted by one column at a time: a `?sort=a,b` keeps its first column only."""

    @property
    def order_by(self):
        return tables.Table.order_by.fget(self)

    @order_by.setter
    def order_by(self, value):
        if isinstance(value, str):
            value = [value]
        aliases = [alias for item in value or () for alias in str(item).split(",") if alias]
        tables.Table.order_by.fset(self, tuple(aliases[:1]))


class TaskTable(SingleSortTable):
    due_on = paging.DateColumn(
        verbose_name=_("due on"), format=DATE_FORMAT, order_by=("due_on", "task_id")
    )
    days_overdue = tables.Column(
        verbose_name=_("days overdue"), accessor="due_on", empty_values=(),
        order_by=("-due_on", "-task_id"), attrs={"cell": {"class": "number"}},
    )  # fmt: skip
    kind = tables.Column(verbose_name=_("task"), linkify=lambda record: record.get_absolute_url())
    name = tables.Column(
        verbose_name=_("laborer"), accessor="case__person__name", order_by="case__person__name"
    )
    id_number = tables.Column(
        verbose_name=_("ID number"),
        accessor="case__person__masked_id_number",
        orderable=False,
        attrs={"td": {"class": "mono"}},
    )
    township = tables.Column(
        verbose_name=_("township"), accessor="township__name", order_by="township__code"
    )
    village = tables.Column(verbose_name=_("village"), empty_values=(), orderable=False)
    stage = tables.Column(verbose_name=_("stage"), accessor="case__stage")
    owner = tables.Column(
        verbose_name=_("caseworker"), accessor="owner", order_by=("owner_id", "due_on", "task_id")
    )

    class Meta:
        model = CaseTask
        fields = ()
        sequence = ("due_on", "days_overdue", "kind", "name", "id_number", "township", "village",
                    "stage", "owner")  # fmt: skip
        attrs = {"class": "table tasks"}
        row_attrs = {"class": lambda table, record: f"due-{table.due_state(record)}"}
        empty_text = _("No tasks.")
        order_by = ("due_on",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.calendar = WorkCalendar()
        self.today = timezone.localdate()

    def due_state(self, record) -> str:
        if record.task.status not in ("NEW", "ASSIGNED", "STARTED"):
            return "done"
        return due_state(record.due_on, self.today, self.calendar)

    def render_kind(self, record):
        return record.get_kind_display()

    def render_days_overdue(self, record):
        """Calendar days past the due date of an open task; blank when not overdue."""
        if self.due_state(record) != "overdue":
            return ""
        return (self.today - record.due_on).days

    def render_village(self, record):
        return (
            record.region.name
            if record.region_id and record.region_id != record.township_id
            else "—"
        )

    def render_stage(self, record):
        return record.case.get_stage_display()

    def render_owner(self, value):
        return value.get_full_name() or value.username


class QueueTable(TaskTable):
    claim = tables.Column(verbose_name="", empty_values=(), orderable=False)

    class Meta(TaskTable.Meta):
        sequence = ("due_on", "days_overdue", "kind", "name", "id_number", "township", "village",
                    "stage", "claim")  # fmt: skip
        exclude = ("owner",)

    def render_claim(self, record):
        return format_html(
            '<form method="post" action="{}"><input type="hidden" name="csrfmiddlewaretoken" '
            'value="{}"><button type="submit" class="primary small">{}</button></form>',
            reverse("workflows:task_claim", args=[record.pk]),
            self.csrf_token,
            _("Claim"),
        )


class ArchiveTable(TaskTable):
    finished = paging.DateColumn(
        verbose_name=_("completed"), accessor="task__finished", format=f"{DATE_FORMAT} H:i"
    )

    class Meta(TaskTable.Meta):
        sequence = (
            "finished",
            "kind",
            "name",
            "id_number",
            "township",
            "village",
            "stage",
            "due_on",
        )
        exclude = ("owner", "days_overdue")
        order_by = ("-finished",)


class SupervisorTaskTable(TaskTable):
    """A county's or the city's tasks: with the county, grouped by place and caseworker."""

    # a county's or the city's tasks number in the hundreds of thousands: every order is one
    # of the open tasks' indexes (workflows.models.CaseTask), grouping a place's or a
    # caseworker's tasks together in due order
    county = tables.Column(
        verbose_name=_("county"),
        accessor="county__name",
        order_by=("county_id", "due_on", "task_id"),
    )
    township = tables.Column(
        verbose_name=_("township"), accessor="township__name",
        order_by=("township_id", "due_on", "task_id"),
    )  # fmt: skip
    name = tables.Column(verbose_name=_("laborer"), accessor="case__person__name", orderable=False)
    stage = tables.Column(verbose_name=_("stage"), accessor="case__stage", orderable=False)

    class Meta(TaskTable.Meta):
        sequence = ("county", "township", "owner", "due_on", "days_overdue", "kind", "name",
                    "id_number", "village", "stage")  # fmt: skip
        order_by = ("due_on",)

    def __init__(self, *args, one_county=False, **kwargs):
        if one_county:
            kwargs["exclude"] = (*kwargs.get("exclude", ()), "county")
        super().__init__(*args, **kwargs)


class OverdueTable(SupervisorTaskTable):
    class Meta(SupervisorTaskTable.Meta):
        pass  # django-tables2 reads Meta from the class body only


class TeamTable(paging.Table):
    """Open and overdue tasks per caseworker, each linked to the caseworker's task list."""

    user = tables.Column(verbose_name=_("caseworker"), orderable=False, empty_values=())
    where = tables.Column(
        verbose_name=_("works in"), orderable=False, empty_values=(), accessor="user"
    )
    open = tables.Column(verbose_name=_("open tasks"), orderable=False)
    overdue = tables.Column(
        verbose_name=_("overdue"), orderable=False, attrs={"td": {"class": "overdue-count"}}
    )

    class Meta:
        attrs = {"class": "table compact"}
        empty_text = _("No caseworkers.")

    def render_user(self, value):
        if value is None:
            return _("In the queue (unclaimed)")
        return format_html(
            '<a href="{}?owner={}">{}</a>', reverse("workflows:open_tasks"), value.pk,
            value.get_full_name() or value.username,
        )  # fmt: skip

    def render_where(self, value):
        if value is None:
            return "—"
        separator = pgettext("list separator", ", ")
        return separator.join(region.path for region in value.regions.all()) or "—"

    def render_open(self, value, record):
        return self._linked("workflows:open_tasks", record["user"], value)

    def render_overdue(self, value, record):
        return self._linked("workflows:overdue", record["user"], value)

    @staticmethod
    def _linked(name, user, value):
        if user is None or not value:
            return value
        return format_html('<a href="{}?owner={}">{}</a>', reverse(name), user.pk, value)
