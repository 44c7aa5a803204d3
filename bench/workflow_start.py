"""Measure starting case workflows in bulk, and the inbox and queue at province scale.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/workflow_start.py [--cases 20000] [--baseline 500] [--big 100000]

The database named in DATABASE_URL is emptied and filled; use one made for the purpose.
Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASEWORK_TESTING", "1")  # no HTTPS redirect for the test client
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from viewflow.workflow.models import Process, Task  # noqa: E402
from viewflow.workflow.token import Token  # noqa: E402

from casework.idnumber import make_id_number  # noqa: E402
from casework.models import Case, Person, Region, Role, Stage, StageChange, User  # noqa: E402
from casework.services import region_ensure, staff_assign  # noqa: E402
from workflows import services  # noqa: E402
from workflows.flows import CaseFlow  # noqa: E402
from workflows.models import CaseTask, TaskKind  # noqa: E402


def villages(per_county=4, per_township=5):
    result = []
    for county in Region.objects.filter(level=Region.Level.COUNTY).order_by("code"):
        for t in range(per_county):
            township, _ = region_ensure(parent=county, name=f"测试镇{t + 1}")
            for v in range(per_township):
                result.append(region_ensure(parent=township, name=f"测试村{v + 1}")[0])
    return result


_serial = [0]


def make_cases(n, regions, owner=None):
    """n new cases (identified) with their first history row, written in bulk (setup only)."""
    people, start = [], _serial[0]
    owner_townships = set(owner.regions.values_list("pk", flat=True)) if owner else set()
    today = datetime.date(2026, 11, 2)
    for i in range(start, start + n):
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=i % 15000)
        place = regions[i % len(regions)].county.code
        people.append(Person(id_number=make_id_number(place, born, i // 15000 % 999 + 1),
                             name=f"测试{i}", sex="M", birth_date=born))  # fmt: skip
    _serial[0] += n
    people = Person.objects.bulk_create(people, batch_size=5000)
    cases = Case.objects.bulk_create(
        [
            Case(
                person=person,
                region=regions[i % len(regions)],
                township_id=regions[i % len(regions)].parent_id,
                county_id=regions[i % len(regions)].county_id,
                owner=owner
                if owner and i % 2 and regions[i % len(regions)].parent_id in owner_townships
                else None,
                identified_on=today,
            )  # fmt: skip
            for i, person in enumerate(people)
        ],
        batch_size=5000,
    )
    StageChange.objects.bulk_create(
        [
            StageChange(case=case, to_stage=Stage.IDENTIFIED, transition="identify")
            for case in cases
        ],
        batch_size=5000,
    )
    return list(Case.objects.filter(pk__in=[c.pk for c in cases]).select_related(
        "region__default_caseworker", "township__default_caseworker", "owner"))  # fmt: skip


def timed(function):
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def server_times(client, url, runs=21):
    client.get(url)  # warm
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), max(times), len(response.content)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=500)
    parser.add_argument("--big", type=int, default=100_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("note: not PostgreSQL; the targets are set for PostgreSQL", file=sys.stderr)
    call_command("flush", "--noinput", verbosity=0)
    call_command("migrate", verbosity=0)
    importlib = __import__("importlib")
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(django.apps.apps, None)
    regions = villages()
    caseworker = User.objects.create_user("bench_cw", password="bench-password-1")
    staff_assign(user=caseworker, role=Role.CASEWORKER, regions=[regions[0].parent])
    rows = []

    # 1. the start API, one process at a time
    baseline_cases = make_cases(args.baseline, regions)
    with transaction.atomic():
        seconds = timed(lambda: [services.case_process_start(case=c) for c in baseline_cases])
    rows.append(("viewflow start API, one at a time", args.baseline, seconds))

    # 2. the bulk starter
    bulk_cases = make_cases(args.cases, regions)
    seconds = timed(lambda: services.cases_start_bulk(cases=bulk_cases))
    rows.append(("bulk starter", args.cases, seconds))

    print("| how | cases | seconds | cases per second |")
    print("|---|---:|---:|---:|")
    for how, n, seconds in rows:
        print(f"| {how} | {n:,} | {seconds:.2f} | {n / seconds:,.0f} |")

    # 3. inbox and queue at province scale: --big cases, three tasks each
    have = Case.objects.count()
    for _ in range(max(0, args.big - have) // 20_000 + 1):
        batch = min(20_000, args.big - Case.objects.count())
        if batch <= 0:
            break
        services.cases_start_bulk(cases=make_cases(batch, regions, owner=caseworker))
    # one finished task per case besides start and survey (3 tasks a case), held by the
    # case's caseworker: the bench caseworker's archive holds thousands of them
    owners = dict(Case.objects.values_list("pk", "owner_id"))
    done = []
    for process_id, case_id in Process.objects.values_list("pk", "artifact_object_id"):
        done.append(Task(process_id=process_id, flow_task=CaseFlow.employment,
                         flow_task_type="HUMAN", status="DONE", owner_id=owners[case_id],
                         owner_permission="casework.work_case", token=Token("start")))  # fmt: skip
    done = Task.objects.bulk_create(done, batch_size=10_000)
    cases = dict(Process.objects.values_list("pk", "artifact_object_id"))
    regions_of = {c.pk: c for c in Case.objects.only("pk", "county_id", "township_id", "region_id")}
    CaseTask.objects.bulk_create(
        [
            CaseTask(
                task=t,
                case_id=cases[t.process_id],
                kind=TaskKind.EMPLOYMENT,
                due_on=datetime.date(2026, 10, 1),
                county_id=regions_of[cases[t.process_id]].county_id,
                township_id=regions_of[cases[t.process_id]].township_id,
                region_id=regions_of[cases[t.process_id]].region_id,
            )  # fmt: skip
            for t in done
        ],
        batch_size=10_000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(caseworker)
    print()
    archived = Task.objects.filter(owner=caseworker, status="DONE").count()
    print(f"{Case.objects.count():,} cases, {Task.objects.count():,} tasks "
          f"({archived:,} finished by the caseworker), "
          f"{CaseTask.objects.filter(task__owner=caseworker, task__status='ASSIGNED').count():,} "
          f"open tasks in the caseworker's inbox, "
          f"{CaseTask.objects.filter(township=regions[0].parent, task__status='NEW').count():,} "
          f"in the township's queue")  # fmt: skip
    print()
    print("| page | median ms | max ms | queries | page KB |")
    print("|---|---:|---:|---:|---:|")
    for url in ["/tasks/inbox/", "/tasks/queue/", "/tasks/inbox/?overdue=yes"]:
        median, worst, size = server_times(client, url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        print(f"| {url} | {median:.0f} | {worst:.0f} | {len(queries)} | {size / 1024:.0f} |")


if __name__ == "__main__":
    main()
