"""Starting processes: one case's, or many at once with bulk inserts (a roster import, the
quarterly re-surveys)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from casework import services as registry
from casework.history import case_events_record
from casework.models import (
    Case,
    CaseEvent,
    User,
)

from .. import flows
from ..bookkeeping import survey_owner_of
from ..deadlines import WorkCalendar
from ..models import CaseTask, TaskKind


@transaction.atomic
def case_process_start(*, case: Case):
    """Start the case's process: its survey task goes to the region's caseworker or queue."""
    return flows.CaseFlow.start.run(case=case)


@transaction.atomic
def case_intake(**registration) -> Case:
    """Register a laborer as a case and start its process."""
    case = registry.case_register(**registration)
    case_process_start(case=case)
    return case


def _bulk_first_task(
    flow, case: Case, actor: User | None, today, owners: dict, calendar: "WorkCalendar"
) -> dict:
    """What a started process of `flow` holds for the case: its data, its first node, that
    task's kind, owner and due date (the same as the start API and task_record_created)."""
    if flow is flows.CaseFlow:
        return {"data": {}, "node": flow.survey, "kind": TaskKind.SURVEY,
                "owner": survey_owner_of(case),
                "due_on": calendar.due_on(TaskKind.SURVEY, case.identified_on)}  # fmt: skip
    if flow is flows.ResurveyFlow:
        owner = owners.get(case.owner_id)  # active owners only
        return {"data": {"started_by": actor.pk if actor else None}, "node": flow.resurvey,
                "kind": TaskKind.RESURVEY, "owner": owner,
                "due_on": calendar.due_on(TaskKind.RESURVEY, today)}  # fmt: skip
    raise ValueError(f"{flow.__name__} is started one case at a time (its start takes more).")


@transaction.atomic
def cases_start_bulk(
    *,
    cases: list[Case],
    flow=flows.CaseFlow,
    actor: User | None = None,
    batch_size: int = 2000,
    due_on: datetime.date | None = None,
    event_data: dict | None = None,
) -> int:
    """Start a process of `flow` (the case's life, or a re-survey) for many cases at once: the
    rows viewflow's start API writes (process, start task, first task, their link) and the
    task's case and due date, with bulk inserts. viewflow's start signals are not sent;
    nothing here listens to them.

    `due_on` replaces the first task's due date (the quarterly re-surveys are due at the
    quarter's end). A re-survey is recorded on each case's history as a hand start is, with
    `event_data`; its owner, when it has one, is notified.
    """
    content_type = ContentType.objects.get_for_model(Case)
    now, today = timezone.now(), timezone.localdate()
    cases = list(cases)
    owners = User.objects.filter(is_active=True).in_bulk({c.owner_id for c in cases} - {None})
    calendar = WorkCalendar()
    firsts = [_bulk_first_task(flow, case, actor, today, owners, calendar) for case in cases]
    if due_on is not None:
        for first in firsts:
            first["due_on"] = due_on
    processes = flow.process_class.objects.bulk_create(
        [
            flow.process_class(
                flow_class=flow,
                status=PROCESS.NEW,
                created=now,
                data=first["data"],
                artifact_content_type=content_type,
                artifact_object_id=case.pk,
            )  # fmt: skip
            for case, first in zip(cases, firsts, strict=True)
        ],
        batch_size=batch_size,
    )
    starts = Task.objects.bulk_create(
        [
            Task(
                process=process,
                flow_task=flow.start,
                flow_task_type="START",
                status=STATUS.DONE,
                created=now,
                started=now,
                finished=now,
                token=Token("start"),
                data={},
            )  # fmt: skip
            for process in processes
        ],
        batch_size=batch_size,
    )
    tasks = Task.objects.bulk_create(
        [
            Task(
                process=process,
                flow_task=first["node"],
                flow_task_type="HUMAN",
                status=STATUS.ASSIGNED if first["owner"] else STATUS.NEW,
                owner=first["owner"],
                owner_permission=flows.WORK,
                created=now,
                token=Token("start"),
                data={},
            )  # fmt: skip
            for process, first in zip(processes, firsts, strict=True)
        ],
        batch_size=batch_size,
    )
    link = Task.previous.through
    link.objects.bulk_create(
        [
            link(from_task_id=task.pk, to_task_id=start.pk)
            for task, start in zip(tasks, starts, strict=True)
        ],  # fmt: skip
        batch_size=batch_size,
    )
    CaseTask.objects.bulk_create(
        [
            CaseTask(
                task=task,
                case=case,
                kind=first["kind"],
                due_on=first["due_on"],
                county_id=case.county_id,
                township_id=case.township_id,
                region_id=case.region_id,
            )  # fmt: skip
            for task, case, first in zip(tasks, cases, firsts, strict=True)
        ],
        batch_size=batch_size,
    )
    if flow is flows.ResurveyFlow:
        case_events_record(
            {"case": case, "kind": CaseEvent.Kind.RESURVEY_START, "actor": actor, "task": task,
             "at": now, "data": {**(event_data or {}),
                                 **({"notify": [task.owner_id]} if task.owner_id else {})}}
            for task, case in zip(tasks, cases, strict=True)
        )  # fmt: skip
    return len(processes)
