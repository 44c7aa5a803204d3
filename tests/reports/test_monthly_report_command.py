"""manage.py monthly_report: the JSON a province's tooling reads (literal figures of the data set
in tests/reports/conftest.py), the form's files, and clear refusals."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook


def run(*args) -> str:
    out = io.StringIO()
    call_command("monthly_report", *args, stdout=out)
    return out.getvalue()


def test_json_for_one_county(annex_world):
    (report,) = json.loads(run("--month", "2026-10", "--county", "441621", "--format", "json"))
    assert report == {
        "county": "441621",
        "month": "2026-10",
        "cumulative": {"1a": 3, "1b": 2, "1c": 2, "2": 0, "3a": 1, "3b": 0, "4a": 5, "4b": 1,
                       "5a": 1, "5b": 0, "6a": 1, "6b": 1, "7": 1},
        "month_only": {"1a": 1, "1b": 1, "1c": 1, "2": 0, "3a": 1, "3b": 0, "4a": 0, "4b": 1,
                       "5a": 0, "5b": 0, "6a": 1, "6b": 1, "7": 1},
        "remarks": "=十月：扶贫政策宣讲",
        "status": "draft",
        "late": True,  # not submitted, and its deadline (3 November) has passed
    }  # fmt: skip


def test_json_of_a_submitted_month_is_the_frozen_one(annex_world):
    reports = json.loads(run("--month", "2026-09", "--format", "json"))
    by_county = {report["county"]: report for report in reports}
    assert len(reports) == 7  # every county of 河源市, in code order
    assert [r["county"] for r in reports] == sorted(by_county)
    zijin = by_county["441621"]
    assert zijin["status"] == "submitted"
    # the 3rd falls in the National Day holiday: due the 8th, submitted on the 8th
    assert zijin["late"] is False
    assert zijin["remarks"] == "九月无对账"
    assert zijin["month_only"]["1c"] == 1  # 乙's outreach recorded later is not in it
    assert by_county["441622"]["cumulative"]["1a"] == 0  # 丁 came in October


def test_xlsx_and_pdf_files(annex_world, tmp_path):
    target = tmp_path / "zijin.xlsx"
    assert run("--month", "2026-10", "--county", "441621", "--format", "xlsx", "-o", str(target))
    sheet = load_workbook(target)["附件1"]
    assert [c.value for c in sheet[9]][:4] == ["累计", 3, 2, 2]
    city = tmp_path / "city.pdf"
    run("--month", "2026-10", "--format", "pdf", "-o", str(city))
    assert city.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--month", "2026-13"], "give a month as YYYY-MM"),
        (["--month", "October"], "give a month as YYYY-MM"),
        (["--month", "2018-08"], "reports run from 2018-09"),
        (["--month", "2026-10", "--county", "999999"], "no county with code '999999'"),
    ],
)
def test_a_bad_month_or_county_is_refused_clearly(args, message, db):
    with pytest.raises(CommandError, match=message):
        run(*args, "--format", "json")
