"""Measure every list page for each role that has it, on one or more province data sets.

    .venv/bin/python bench/lists.py \\
        --db postgres://postgres@127.0.0.1:5432/casework_province_10k \\
        --db postgres://postgres@127.0.0.1:5432/casework_province_100k \\
        --db postgres://postgres@127.0.0.1:5432/casework_province_1m [--runs 11] [--explain]

Each data set is one built by bench/province.py (its logins and regions). Each page is asked
through Django's test client (middleware, view, template: the server's time, without the
network) as a caseworker, a county supervisor and city staff, where the role has the page:
unfiltered and with its most used filter, in its default order and one other (`sort=`), on the
first page and 5,000 rows in. The median of --runs requests after one warm-up, and the number of
queries. One subprocess per data set; prints one Markdown table, the last data set over the
first as a ratio. --explain prints EXPLAIN (ANALYZE, BUFFERS) of the slowest query of the
slowest page on the last data set.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (label, path, roles, its most used filter, another order, rows per page); {county},
# {township}, {caseworker} are the measured users' ids
PAGES = [
    ("case list", "/cases/", "wsc", "stage=open", "name", 25),
    ("needs list", "/needs/", "wsc", "training_kind=skill", "name", 50),
    ("inbox", "/tasks/inbox/", "w", "overdue=yes", "name", 50),
    ("queue", "/tasks/queue/", "ws", "kind=survey", "name", 50),
    ("archive", "/tasks/archive/", "w", "kind=survey", "name", 50),
    ("open tasks", "/tasks/open/", "sc", "owner={caseworker}", "name", 50),
    ("overdue tasks", "/tasks/overdue/", "sc", "township={township}", "name", 50),
    ("team", "/tasks/team/", "sc", "", "", 0),
    ("home", "/", "wsc", "", "", 0),
    ("audit", "/audit/", "c", "county={county}", "", 50),
    ("programmes", "/programmes/", "wsc", "", "", 0),
    ("workshops", "/programmes/workshops/", "wsc", "", "", 0),
    ("monthly reports", "/reports/monthly/", "sc", "", "", 0),
    ("supervision", "/supervision/", "sc", "", "", 0),
]
ROLES = {"w": "caseworker", "s": "county supervisor", "c": "city staff"}
DEEP_ROWS = 5000


def variants(path, filter_query, sort, per_page):
    """(variant label, URL) pairs of a page."""
    out = [("first page", path)]
    if per_page:
        out.append(("5,000 rows in", f"{path}?page={DEEP_ROWS // per_page}"))
    if filter_query:
        out.append((f"filtered ({filter_query.split('=')[0]})", f"{path}?{filter_query}"))
    if sort:
        out.append((f"sort={sort}", f"{path}?sort={sort}"))
    return out


def measure_one(db: str, runs: int, explain: bool, budget: float = 0, out=None) -> dict:
    """Run in a subprocess per data set: Django set up on that database."""
    os.environ["DATABASE_URL"] = db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CASEWORK_TESTING", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from casework.models import Case, Region, User

    county = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")[1]  # 紫金县
    township = Region.objects.filter(parent=county).order_by("code").first()
    users = {
        "w": User.objects.get(username=f"cw_{township.code}_1"),
        "s": User.objects.get(username=f"sup_{county.code}"),
        "c": User.objects.get(username="city"),
    }
    ids = {"county": county.pk, "township": township.pk, "caseworker": users["w"].pk}
    searched = Case.objects.filter(owner=users["w"]).select_related("person").order_by("pk").first()
    clients = {}
    for key, user in users.items():
        clients[key] = Client()
        clients[key].force_login(user)

    def timed(client, url):
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)  # the warm-up, counted
        count = len(queries)  # now: each request empties the connection's query log
        times = [(time.perf_counter() - started) * 1000]
        if budget and times[0] > budget * 1000:  # a page slower than the budget: asked once
            return times[0], count, response.status_code
        times = []
        for _ in range(runs if response.status_code == 200 else 0):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        median = statistics.median(times) if times else None
        return median, count, response.status_code

    results, slowest = [], (0, None, None)
    cases = Case.objects.count()
    chosen = os.environ.get("BENCH_PAGES", "")  # --pages, passed to this subprocess
    plan = [(label, path, roles, filter_query, sort, per_page)
            for label, path, roles, filter_query, sort, per_page in PAGES
            if not chosen or label in chosen.split(",")]  # fmt: skip
    for label, path, roles, filter_query, sort, per_page in plan:
        for role in roles:
            pairs = variants(path, filter_query.format(**ids), sort, per_page)
            if path == "/cases/":
                pairs.append(
                    ("search: last 4 ID digits", f"/cases/?q={searched.person.id_number[-4:]}")
                )
            for variant, url in pairs:
                median, count, status = timed(clients[role], url)
                results.append({"page": label, "role": ROLES[role], "variant": variant,
                                "url": url, "ms": median, "queries": count,
                                "status": status})  # fmt: skip
                print(f"  {label} {ROLES[role]} {variant}: {median and round(median)} ms, "
                      f"{count} q, {status}", file=sys.stderr)  # fmt: skip
                if out:
                    Path(out).write_text(json.dumps({"cases": cases, "results": results}))
                if median and median > slowest[0]:
                    slowest = (median, url, role)
    out = {"cases": cases, "results": results}
    if explain and slowest[1]:
        median, url, role = slowest
        with CaptureQueriesContext(connection) as queries:
            clients[role].get(url)
            captured = list(queries.connection.queries_log)
        query = max(captured, key=lambda q: float(q["time"]))
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
            rows = "\n".join(row[0] for row in cursor.fetchall())
        out["explain"] = {"url": url, "role": ROLES[role], "median": median,
                          "sql": query["sql"], "query_ms": float(query["time"]) * 1000,
                          "plan": rows, "queries": len(captured),
                          "sql_ms": sum(float(q["time"]) for q in captured) * 1000}  # fmt: skip
    return out


def size_label(cases: int) -> str:
    if cases >= 1_000_000:
        return f"{cases / 1_000_000:g}M"
    return f"{cases / 1000:g}k"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", action="append", required=True, help="repeat for each set")
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument(
        "--budget",
        type=float,
        default=0,
        help="seconds: a page whose warm-up takes longer is asked only once",
    )
    parser.add_argument("--partial", help="a folder for each set's results as they come")
    parser.add_argument("--pages", default="", help="only these pages, by label: 'home,queue'")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        result = measure_one(args.db[0], args.runs, args.explain, args.budget, args.partial)
        print(json.dumps(result))
        return
    if args.pages:
        os.environ["BENCH_PAGES"] = args.pages
    sets = []
    for position, db in enumerate(args.db):
        command = [sys.executable, __file__, "--one", "--db", db, "--runs", str(args.runs),
                   "--budget", str(args.budget)]  # fmt: skip
        if args.partial:
            command += ["--partial", str(Path(args.partial) / f"set{position}.json")]
        if args.explain and position == len(args.db) - 1:
            command.append("--explain")
        print(f"measuring {db}", file=sys.stderr)
        done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
        sys.stderr.write(done.stderr[-3000:] if "Traceback" in done.stderr else "")
        sets.append(json.loads(done.stdout.strip().splitlines()[-1]))
    labels = [size_label(data["cases"]) for data in sets]
    header = ["page", "role", "variant", *[f"{label} ms" for label in labels]]
    if len(sets) > 1:
        header.append(f"{labels[-1]}/{labels[0]}")
    header += [f"{label} queries" for label in labels]
    print("| " + " | ".join(header) + " |")
    print("|---|---|---|" + "---:|" * (len(header) - 3))
    for position, row in enumerate(sets[0]["results"]):
        rows = [data["results"][position] for data in sets]

        def cell(result):
            if result["status"] != 200:
                return f"HTTP {result['status']}"
            return f"{result['ms']:,.0f}"

        cells = [row["page"], row["role"], row["variant"], *map(cell, rows)]
        if len(sets) > 1:
            first, last = rows[0]["ms"], rows[-1]["ms"]
            cells.append(f"{last / first:.1f}" if first and last else "—")
        cells += [str(result["queries"]) for result in rows]
        print("| " + " | ".join(cells) + " |")
    explained = sets[-1].get("explain")
    if explained:
        print(f"\nSlowest page on {labels[-1]}: {explained['url']} as {explained['role']}, "
              f"median {explained['median']:,.0f} ms, {explained['queries']} queries taking "
              f"{explained['sql_ms']:,.0f} ms in all; its slowest query "
              f"({explained['query_ms']:,.0f} ms):\n")  # fmt: skip
        print("```sql\n" + explained["sql"] + "\n```\n\n```\n" + explained["plan"] + "\n```")


if __name__ == "__main__":
    main()
