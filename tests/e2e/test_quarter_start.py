"""A quarter starts: `run_periodic --now` gives cw_zijin her laborers' re-surveys and tells her."""

import io
import json

import pytest
from django.core.management import call_command

from tests.e2e.conftest import log_in
from tests.factories import CaseFactory, region
from tests.workflows.test_rechecks import surveyed

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_at_a_quarter_start_cw_zijin_finds_her_resurveys_and_a_notification(
    page, live_server, demo
):
    village = region("紫金县/紫城镇/新联村")
    for name in ("钟复查", "黄复查"):
        surveyed(CaseFactory(region=village, name=name), demo["cw_zijin"])
    out = io.StringIO()
    call_command("run_periodic", "--now", "2027-01-01T08:00", "--json", stdout=out)
    assert json.loads(out.getvalue())["rechecks_created"] == 2

    log_in(page, live_server, "cw_zijin")
    assert int(page.get_by_test_id("bell-count").inner_text()) >= 1
    page.get_by_test_id("bell").click()
    summary = page.locator("tr[data-testid=notification]", has_text="季度复查")
    told = "2027年第1季度的复查任务 2 件已列入您的任务，请于2027-03-31前完成。"
    assert told in summary.inner_text()

    summary.locator("a").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("table.table tbody tr")
    for name in ("钟复查", "黄复查"):
        row = rows.filter(has_text=name)
        assert "季度复查" in row.inner_text() and "2027-03-31" in row.inner_text()
