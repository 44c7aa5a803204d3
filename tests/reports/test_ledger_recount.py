"""Every laborer figure of 附件1 recomputed by hand from the JSON ledger
(`export_ledger --format json`), a second computation that shares nothing with the SQL in
reports.figures: the ledger carries each record's county code, the transfers and the stage
changes that stand, and this file applies docs/monthly-report.md's definitions to them."""

import datetime
import io
import json
from collections import defaultdict

import pytest
from django.core.management import call_command
from django.test import override_settings

from casework.models import Region
from reports import figures
from reports.periods import Month

from .conftest import D, at

EMPLOYED = ("employed", "followed_up")
LABORER_KEYS = ("1a", "1b", "1c", "2", "3b", "4b", "5a", "5b", "6a", "6b", "7")
RECORDS = {  # figure: (ledger list, the kind it must have, or None)
    "1b": ("surveys", None), "1c": ("outreach", None), "2": ("placements", "event"),
    "3b": ("placements", "workshop"), "4b": ("placements", "public_post"),
    "5a": ("trainings", "skill"), "5b": ("trainings", "startup"), "6b": ("follow_ups", None),
    "7": ("confirmations", None),
}  # fmt: skip


def ledger() -> list[dict]:
    out = io.StringIO()
    call_command("export_ledger", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def day(text):
    return datetime.date.fromisoformat(text) if text else None


def county_on(row, on):
    """Where the laborer belonged on that day: the sending county of the first later transfer."""
    for move in row["transfers"]:
        if day(move["date"]) > on:
            return move["from"]
    return row["county"]


def recount(rows, month: Month) -> dict[str, dict]:
    first, last = month.first, month.last
    found = defaultdict(lambda: {"cumulative": defaultdict(set), "month_only": defaultdict(set)})

    def add(county, scope, key, row):
        found[county][scope][key].add(row["name"] + row["id_number"])

    for row in rows:
        identified, left = day(row["identified_on"]), day(row["left_list_on"])
        if identified <= last and not (left and left <= last):
            add(county_on(row, last), "cumulative", "1a", row)
        if first <= identified <= last:
            add(county_on(row, identified), "month_only", "1a", row)
        for key, (name, kind) in RECORDS.items():
            for record in row[name]:
                if kind and record["kind"] != kind or day(record["date"]) > last:
                    continue
                add(record["county"], "cumulative", key, row)
                if day(record["date"]) >= first:
                    add(record["county"], "month_only", key, row)
        standing = [change for change in row["stage_changes"] if day(change["date"]) <= last]
        if standing and standing[-1]["stage"] in EMPLOYED:
            add(county_on(row, last), "cumulative", "6a", row)
        for change in row["stage_changes"]:
            if change["stage"] == "employed" and first <= day(change["date"]) <= last:
                add(change["county"], "month_only", "6a", row)
    return {
        county: {scope: {key: len(found[county][scope][key]) for key in LABORER_KEYS}
                 for scope in figures.SCOPES}
        for county in found
    }  # fmt: skip


def counted(month: Month) -> dict[str, dict]:
    codes = dict(Region.objects.filter(level="county").values_list("pk", "code"))
    return {
        codes[county]: {scope: {key: values[scope][key] for key in LABORER_KEYS}
                        for scope in figures.SCOPES}
        for county, values in figures.figures_by_county(month).items()
    }  # fmt: skip


def assert_same(month: Month, rows):
    by_hand = recount(rows, month)
    by_sql = counted(month)
    zero = {scope: dict.fromkeys(LABORER_KEYS, 0) for scope in figures.SCOPES}
    for county in set(by_hand) | set(by_sql):
        assert by_sql.get(county, zero) == by_hand.get(county, zero), (str(month), county)


def test_the_constructed_october_recounted_from_the_ledger(october):
    with at(D(2026, 11, 10)):
        rows = ledger()
        for month in (Month(2026, 8), Month(2026, 9), Month(2026, 10), Month(2026, 11)):
            assert_same(month, rows)


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_demo_recounted_from_the_ledger():
    call_command("seed_demo", "--force", stdout=io.StringIO())
    rows = ledger()
    today = datetime.date.today()
    month = Month.of(today)
    for _ in range(4):
        assert_same(month, rows)
        month = month.previous()
