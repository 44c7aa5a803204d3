"""Time the home pages and the team page (their counters: casework.tallies, workflows.tallies)
and, apart, the home page's dashboard charts (reports.dashboards). Median of 11 requests after a
warm-up, through the Django test client; server time, SQL time and query count. Reads the
database in DATABASE_URL and changes nothing.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_tally100k \\
        .venv/bin/python bench/home_counters.py [--city USER] [--supervisor sup_441621] \\
        [--caseworker cw_441602001_1]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from casework import access, selectors  # noqa: E402
from casework.models import Role, Stage, User  # noqa: E402
from reports import dashboards  # noqa: E402
from workflows import selectors as task_selectors  # noqa: E402

try:  # the summaries (after issue 16's counters); before them, the live counts
    from casework import tallies
except ImportError:
    tallies = None


def home_counters(user: User) -> None:
    """The home page's counters of the user's role, without its lists and charts."""
    today, cases = timezone.localdate(), access.cases_visible_to(user)
    if tallies:
        tallies.case_counts_by_stage(user)
    else:
        selectors.cases_by_stage(cases)
    if user.role == Role.CASEWORKER:
        task_selectors.my_task_counts(user, today)
        if tallies:
            tallies.open_cases_held_by(user, user)
        else:
            cases.filter(owner=user).exclude(stage=Stage.CLOSED).count()
    if user.role == Role.COUNTY_SUPERVISOR:
        task_selectors.overdue_counts(user, today, by="township")
        task_selectors.overdue_counts(user, today, by="owner")
        task_selectors.unclaimed_count(user)
        if tallies:
            tallies.open_cases_held_by(user, None)
        else:
            cases.filter(owner=None).exclude(stage=Stage.CLOSED).count()
    if user.role == Role.CITY_STAFF:
        if tallies:
            tallies.open_cases_by_county(user)
        else:
            selectors.open_cases_by_county(cases)
        task_selectors.task_counts_by_county(user, today)


ROUNDS = 11


def measured(function) -> tuple[float, float, int]:
    """Median wall time (ms), its SQL time (ms), its query count, after one warm-up."""
    function()
    runs = []
    for _ in range(ROUNDS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            function()
            elapsed = time.perf_counter() - start
        sql = sum(float(query["time"]) for query in queries.captured_queries)
        runs.append((elapsed * 1000, sql * 1000, len(queries)))
    runs.sort()
    return runs[len(runs) // 2]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--city", default=None, help="a city staff username (default: the first)")
    parser.add_argument("--supervisor", default="sup_441621")
    parser.add_argument("--caseworker", default="cw_441602001_1")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS.append("testserver")
    city = (
        User.objects.get(username=args.city)
        if args.city
        else User.objects.filter(groups__name=Role.CITY_STAFF, is_active=True).order_by("pk")[0]
    )
    people = {
        "city staff": city,
        "county supervisor": User.objects.get(username=args.supervisor),
        "caseworker": User.objects.get(username=args.caseworker),
    }
    pages = [("/", who) for who in people] + [
        ("/tasks/team/", "city staff"),
        ("/tasks/team/", "county supervisor"),
    ]
    print("| page | who | median ms | SQL ms | queries |")
    print("|---|---|---:|---:|---:|")
    for url, who in pages:
        client = Client()
        client.force_login(people[who])

        def get(client=client, url=url):
            assert client.get(url).status_code == 200

        total, sql, count = measured(get)
        print(f"| {url} | {who} | {total:.0f} | {sql:.0f} | {count} |")
    for who, user in people.items():
        total, sql, count = measured(lambda user=user: home_counters(user))
        print(f"| home counters alone | {who} | {total:.0f} | {sql:.0f} | {count} |")
    for who, user in people.items():
        user = User.objects.get(pk=user.pk)
        total, sql, count = measured(lambda user=user: dashboards.dashboard_for(user, {}))
        print(f"| dashboard charts alone | {who} | {total:.0f} | {sql:.0f} | {count} |")


if __name__ == "__main__":
    main()
