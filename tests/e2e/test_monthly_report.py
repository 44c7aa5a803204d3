"""The monthly report in a browser: 紫金县's supervisor submits last month's report, the city
returns it with a reason, the supervisor submits it again, the city accepts it and downloads
the workbook in the layout of 附件1."""

import datetime

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from casework import recording
from casework.models import User
from tests.e2e.conftest import log_in
from tests.factories import CaseFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def last_month() -> tuple[str, datetime.date]:
    first = timezone.localdate().replace(day=1)
    day = first - datetime.timedelta(days=20)
    return f"{day:%Y-%m}", day


def test_submit_return_resubmit_accept_download(page, live_server, demo, browser):
    month, in_month = last_month()
    case = CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟上月",
                       identified_on=in_month - datetime.timedelta(days=3))  # fmt: skip
    recording.survey_submit(case=case, actor=User.objects.get(username="cw_zijin"),
                            surveyed_on=in_month, employment_status="farming")  # fmt: skip
    zijin = region("紫金县")

    log_in(page, live_server, "sup_zijin")
    page.goto(f"{live_server.url}/reports/monthly/")
    page.click(f"[data-county='{zijin.code}'] a >> nth=0")
    assert page.inner_text("[data-figure='1b-month_only']") == "1"
    page.fill("#id_remarks", "本月开展入户调查")
    page.fill("#id_no_reconciliation_reason", "扶贫办本月未安排核对")
    page.click("[data-testid=submit-report] button[type=submit]")
    assert "已报送" in page.inner_text("[data-testid=report-status]")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    city = context.new_page()
    log_in(city, live_server, "city")
    city.goto(f"{live_server.url}/reports/monthly/{zijin.pk}/{month}/")
    city.fill("#id_reason", "请补充政策宣传情况")
    city.click("[data-testid=review-report] button[name=return]")
    assert "已退回" in city.inner_text("[data-testid=report-status]")

    page.reload()
    assert "请补充政策宣传情况" in page.inner_text("[data-testid=submissions]")
    page.fill("#id_remarks", "已补充政策宣传情况")
    page.fill("#id_no_reconciliation_reason", "扶贫办本月未安排核对")
    page.click("[data-testid=submit-report] button[type=submit]")
    assert "已报送" in page.inner_text("[data-testid=report-status]")

    city.reload()
    city.click("[data-testid=review-report] button[name=accept]")
    assert "已接收" in city.inner_text("[data-testid=report-status]")
    assert len(city.query_selector_all("[data-testid=submissions] tbody tr")) == 2
    with city.expect_download() as download:
        city.click("[data-testid=report-xlsx]")
    with open(download.value.path(), "rb") as workbook:
        sheet = load_workbook(workbook).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "河源市就业技能精准扶贫组织化程度工作月报表" in cells
    assert any("紫金县" in str(cell) for cell in cells)
    assert "已补充政策宣传情况" in " ".join(str(cell) for cell in cells)
    context.close()
