"""Time the ledger's export (实名台账) over 100,000 cases: xlsx and JSON, seconds, queries, memory.

    createdb -h 127.0.0.1 -U postgres casework_exports_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_exports_bench \\
        .venv/bin/python bench/exports.py [--cases 100000] [--again]

The database named in DATABASE_URL is emptied and filled by bench/monthly_figures.py's bulk
writes (cases with their stage changes, surveys, outreach, placements, enrolments, follow-ups,
confirmations and transfers); --again keeps the data of an earlier run. Each measurement runs in
a process of its own, so that its peak memory (ru_maxrss, Django included) is its own:

- `manage.py export_ledger --format xlsx` and `--format json` (the same command on the code
  before this change, for the "before" figures: run `--measure command-xlsx` from a checkout
  of it);
- the background job (`exports.export_file_write`) writing the whole ledger for city staff,
  as after `/cases/ledger.xlsx` answered with its progress page.

Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CASEWORK_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.urls import get_resolver  # noqa: E402

MEASURES = ("command-xlsx", "command-json", "job-xlsx", "job-needs")


def measure(what: str) -> dict:
    """One measurement in this process: seconds, queries, rows, peak memory."""
    queries = [0]

    def counted(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    with tempfile.TemporaryDirectory(prefix="casework-bench-") as folder:
        target = Path(folder) / f"ledger.{what.rsplit('-', 1)[1]}"
        started = time.perf_counter()
        with connection.execute_wrapper(counted):
            if what.startswith("command-"):
                call_command("export_ledger", "--format", target.suffix[1:], "-o", str(target),
                             stderr=io.StringIO())  # fmt: skip
                size = target.stat().st_size
            elif what == "job-needs":
                size = needs_run()
            else:
                size = job_run()
        seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss / 1024  # kB on Linux
    return {"what": what, "seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "queries": queries[0], "peak_mb": peak, "size_mb": size / 1e6}  # fmt: skip


def city_staff():
    from casework.models import Region, Role, User  # noqa: PLC0415
    from casework.services import staff_assign  # noqa: PLC0415

    user = User.objects.filter(username="bench_city").first()
    if user is None:
        user = User.objects.create_user("bench_city", password="bench-password-1")
        staff_assign(user=user, role=Role.CITY_STAFF,
                     regions=[Region.objects.get(level=Region.Level.CITY)])  # fmt: skip
    return user


def job_run(kind: str = "ledger") -> int:
    """The ledger (or the needs list) of every case written as a background export of city
    staff (run inline)."""
    from casework import exports  # noqa: PLC0415  (not in the code before this change)
    from casework.models import ExportFile  # noqa: PLC0415

    # the makers register where their pages are: loaded with the URLs, as in the web process
    get_resolver().url_patterns  # noqa: B018
    user = city_staff()
    made = exports.MAKERS[kind](user, {"query": ""})
    record = ExportFile.objects.create(
        owner=user, kind=kind, params={"query": ""}, filename=made.filename,
        description=made.description,
    )  # fmt: skip
    exports.export_file_write(record.pk)
    record.refresh_from_db()
    assert record.status == ExportFile.Status.DONE, record.error
    exports.export_file_path(record.stored_file).unlink()
    return record.size


def needs_run() -> int:
    """The needs list of every surveyed case, as city staff: the data set's cases are made
    `surveyed` with their latest survey for the time of the measurement only (rolled back)."""
    from django.db import transaction  # noqa: PLC0415

    city_staff()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE casework_case SET stage = 'surveyed', latest_survey_id = latest.id "
                "FROM (SELECT case_id, max(id) AS id FROM casework_survey GROUP BY case_id) "
                "AS latest WHERE latest.case_id = casework_case.id"
            )
        size = job_run("needs")
        transaction.set_rollback(True)
    return size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--again", action="store_true")
    parser.add_argument("--measure", choices=MEASURES, help="one measurement, in this process")
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return
    if not args.again:
        from bench.monthly_figures import setup  # noqa: PLC0415  (fills the database)

        started = time.perf_counter()
        setup(argparse.Namespace(cases=args.cases))
        print(f"filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    from casework.models import Case  # noqa: PLC0415

    cases = Case.objects.count()
    print(f"| the ledger of {cases:,} cases (PostgreSQL) | seconds | CPU seconds | queries | "
          "peak RSS | file | load average |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|")
    for what in MEASURES:
        output = subprocess.run(
            [sys.executable, __file__, "--measure", what], check=True, capture_output=True,
            text=True,
        ).stdout  # fmt: skip
        result = json.loads(output.strip().splitlines()[-1])
        load = os.getloadavg()[1]  # the last 5 minutes: the machine is shared
        print(f"| {what} | {result['seconds']:.1f} | {result['cpu']:.1f} | {result['queries']} | "
              f"{result['peak_mb']:.0f} MB | {result['size_mb']:.1f} MB | {load:.1f} |",
              flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
