"""Measure the quarterly re-survey generation for 100,000 open, surveyed cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/rechecks.py [--cases 100000] [--again]

The database named in DATABASE_URL is emptied and filled; use one made for the purpose.
--again keeps the cases of an earlier run and removes only its re-surveys; BENCH_QUERIES=1
prints each statement of the measured run with its time.
Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import datetime
import os
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASEWORK_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.workflow_start import villages  # noqa: E402  (the same regions as that bench)
from casework.idnumber import make_id_number  # noqa: E402
from casework.models import Case, Person, Role, Stage, Survey, User  # noqa: E402
from casework.services import staff_assign  # noqa: E402
from workflows import services  # noqa: E402
from workflows.models import CaseTask, QuarterlyCheck  # noqa: E402
from workflows.rechecks import rechecks_create  # noqa: E402

SURVEYED_ON = datetime.date(2026, 11, 10)
QUARTER_START = datetime.datetime(2027, 1, 1, 0, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def make_cases(n, start, regions, stage, owners, surveyor):
    """n cases at `stage` with their case process (the survey task, bulk-started) and, unless
    identified, a survey in November 2026 (setup only, not timed)."""
    people = []
    for i in range(start, start + n):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 15000)
        place = regions[i % len(regions)].county.code
        people.append(Person(id_number=make_id_number(place, born, i // 15000 % 999 + 1),
                             name=f"测试{i}", sex="M", birth_date=born))  # fmt: skip
    people = Person.objects.bulk_create(people, batch_size=5000)
    cases = Case.objects.bulk_create(
        [
            Case(
                person=person,
                region=regions[i % len(regions)],
                township_id=regions[i % len(regions)].parent_id,
                county_id=regions[i % len(regions)].county_id,
                owner=owners.get(regions[i % len(regions)].parent_id) if i % 2 else None,
                identified_on=datetime.date(2026, 10, 8),
            )  # fmt: skip
            for i, person in enumerate(people, start)
        ],
        batch_size=5000,
    )
    services.cases_start_bulk(cases=cases, batch_size=5000)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(stage=stage)
    if stage != Stage.IDENTIFIED:
        Survey.objects.bulk_create(
            [
                Survey(
                    case=case,
                    surveyed_on=SURVEYED_ON,
                    surveyor=surveyor,
                    employment_status="farming",
                    county_id=case.county_id,
                    township_id=case.township_id,
                )  # fmt: skip
                for case in cases
            ],
            batch_size=5000,
        )
    return cases


TIMES = []


def statement_timer(execute, sql, params, many, context):
    """Time each statement of the measured run (BENCH_QUERIES=1 prints them)."""
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        TIMES.append((sql, time.perf_counter() - started))


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--again", action="store_true",
        help="keep the cases of an earlier run; remove only its re-surveys and their claims",
    )  # fmt: skip
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL; the target is set for PostgreSQL", file=sys.stderr)
    if args.again:
        resurveys_remove()
    else:
        setup(args)
    measure(args)


def resurveys_remove():
    """Undo an earlier run's generation, so that the next measures the same work again."""
    tasks = "SELECT id FROM viewflow_task WHERE flow_task LIKE 'workflows/flows.ResurveyFlow.%%'"
    with connection.cursor() as cursor:
        for sql in [
            "DELETE FROM casework_caseevent WHERE kind = 'resurvey_start'",
            "DELETE FROM workflows_casetask WHERE kind = 'resurvey'",
            f"DELETE FROM viewflow_task_previous WHERE from_task_id IN ({tasks})",
            f"DELETE FROM viewflow_task WHERE id IN ({tasks})",
            "DELETE FROM viewflow_process WHERE flow_class = 'workflows/flows.ResurveyFlow'",
            "DELETE FROM workflows_quarterlycheck",
        ]:
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def setup(args):
    call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    importlib = __import__("importlib")
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(django.apps.apps, None)
    regions = villages()
    owners = {}
    for township in {r.parent for r in regions}:
        user = User.objects.create_user(f"bench_cw_{township.pk}", password="bench-password-1")
        staff_assign(user=user, role=Role.CASEWORKER, regions=[township])
        owners[township.pk] = user
    surveyor = next(iter(owners.values()))

    # the cases the generator must skip: closed, not surveyed yet (10% of the open ones each)
    skipped = args.cases // 10
    make_cases(skipped, 0, regions, Stage.CLOSED, owners, surveyor)
    make_cases(skipped, skipped, regions, Stage.IDENTIFIED, owners, surveyor)
    for at in range(0, args.cases, 20_000):
        make_cases(min(20_000, args.cases - at), 2 * skipped + at, regions, Stage.SURVEYED,
                   owners, surveyor)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"{Case.objects.count():,} cases: {args.cases:,} open and surveyed, "
          f"{skipped:,} closed, {skipped:,} not surveyed yet", file=sys.stderr)  # fmt: skip


def measure(args):
    rows = []
    with connection.execute_wrapper(statement_timer):
        created, seconds = timed(lambda: rechecks_create(QUARTER_START))
    if os.environ.get("BENCH_QUERIES"):
        for sql, secs in TIMES:
            print(f"{secs:7.2f} s  {sql[:110]}", file=sys.stderr)
    rows.append(("quarter start: claim and start the re-surveys", created, seconds))
    again, seconds_again = timed(lambda: rechecks_create(QUARTER_START))
    rows.append(("the next run in the quarter (nothing left to do)", again, seconds_again))

    assert created == args.cases, created
    assert QuarterlyCheck.objects.count() == args.cases
    assert CaseTask.objects.filter(kind="resurvey").count() == args.cases
    print("| run | re-surveys started | seconds | per second |")
    print("|---|---:|---:|---:|")
    for how, n, secs in rows:
        rate = f"{n / secs:,.0f}" if n else "—"
        print(f"| {how} | {n:,} | {secs:.2f} | {rate} |")


if __name__ == "__main__":
    main()
