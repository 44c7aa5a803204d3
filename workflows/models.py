"""Storage of the case workflows: the process proxy, each task's case and due date, deadlines,
each case's quarterly re-survey."""

import datetime

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from viewflow.workflow.models import Process, Task

from casework.models import Case, Region


class CaseProcess(Process):
    """A viewflow process whose artifact is a case."""

    class Meta:
        proxy = True
        verbose_name = _("case process")
        verbose_name_plural = _("case processes")

    @property
    def case(self) -> Case:
        """Read afresh each time: flow conditions must see what the task just wrote."""
        return Case.objects.select_related("region", "township", "owner").get(
            pk=self.artifact_object_id
        )


class TaskKind(models.TextChoices):
    SURVEY = "survey", _("Door-to-door survey")
    ASSISTANCE = "assistance", _("Assistance")
    EMPLOYMENT = "employment", _("Employment details")
    FOLLOW_UP = "follow_up", _("Follow-up")
    RESURVEY = "resurvey", _("Quarterly re-survey")
    CLOSING_APPROVAL = "closing_approval", _("Approve closing")
    TRANSFER_ACCEPTANCE = "transfer_acceptance", _("Accept transfer")


# The permission each kind of task asks of whoever claims it (the flows' `.Permission`), so the
# queue finds a role's kinds of task on this table without viewflow's owner_permission.
WORK = "casework.work_case"  # fieldwork: caseworkers and county supervisors
KIND_PERMISSION = {
    TaskKind.SURVEY: WORK,
    TaskKind.ASSISTANCE: WORK,
    TaskKind.EMPLOYMENT: WORK,
    TaskKind.FOLLOW_UP: WORK,
    TaskKind.RESURVEY: WORK,
    TaskKind.CLOSING_APPROVAL: "casework.approve_closing",
    TaskKind.TRANSFER_ACCEPTANCE: "casework.reassign_case",
}

OPEN_STATUSES = ["NEW", "ASSIGNED", "STARTED"]  # viewflow's STATUS of a task not yet done


