"""Task bookkeeping the flows call as they run: each new task's case, place and due date, the
survey's owner, the follow-up's dates. Below the flows and the task services, importing neither."""

import datetime

from django.db.models import OuterRef, Subquery
from django.utils import timezone
from viewflow.workflow.models import Task

from casework.models import Case, User

from .deadlines import WorkCalendar
from .models import CaseTask, TaskKind

# flow node name → task kind
NODE_KINDS = {
    "survey": TaskKind.SURVEY,
    "assistance": TaskKind.ASSISTANCE,
    "employment": TaskKind.EMPLOYMENT,
    "follow_up": TaskKind.FOLLOW_UP,
    "resurvey": TaskKind.RESURVEY,
    "approve": TaskKind.CLOSING_APPROVAL,
    "accept": TaskKind.TRANSFER_ACCEPTANCE,
}
FOLLOW_UP_LEAD = datetime.timedelta(days=10)


def follow_up_due(timer_task) -> datetime.date:
    """A follow-up is due a month after the work (or last follow-up) that set its timer."""
    anchor = timezone.localdate(timer_task.created)
    return WorkCalendar().due_on(TaskKind.FOLLOW_UP, anchor)


def follow_up_opens(timer_task) -> datetime.datetime:
    """The month's follow-up task opens ten days before it is due."""
    opens = follow_up_due(timer_task) - FOLLOW_UP_LEAD
    return timezone.make_aware(datetime.datetime.combine(opens, datetime.time(8)))


def survey_owner_of(case: Case) -> User | None:
    """As CaseFlow.survey_owner: the region's default caseworker, else the case's owner."""
    for region in (case.region, case.township):
        owner = region.default_caseworker
        if owner is not None and owner.is_active:
            return owner
    owner = case.owner
    return owner if owner is not None and owner.is_active else None


def task_record_created(*, activation, calendar: WorkCalendar | None = None) -> CaseTask:
    """Write the new task's case, regions and due date (called by the flows' onCreate)."""
    process = activation.process
    case = process.case
    kind = NODE_KINDS[activation.flow_task.name]
    calendar = calendar or WorkCalendar()
    if kind == TaskKind.FOLLOW_UP:
        timer = activation.task.previous.filter(flow_task_type="TIMER").first()
        due_on = follow_up_due(timer) if timer else calendar.due_on(kind, timezone.localdate())
    else:
        start = case.identified_on if kind == TaskKind.SURVEY else timezone.localdate()
        due_on = calendar.due_on(kind, start)
    if kind == TaskKind.TRANSFER_ACCEPTANCE:
        county_id, township_id, region_id = process.data["to_county"], None, None
    else:
        county_id, township_id, region_id = case.county_id, case.township_id, case.region_id
    task = activation.task
    return CaseTask.objects.create(
        task=task, case=case, kind=kind, due_on=due_on, county_id=county_id,
        township_id=township_id, region_id=region_id, owner_id=task.owner_id, status=task.status,
    )  # fmt: skip


def task_mirrored(sender, instance, raw=False, **kwargs) -> None:
    """After any save of a viewflow task: its case task's copies of owner and status follow
    (a receiver of post_save, so that viewflow's own assign, unassign and finish keep them)."""
    if raw:
        return
    CaseTask.objects.filter(pk=instance.pk).exclude(
        owner_id=instance.owner_id, status=instance.status
    ).update(owner_id=instance.owner_id, status=instance.status)


def task_copies_refresh() -> int:
    """Copy every task's owner and status to its case task (after writes that bypass the
    models, such as a bulk load); how many rows were written."""
    task = Task.objects.filter(pk=OuterRef("task_id"))
    return CaseTask.objects.update(
        owner_id=Subquery(task.values("owner_id")[:1]), status=Subquery(task.values("status")[:1])
    )
