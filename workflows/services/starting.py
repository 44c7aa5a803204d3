"""Starting processes: one case's, or many at once with bulk inserts (a roster import, the
quarterly re-surveys)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from viewflow.workflow.models import Process, Task
from viewflow.workflow.status import PROCESS, STATUS
from viewflow.workflow.token import Token

from casework import services as registry
from casework.history import case_events_announce
from casework.models import (
    Case,
    CaseEvent,
    User,
)

from .. import flows
from ..bookkeeping import survey_owner_of
from ..deadlines import WorkCalendar
from ..models import WORK, CaseTask, QuarterlyCheck, TaskKind


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


def _bulk_first_task(flow, case: Case, actor: User | None, today, owners: dict) -> dict:
    """What a started process of `flow` holds for the case: its data, its first node, that
    task's kind, owner and due date (the same as the start API and task_record_created)."""
    calendar = WorkCalendar()
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
    *, cases: list[Case], flow=flows.CaseFlow, actor: User | None = None, batch_size: int = 2000
) -> int:
    """Start a process of `flow` (the case's life, or a re-survey) for many cases at once: the
    rows viewflow's start API writes (process, start task, first task, their link) and the
    task's case and due date, with bulk inserts. viewflow's start signals are not sent;
    nothing here listens to them.
    """
    content_type = ContentType.objects.get_for_model(Case)
    now, today = timezone.now(), timezone.localdate()
    cases = list(cases)
    owners = User.objects.filter(is_active=True).in_bulk({c.owner_id for c in cases} - {None})
    firsts = [_bulk_first_task(flow, case, actor, today, owners) for case in cases]
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
                owner_permission=WORK,
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
                owner_id=task.owner_id,
                status=task.status,
            )  # fmt: skip
            for task, case, first in zip(tasks, cases, firsts, strict=True)
        ],
        batch_size=batch_size,
    )
    return len(processes)


def _prep(model, field: str, value):
    """A value as the database stores it in model.field (flow classes, nodes, JSON, times)."""
    return model._meta.get_field(field).get_db_prep_save(value, connection)


def _json_param() -> str:
    """SQL for a JSON parameter as the event's data column takes it."""
    return "CAST(%s AS jsonb)" if connection.vendor == "postgresql" else "%s"


