"""Task tables: inbox, queue, archive, overdue; due dates coloured by urgency."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .deadlines import WorkCalendar
from .models import CaseTask
from .selectors import due_state


class TaskTable(tables.Table):
    due_on = tables.DateColumn(verbose_name=_("due on"), format="Y-m-d")
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
        verbose_name=_("caseworker"), accessor="task__owner", order_by="task__owner__username"
    )

    class Meta:
        model = CaseTask
        fields = ()
        sequence = ("due_on", "kind", "name", "id_number", "township", "village", "stage", "owner")
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
        sequence = ("due_on", "kind", "name", "id_number", "township", "village", "stage", "claim")
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
    finished = tables.DateTimeColumn(
        verbose_name=_("completed"), accessor="task__finished", format="Y-m-d H:i"
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
        exclude = ("owner",)
        order_by = ("-finished",)


class OverdueTable(TaskTable):
    class Meta(TaskTable.Meta):
        sequence = ("township", "owner", "due_on", "kind", "name", "id_number", "village", "stage")
        order_by = ("township", "owner", "due_on")


class TeamTable(tables.Table):
    user = tables.Column(verbose_name=_("caseworker"), orderable=False, empty_values=())
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
        return value.get_full_name() or value.username
