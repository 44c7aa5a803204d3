"""Measure the supervision report (督导报告) over 100,000 cases with a 1,000-row annex: the wall
time and the peak memory (max RSS) of `manage.py supervision_report`, run as its own process.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/supervision_report.py [--cases 100000] [--annex 1000] [--again]

The database named in DATABASE_URL is emptied and filled unless --again finds the cases of an
earlier run (the overdue tasks are set afresh either way); use one made for the purpose. The
cases are written in bulk as bench/workflow_start.py does (each with its open survey task,
made on 2026-09-01); then exactly --annex of the open tasks are due in October 2026, the others
in 2027, so that the report of 2026-10 lists --annex overdue cases as October ended.
Prints a Markdown table for docs/benchmarks.md. Targets: under 20 s and under 1 GB.
"""

import argparse
import datetime
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASEWORK_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from viewflow.workflow.models import Task  # noqa: E402

from bench.monthly_figures import setup as figures_fill  # noqa: E402
from casework.models import Case, ExportLog  # noqa: E402
from workflows import services  # noqa: E402
from workflows.models import CaseTask  # noqa: E402
from workflows.selectors import OPEN  # noqa: E402

PERIOD = "2026-10"
CREATED = timezone.make_aware(datetime.datetime(2026, 9, 1, 9))


def fill(n: int) -> None:
    """bench/monthly_figures.py's n cases, each case's workflow started (its first task)."""
    figures_fill(SimpleNamespace(cases=n))
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 20_000):
        cases = Case.objects.filter(pk__in=ids[start : start + 20_000]).select_related(
            "region__default_caseworker", "township__default_caseworker", "owner"
        )
        services.cases_start_bulk(cases=list(cases))


def overdue_set(annex: int) -> None:
    """Every open task made before October; `annex` of them, spread over the counties, due in
    October (overdue as it ended), the rest in 2027."""
    Task.objects.filter(status__in=OPEN).update(created=CREATED)
    CaseTask.objects.update(due_on=datetime.date(2027, 1, 31))
    open_ids = list(
        CaseTask.objects.filter(task__status__in=OPEN).order_by("pk").values_list("pk", flat=True)
    )
    step = max(1, len(open_ids) // annex)
    chosen = open_ids[::step][:annex]
    for n, start in enumerate(range(0, len(chosen), 100)):
        CaseTask.objects.filter(pk__in=chosen[start : start + 100]).update(
            due_on=datetime.date(2026, 10, 1 + n % 28)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def run_command(target: Path) -> tuple[float, int]:
    """(wall seconds, max RSS in MB) of one `manage.py supervision_report` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "supervision_report", "--period", PERIOD,
         "-o", str(target)],
        check=True, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    seconds = time.perf_counter() - started
    # ru_maxrss of the children is the largest of any child so far (kilobytes on Linux): the
    # runs are alike, so the largest is this run's or an earlier one's of the same size
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return seconds, peak // 1024


def pages_of(target: Path) -> int:
    info = subprocess.run(["pdfinfo", str(target)], capture_output=True, text=True).stdout
    return next((int(line.split()[-1]) for line in info.splitlines()
                 if line.startswith("Pages:")), 0)  # fmt: skip


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--annex", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--again", action="store_true", help="keep the cases of an earlier run")
    args = parser.parse_args()
    if not args.again or Case.objects.count() < args.cases:
        fill(args.cases)
    overdue_set(args.annex)
    print(f"{Case.objects.count():,} cases, {CaseTask.objects.count():,} tasks, "
          f"{args.annex:,} overdue as {PERIOD} ended; {connection.vendor}")  # fmt: skip
    print()
    print("| run | annex rows | pages | PDF KB | seconds | max RSS MB |")
    print("|---|---:|---:|---:|---:|---:|")
    times = []
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "report.pdf"
        for run in range(1, args.runs + 1):
            seconds, peak = run_command(target)
            rows = ExportLog.objects.filter(kind="supervision_report").latest("at").rows
            assert rows == args.annex, f"the annex lists {rows} rows, not {args.annex}"
            times.append(seconds)
            print(f"| {run} | {rows:,} | {pages_of(target)} | "
                  f"{target.stat().st_size // 1024:,} | {seconds:.1f} | {peak:,} |")  # fmt: skip
    print()
    print(f"median {statistics.median(times):.1f} s (target < 20 s); "
          f"max RSS {peak:,} MB (target < 1,024 MB)")  # fmt: skip


if __name__ == "__main__":
    main()