@transaction.atomic
def resurveys_start_claimed(
    *, quarter: datetime.date, claimed_at, due_on: datetime.date, event_data: dict
) -> tuple[int, dict[int, int]]:
    """Start the re-surveys of the cases claimed for `quarter` at `claimed_at` (the generator's
    QuarterlyCheck rows), set-based: one INSERT … SELECT per table, writing the rows the bulk
    starter writes for ResurveyFlow (process, start task, re-survey task, their link, the task's
    case and due date) and the history event of each (`event_data`, JSON as stored, with the
    task's owner to notify), then announcing the events after commit.

    The re-survey goes to the case's caseworker when active, else to its region's queue.
    """
    flow = flows.ResurveyFlow
    now = timezone.now()
    t = {
        "process": Process._meta.db_table,
        "task": Task._meta.db_table,
        "link": Task.previous.through._meta.db_table,
        "case_task": CaseTask._meta.db_table,
        "claim": QuarterlyCheck._meta.db_table,
        "case": Case._meta.db_table,
        "user": User._meta.db_table,
        "event": CaseEvent._meta.db_table,
    }
    flow_class = _prep(Process, "flow_class", flow)
    start_node = _prep(Task, "flow_task", flow.start)
    resurvey_node = _prep(Task, "flow_task", flow.resurvey)
    at = _prep(Process, "created", now)
    token = _prep(Task, "token", Token("start"))
    empty = _prep(Task, "data", {})
    claim = [_prep(QuarterlyCheck, "quarter", quarter),
             _prep(QuarterlyCheck, "created_at", claimed_at), False]  # fmt: skip
    # the processes this call starts: its flow's, created now, of the cases of its claims
    ours = (
        f"{t['process']} p JOIN {t['claim']} q ON q.case_id = p.artifact_object_id "
        "AND q.quarter = %s AND q.created_at = %s AND q.by_hand = %s"
    )
    ours_where = f"p.flow_class = %s AND p.created = %s AND p.status = '{PROCESS.NEW.value}'"
    ours_params = [*claim, flow_class, at]
    statements = [
        (
            f"INSERT INTO {t['process']} (flow_class, status, created, data, "
            "artifact_content_type_id, artifact_object_id) "
            f"SELECT %s, '{PROCESS.NEW.value}', %s, %s, %s, q.case_id FROM {t['claim']} q "
            "WHERE q.quarter = %s AND q.created_at = %s AND q.by_hand = %s ORDER BY q.case_id",
            [flow_class, at, _prep(Process, "data", {"started_by": None}),
             ContentType.objects.get_for_model(Case).pk, *claim],
        ),
        (
            f"INSERT INTO {t['task']} (flow_task, flow_task_type, status, created, started, "
            "finished, token, data, process_id) "
            f"SELECT %s, 'START', '{STATUS.DONE.value}', %s, %s, %s, %s, %s, p.id "
            f"FROM {ours} WHERE {ours_where} ORDER BY p.id",
            [start_node, at, at, at, token, empty, *ours_params],
        ),
        (
            f"INSERT INTO {t['task']} (flow_task, flow_task_type, status, created, token, data, "
            "process_id, owner_id, owner_permission) "
            f"SELECT %s, 'HUMAN', CASE WHEN u.id IS NULL THEN '{STATUS.NEW.value}' "
            f"ELSE '{STATUS.ASSIGNED.value}' END, %s, %s, %s, p.id, u.id, %s "
            f"FROM {ours} JOIN {t['case']} c ON c.id = p.artifact_object_id "
            f"LEFT JOIN {t['user']} u ON u.id = c.owner_id AND u.is_active "
            f"WHERE {ours_where} ORDER BY p.id",
            [resurvey_node, at, token, empty, WORK, *ours_params],
        ),
        (
            f"INSERT INTO {t['link']} (from_task_id, to_task_id) "
            f"SELECT r.id, s.id FROM {ours} JOIN {t['task']} r ON r.process_id = p.id "
            f"JOIN {t['task']} s ON s.process_id = p.id "
            f"WHERE {ours_where} AND r.flow_task = %s AND s.flow_task = %s ORDER BY r.id",
            [*ours_params, resurvey_node, start_node],
        ),
        (
            f"INSERT INTO {t['case_task']} (task_id, case_id, kind, due_on, county_id, "
            "township_id, region_id, owner_id, status) "
            "SELECT r.id, c.id, %s, %s, c.county_id, c.township_id, c.region_id, r.owner_id, "
            "r.status "
            f"FROM {ours} JOIN {t['task']} r ON r.process_id = p.id "
            f"JOIN {t['case']} c ON c.id = p.artifact_object_id "
            f"WHERE {ours_where} AND r.flow_task = %s ORDER BY r.id",
            [TaskKind.RESURVEY.value, _prep(CaseTask, "due_on", due_on), *ours_params,
             resurvey_node],
        ),
        (
            f"INSERT INTO {t['event']} (kind, at, actor_id, case_id, task_id, data) "
            f"SELECT %s, %s, NULL, p.artifact_object_id, r.id, "
            f"{_json_param()} "
            f"FROM {ours} JOIN {t['task']} r ON r.process_id = p.id "
            f"WHERE {ours_where} AND r.flow_task = %s ORDER BY r.id",
            [CaseEvent.Kind.RESURVEY_START.value, at,
             _prep(CaseEvent, "data", event_data), *ours_params, resurvey_node],
        ),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if sql.startswith(f"INSERT INTO {t['process']}"):
                started = cursor.rowcount
                if connection.vendor == "postgresql":
                    # the planner must know the claims and processes just written, or it joins
                    # them row by row (ANALYZE samples, so this stays quick on large tables)
                    cursor.execute(f"ANALYZE {t['claim']}, {t['process']}")
    events = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.RESURVEY_START,
        at=now,
        actor=None,
        task__flow_task=flow.resurvey,
        case__quarterly_checks__quarter=quarter,
        case__quarterly_checks__created_at=claimed_at,
        case__quarterly_checks__by_hand=False,
    )
    case_events_announce(events.order_by("pk"))
    per_owner = dict(
        events.filter(task__owner__isnull=False)
        .values_list("task__owner")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return started, per_owner
