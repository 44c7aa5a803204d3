"""The escalation ladder for open tasks past their due date: each step once per task, recorded
on the case's timeline with the people to tell (`notify`), whom the notifications deliver to.

The steps (EscalationStep, editable in the admin) say how many working days after the due date
who is told: by default the task's holder on the due date (the county supervisor when nobody
holds it), the county supervisor 5 working days late, city staff 10 working days late. A task
first seen several steps late gets only the highest step due; the lower ones are stored as
passed over and never taken later.

Set-based for a province's millions of tasks: the calendar turns each step into the last due
date that has reached it, so a step's tasks are one range of `due_on`; they are read in chunks
by id, inserted with ignore_conflicts against the (task, step) constraint, and only the rows a
run created itself (its own run id) are announced. Two hosts at once: the second insert waits
for the first transaction and then finds its rows taken, so it announces nothing.
"""

import datetime
import uuid

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from casework import history, jobs
from casework.models import CaseEvent, Role, User

from .deadlines import WorkCalendar
from .models import CaseTask, EscalationLevel, EscalationStep, TaskEscalation

OPEN = [STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED]
CHUNK = 1000


def reached_by(calendar: WorkCalendar, today: datetime.date, working_days: int) -> datetime.date:
    """The last due date that is at least `working_days` working days behind today."""
    if working_days <= 0:
        return today
    day, counted = today, 0
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted == working_days:
                return day - datetime.timedelta(days=1)
        day -= datetime.timedelta(days=1)


def county_supervisors() -> dict[int, list[int]]:
    """The active county supervisors' ids by the county they work in."""
    by_county: dict[int, list[int]] = {}
    rows = (
        User.objects.filter(is_active=True, groups__name=Role.COUNTY_SUPERVISOR)
        .values_list("regions__county_id", "pk")
        .distinct()
        .order_by("pk")
    )
    for county_id, user_id in rows:
        if county_id is not None:
            by_county.setdefault(county_id, []).append(user_id)
    return by_county


def city_staff() -> list[int]:
    """The active city staff's ids."""
    return list(
        User.objects.filter(is_active=True, groups__name=Role.CITY_STAFF)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@jobs.periodic("case_escalations")
def case_escalations_run(now: datetime.datetime) -> int:
    """Take every ladder step due on `now`'s day; returns how many were announced."""
    today = timezone.localdate(now)
    steps = list(EscalationStep.objects.order_by("working_days", "pk"))
    if not steps:
        return 0
    calendar = WorkCalendar()
    recipients = _Recipients(county_supervisors(), city_staff())
    run = uuid.uuid4()
    taken = 0
    for index, step in enumerate(steps):
        # this step's tasks: reached it, but not the next step up
        due = Q(due_on__lte=reached_by(calendar, today, step.working_days))
        if index + 1 < len(steps):
            due &= Q(due_on__gt=reached_by(calendar, today, steps[index + 1].working_days))
        levels_at_or_above = [higher.level for higher in steps[index:]]
        lower_levels = [lower.level for lower in steps[:index]]
        candidates = (
            CaseTask.objects.filter(due, task__status__in=OPEN)
            .exclude(
                Exists(
                    TaskEscalation.objects.filter(task=OuterRef("pk"), level__in=levels_at_or_above)
                )
            )
            .select_related("case", "task", "task__owner")
            .order_by("pk")
        )
        last = 0
        while chunk := list(candidates.filter(pk__gt=last)[:CHUNK]):
            last = chunk[-1].pk
            taken += _take(
                chunk, step=step, lower_levels=lower_levels, today=today, now=now,
                calendar=calendar, recipients=recipients, run=run,
            )  # fmt: skip
            if len(chunk) < CHUNK:
                break
    return taken


class _Recipients:
    def __init__(self, supervisors: dict[int, list[int]], city: list[int]):
        self.supervisors = supervisors
        self.city = city

    def of(self, level: str, case_task: CaseTask) -> list[int]:
        if level == EscalationLevel.OWNER and _holder(case_task) is not None:
            return [case_task.task.owner_id]
        if level == EscalationLevel.CITY_STAFF:
            return self.city
        return self.supervisors.get(case_task.county_id, [])


def _holder(case_task: CaseTask) -> User | None:
    """The task's holder if an active one holds it (else the supervisor is reminded instead)."""
    owner = case_task.task.owner
    return owner if owner is not None and owner.is_active else None


@transaction.atomic
def _take(chunk, *, step, lower_levels, today, now, calendar, recipients, run) -> int:
    late = {
        case_task.pk: calendar.working_days_between(case_task.due_on, today) for case_task in chunk
    }
    rows = [
        TaskEscalation(
            task_id=case_task.pk, level=level, on=today, days_overdue=late[case_task.pk],
            announced=level == step.level, run=run,
        )
        for case_task in chunk
        for level in [step.level, *lower_levels]
    ]  # fmt: skip
    TaskEscalation.objects.bulk_create(rows, ignore_conflicts=True, batch_size=CHUNK)
    mine = set(
        TaskEscalation.objects.filter(task_id__in=late, level=step.level, run=run).values_list(
            "task_id", flat=True
        )
    )
    events = []
    for case_task in chunk:
        if case_task.pk not in mine:
            continue  # another run took this step first
        data = {
            "step": step.level,
            "days_overdue": late[case_task.pk],
            "due_on": case_task.due_on,
            "task_kind": case_task.kind,
            "notify": recipients.of(step.level, case_task),
        }
        if step.level == EscalationLevel.OWNER:
            data["holder"] = history.person_name(_holder(case_task))
        events.append(
            {
                "case": case_task.case,
                "kind": CaseEvent.Kind.TASK_ESCALATED,
                "task": case_task.task,
                "data": data,
                "at": now,
            }
        )
    history.case_events_record(events)
    return len(events)
