"""County supervision in a browser: after a monthly report's deadline is missed and the periodic
work runs (as cron would, `run_periodic --now`), city staff find the counties at level 1 on
/supervision/ and print the supervision report of last month, which downloads as a PDF naming
them."""

import datetime
import io
import json
import subprocess

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.models import Region
from reports.models import MonthlyReport
from tests.e2e.conftest import log_in
from tests.factories import region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_missed_deadline_puts_the_county_at_level_1_and_the_report_prints(
    page, live_server, demo, tmp_path
):
    today = timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)  # last month's last day
    before_last = last.replace(day=1) - datetime.timedelta(days=1)
    # every county but 紫金县 sent the report due last month (the month before's) in time
    zijin = region("紫金县")
    for county in Region.objects.filter(level=Region.Level.COUNTY).exclude(pk=zijin.pk):
        MonthlyReport.objects.create(
            county=county, month=before_last.replace(day=1), status="submitted",
            first_submitted_at=timezone.make_aware(
                datetime.datetime.combine(last.replace(day=2), datetime.time(9))),
        )  # fmt: skip
    out = io.StringIO()
    call_command("run_periodic", "--json", "--now", timezone.now().isoformat(), stdout=out)
    assert json.loads(out.getvalue())["county_escalations"] == 7

    log_in(page, live_server, "city")
    page.goto(f"{live_server.url}/supervision/")
    row = page.locator(f"[data-testid=standings] tr[data-county='{zijin.code}']")
    assert row.get_attribute("data-level") == "1"
    assert "1 · 提醒" in row.inner_text()  # the level and its step, in Chinese by default
    others = page.locator("[data-testid=standings] tr[data-level='0']")
    assert others.count() == 6

    page.goto(f"{live_server.url}/supervision/report/")
    page.fill("#id_period", f"{last:%Y-%m}")
    page.click("[data-testid=report-form] button[type=submit]")
    page.wait_for_selector("[data-testid=report-download]")
    with page.expect_download() as download:
        page.click("[data-testid=report-download]")
    pdf = tmp_path / "report.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "河源市就业技能扶贫督导报告" in text
    assert f"{last:%Y-%m} 紫金县" in " ".join(text.split())