class CaseTask(models.Model):
    """A human task's case and due date, written when the task is created.

    Kept beside viewflow's task row so that inbox, queue and overdue lists filter by region
    and sort by due date on indexed columns. Region columns follow the case (transfers update
    the open tasks' rows).
    """

    task = models.OneToOneField(
        Task, primary_key=True, on_delete=models.CASCADE, related_name="case_task"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(_("task"), max_length=30, choices=TaskKind.choices)
    due_on = models.DateField(_("due on"))
    # Whose regions the task belongs to: the case's, except a transfer's acceptance, which
    # belongs to the receiving county only (township and region empty).
    county = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    township = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Copies of viewflow's task owner and status (workflows.bookkeeping.task_mirrored keeps
    # them on every save of the task), so that "my open tasks by due date" and the county's
    # open and overdue lists are each one partial index of this table.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", db_index=False,
    )  # fmt: skip
    status = models.CharField(max_length=50, default="NEW")

    class Meta:
        verbose_name = _("case task")
        verbose_name_plural = _("case tasks")
        indexes = [
            models.Index(fields=["county", "due_on"]),
            models.Index(fields=["township", "due_on"]),
            models.Index(fields=["region", "due_on"]),
            models.Index(fields=["due_on"]),
            models.Index(fields=["owner", "status"], name="casetask_owner_status"),
            # the open tasks' lists (workflows.selectors): the inbox, the queue, a county's
            # and the city's open and overdue tasks in due order
            models.Index(fields=["owner", "due_on", "task"], condition=models.Q(
                status__in=OPEN_STATUSES), name="casetask_open_owner"),
            models.Index(fields=["due_on", "task"], condition=models.Q(
                status__in=OPEN_STATUSES), name="casetask_open_due"),
            models.Index(fields=["county", "due_on", "task"], condition=models.Q(
                status__in=OPEN_STATUSES), name="casetask_open_county"),
            models.Index(fields=["township", "due_on", "task"], condition=models.Q(
                status__in=OPEN_STATUSES), name="casetask_open_township"),
            models.Index(fields=["region", "due_on", "task"], condition=models.Q(
                status__in=OPEN_STATUSES), name="casetask_open_region"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.kind} #{self.task_id}"

    def get_absolute_url(self):
        return reverse("workflows:task_detail", args=[self.pk])

    @property
    def status_label(self):
        return TASK_STATUS_LABELS.get(self.task.status, self.task.status)


TASK_STATUS_LABELS = {
    "NEW": _("Waiting to be claimed"),
    "ASSIGNED": _("In hand"),
    "STARTED": _("In hand"),
    "DONE": _("Done"),
    "CANCELED": _("Cancelled"),
    "SCHEDULED": _("Scheduled"),
    "ERROR": _("Error"),
}


class DeadlineRule(models.Model):
    """How long a task type may take: working days after its start, or calendar months."""

    kind = models.CharField(_("task"), max_length=30, choices=TaskKind.choices, unique=True)
    working_days = models.PositiveSmallIntegerField(_("working days"), default=0)
    months = models.PositiveSmallIntegerField(
        _("months"), default=0, help_text=_("Used instead of working days when set.")
    )

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()


class CalendarDay(models.Model):
    """A day whose status the holiday library does not know or gets wrong (local holidays)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {'+' if self.is_working_day else '-'}"


class EscalationLevel(models.TextChoices):
    """Who a ladder step tells."""

    OWNER = "owner", _("the task's holder (the county supervisor when nobody holds it)")
    COUNTY_SUPERVISOR = "county_supervisor", _("the county supervisor")
    CITY_STAFF = "city_staff", _("city staff")


class EscalationStep(models.Model):
    """One step of the ladder for open tasks past their due date: so many working days after
    the due date, these people are told. A level without a row is not taken."""

    level = models.CharField(
        _("who is told"), max_length=20, choices=EscalationLevel.choices, unique=True
    )
    working_days = models.PositiveSmallIntegerField(
        _("working days overdue"), help_text=_("0: on the due date itself.")
    )

    class Meta:
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        ordering = ["working_days", "level"]

    def __str__(self):
        return f"{self.working_days}: {self.get_level_display()}"


class TaskEscalation(models.Model):
    """A ladder step taken for a task: at most once per task and step, whatever runs the ladder
    and however often. A step passed over because a higher one was already due when the task
    was first seen is kept unannounced, so that it is never taken later."""

    task = models.ForeignKey(CaseTask, on_delete=models.CASCADE, related_name="escalations")
    level = models.CharField(_("who is told"), max_length=20, choices=EscalationLevel.choices)
    on = models.DateField(_("date"))
    days_overdue = models.PositiveSmallIntegerField(_("working days overdue"))
    announced = models.BooleanField(_("announced"), default=True)
    # the run that inserted the row: a run announces only the rows it created itself
    run = models.UUIDField(editable=False)

    class Meta:
        verbose_name = _("task escalation")
        verbose_name_plural = _("task escalations")
        constraints = [
            models.UniqueConstraint(fields=["task", "level"], name="task_escalation_once")
        ]

    def __str__(self):
        return f"#{self.task_id} {self.level}"


def quarter_of(day: datetime.date) -> datetime.date:
    """The first day of the quarter holding `day` (how a quarter is stored)."""
    return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def quarter_last_day(quarter: datetime.date) -> datetime.date:
    """The last calendar day of the quarter starting on `quarter`."""
    following = datetime.date(quarter.year + quarter.month // 10, (quarter.month + 2) % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


class QuarterlyCheck(models.Model):
    """A case's re-survey for a quarter (按季度进行排查): claimed by the quarterly generation or
    by a re-survey started by hand in the quarter, once per case and quarter (the constraint
    makes two generators, or a generator and a hand start, claim it once)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="quarterly_checks")
    # the quarter's first day, Asia/Shanghai
    quarter = models.DateField(_("quarter"))
    by_hand = models.BooleanField(_("started by hand"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("quarterly re-survey")
        verbose_name_plural = _("quarterly re-surveys")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "quarter"], name="one_quarterly_resurvey_per_case"
            )
        ]

    def __str__(self):
        return f"{self.case_id} {self.quarter:%Y}Q{(self.quarter.month + 2) // 3}"


class TaskTally(models.Model):
    """How many open tasks (NEW, ASSIGNED, STARTED) have this county, township (0: an open
    transfer acceptance, which belongs to its county alone), owner (0: unclaimed) and due date.
    Written only by `workflows.tallies` (fold, rebuild); triggers on `CaseTask` write the
    deltas. Plain integer columns, not foreign keys."""

    county_id = models.IntegerField()
    township_id = models.IntegerField()
    owner_id = models.IntegerField()
    due_on = models.DateField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county_id", "township_id", "owner_id", "due_on"], name="task_tally_key"
            )
        ]
        indexes = [
            models.Index(fields=["township_id"], name="task_tally_township"),
            models.Index(fields=["owner_id"], name="task_tally_owner"),
        ]

    def __str__(self):
        return f"{self.county_id}/{self.township_id} {self.owner_id} {self.due_on}: {self.n}"


class TaskTallyDelta(models.Model):
    """A change to `TaskTally` not yet folded in (+n/−n with the key), appended by triggers."""

    county_id = models.IntegerField()
    township_id = models.IntegerField()
    owner_id = models.IntegerField()
    due_on = models.DateField()
    n = models.IntegerField()

    def __str__(self):
        return f"{self.county_id}/{self.township_id} {self.owner_id} {self.due_on}: {self.n:+}"
