"""A caseworker's and a supervisor's home page: the urgent counts lead to the lists they count."""

import datetime

import pytest
from django.utils import timezone

from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services
from workflows.models import CaseTask

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def case_due(name, due_in, owner=None, place="紫金县/紫城镇/新联村"):
    case = services.case_intake(
        id_number=new_id_number(), name=name, region=region(place), actor=None, owner=owner
    )
    CaseTask.objects.filter(case=case).update(
        due_on=timezone.localdate() + datetime.timedelta(days=due_in)
    )


def test_the_overdue_card_leads_to_the_overdue_tasks(page, live_server, demo):
    me = demo["cw_zijin"]
    case_due("钟过期一", -3, owner=me)
    case_due("钟过期二", -1, owner=me)
    case_due("钟本周", 2, owner=me)
    case_due("钟下月", 30, owner=me)
    case_due("黄无人", -6)
    log_in(page, live_server, "cw_zijin")

    overdue = page.locator("[data-testid=tile-overdue]")
    assert overdue.locator("strong").inner_text() == "2"
    assert page.locator("[data-testid=tile-week] strong").inner_text() == "1"
    assert (
        page.locator("[data-testid=next-tasks] tbody tr").first.inner_text().find("钟过期一") >= 0
    )
    overdue.click()
    page.wait_for_load_state("networkidle")
    assert "共 2 个任务" in page.locator(".heading").inner_text()
    rows = page.locator("table.table tbody tr").all_inner_texts()
    assert len(rows) == 2 and "钟过期一" in rows[0] and "钟过期二" in rows[1]


def test_a_supervisor_follows_a_township_and_a_caseworker_from_home(page, live_server, demo):
    case_due("钟过期", -3, owner=demo["cw_zijin"])
    case_due("黄无人", -6)
    case_due("李龙窝", -2, place="紫金县/龙窝镇/石坑村")
    log_in(page, live_server, "sup_zijin")
    assert page.locator("[data-testid=tile-overdue] strong").inner_text() == "3"
    assert page.locator("[data-testid=tile-unclaimed] strong").inner_text() == "2"

    page.locator("[data-testid=overdue-by-township] tr", has_text="紫城镇").locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "共 2 个任务" in page.locator(".heading").inner_text()
    page.go_back()
    page.locator("[data-testid=overdue-by-owner] tr", has_text="无人").locator("a").click()
    page.wait_for_load_state("networkidle")
    rows = page.locator("table.table tbody tr").all_inner_texts()
    assert sorted(name for name in ("黄无人", "李龙窝") if any(name in row for row in rows)) == [
        "李龙窝", "黄无人"
    ] and len(rows) == 2  # fmt: skip
