"""Time 附件1's month rows for one county: every month's own figures from 2018-09 to a month,
counted by `month_only_by_month` (one grouped query per figure) and, as the baseline, by
`figures_by_county` month by month. Reads the database in DATABASE_URL and changes nothing.

    DATABASE_URL=sqlite:////path/dev.sqlite3 DJANGO_DEBUG=1 \\
        .venv/bin/python bench/annex1_months.py [--county 紫金县] [--month 2026-10]
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

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from casework.models import Region  # noqa: E402
from reports import annex1, figures  # noqa: E402
from reports.periods import FIRST_MONTH, Month  # noqa: E402


def timed(function):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        result = function()
        return result, len(queries), time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--county", default="紫金县")
    parser.add_argument("--month", default="2026-10")
    options = parser.parse_args()
    county = Region.objects.get(name=options.county, level=Region.Level.COUNTY)
    last, first = Month.parse(options.month), Month(*FIRST_MONTH)
    months = list(first.until(last))
    grouped, grouped_queries, grouped_s = timed(
        lambda: figures.month_only_by_month(first, last, [county.pk]).get(county.pk, {})
    )
    per_month, per_queries, per_s = timed(
        lambda: {
            m: figures.figures_by_county(m, [county.pk])[county.pk][figures.MONTH_ONLY]
            for m in months
        }  # fmt: skip
    )
    zeros = dict.fromkeys(figures.KEYS, 0)
    assert all(grouped.get(m, zeros) == per_month[m] for m in months), "the two counts differ"
    _annex, annex_queries, annex_s = timed(lambda: annex1.county_annex(county, last))
    print(f"| {county.name}, {len(months)} months | queries | seconds |")
    print("|---|---|---|")
    print(f"| month_only_by_month (grouped) | {grouped_queries} | {grouped_s:.3f} |")
    print(f"| figures_by_county month by month | {per_queries} | {per_s:.3f} |")
    print(f"| the county's whole 附件1 (county_annex) | {annex_queries} | {annex_s:.3f} |")


if __name__ == "__main__":
    main()
