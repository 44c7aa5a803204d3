"""The quarterly re-survey (按季度进行排查): at the start of each quarter (Asia/Shanghai) every
open case surveyed at least once gets one re-survey, due at the quarter's end.

Run every few minutes by `run_periodic`; it generates for the quarter holding `now` and finds
nothing left to do once the quarter's re-surveys exist. One set-based statement claims the
quarter for every eligible case (`QuarterlyCheck`, unique per case and quarter, INSERT … SELECT
… ON CONFLICT DO NOTHING), then the claimed cases' re-surveys are started set-based
(`workflows.services.resurveys_start_claimed`: the bulk starter's rows, one INSERT … SELECT per
table), so two generators, or a generator and a hand start, claim a case's quarter once.

A case gets nothing when it is closed or not surveyed yet (its first survey is its check), when
its quarter is claimed (generated, or started by hand in the quarter), when a re-survey is still
open (last quarter's stays and is overdue), or when it was surveyed in the quarter already.
"""

import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.dispatch import Signal
from django.utils import timezone
from viewflow.workflow.status import STATUS

from casework import jobs
from casework.models import Case, Stage, Survey

from .deadlines import WorkCalendar
from .models import CaseTask, QuarterlyCheck, TaskKind, quarter_last_day, quarter_of
from .services import resurveys_start_claimed

OPEN = (STATUS.NEW, STATUS.ASSIGNED, STATUS.STARTED)


def quarter_due_on(quarter: datetime.date, calendar: WorkCalendar | None = None) -> datetime.date:
    """When the quarter's re-surveys are due (settings.CASEWORK_RESURVEY_DUE): its last working
    day ("quarter_end"), or its N-th working day."""
    calendar = calendar or WorkCalendar()
    rule = str(getattr(settings, "CASEWORK_RESURVEY_DUE", "quarter_end"))
    if rule.isdigit():
        return calendar.add_working_days(quarter - datetime.timedelta(days=1), int(rule))
    day = quarter_last_day(quarter)
    while not calendar.is_working_day(day) and day > quarter:
        day -= datetime.timedelta(days=1)
    return day


def eligible_cases(quarter: datetime.date):
    """The open, surveyed cases without an open re-survey, not surveyed in the quarter yet.

    Whether the quarter is claimed already is left to the claim's ON CONFLICT: a NOT EXISTS on
    the claims table inside the INSERT into it can be planned as a scan of that table per case,
    and after the quarter's start nearly every case is left out by its open re-survey anyway."""
    return (
        Case.objects.exclude(stage__in=[Stage.IDENTIFIED, Stage.CLOSED])
        .exclude(
            Exists(
                CaseTask.objects.filter(
                    case=OuterRef("pk"), kind=TaskKind.RESURVEY, task__status__in=OPEN
                )
            )
        )
        .exclude(Exists(Survey.objects.filter(case=OuterRef("pk"), surveyed_on__gte=quarter)))
        .order_by()
    )


def _claim(quarter: datetime.date, claimed_at: datetime.datetime) -> int:
    """Claim the quarter for every eligible case in one statement; how many this call claimed
    (another generator's claims, committed or not, are skipped by the constraint)."""
    select, params = eligible_cases(quarter).values(claimed=F("pk")).query.sql_with_params()
    table = QuarterlyCheck._meta.db_table
    ops = connection.ops
    sql = (
        f"INSERT INTO {table} (case_id, quarter, by_hand, created_at) "  # noqa: S608
        f"SELECT eligible.claimed, %s, %s, %s FROM ({select}) eligible WHERE TRUE "
        "ON CONFLICT (case_id, quarter) DO NOTHING"
    )
    values = [ops.adapt_datefield_value(quarter), False,
              ops.adapt_datetimefield_value(claimed_at), *params]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        return cursor.rowcount


# Sent once the generation commits, with `quarter`, `due_on`, `per_owner` ({caseworker id:
# re-surveys given to them}) and `at` (the run's clock): each caseworker is told once, not once
# per case.
resurveys_generated = Signal()


@transaction.atomic
def quarter_resurveys_start(*, quarter: datetime.date, at: datetime.datetime | None = None) -> int:
    """Start the quarter's re-surveys of the cases that need one; how many were started."""
    claimed_at = timezone.now()
    if not _claim(quarter, claimed_at):
        return 0
    due_on = quarter_due_on(quarter)
    started, per_owner = resurveys_start_claimed(
        quarter=quarter, claimed_at=claimed_at, due_on=due_on,
        event_data={"quarter": quarter.isoformat(), "due_on": due_on.isoformat()},
    )  # fmt: skip
    if per_owner:
        transaction.on_commit(
            lambda: resurveys_generated.send(
                sender=QuarterlyCheck,
                quarter=quarter,
                due_on=due_on,
                per_owner=per_owner,
                at=at or claimed_at,
            ),
            robust=True,
        )
    return started


@jobs.periodic("rechecks_created")
def rechecks_create(now: datetime.datetime) -> int:
    """The periodic job: the re-surveys of the quarter holding `now` (Asia/Shanghai)."""
    return quarter_resurveys_start(quarter=quarter_of(timezone.localdate(now)), at=now)
