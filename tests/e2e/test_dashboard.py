"""A county supervisor's dashboard at 1366 and 768 px: the charts fit the page, and a bar of
the stage funnel opens the list of the cases it counts."""

import pytest

from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 768])
def test_the_dashboard_fits_the_screen_and_the_funnel_opens_a_stage(
    browser, live_server, demo, width
):
    for n in range(3):
        services.case_intake(id_number=new_id_number(), name=f"钟看板{n}",
                             region=region("紫金县/紫城镇/新联村"), actor=None)  # fmt: skip
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "sup_zijin")
    charts = page.locator("[data-testid=dashboard] svg.chart")
    assert charts.count() == 4  # targets, funnel, overdue by week, the month's figures
    assert page.evaluate("document.documentElement.scrollWidth") == width
    for n in range(4):
        box = charts.nth(n).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
    page.locator("[data-testid=chart-funnel] a").first.click()  # 已识别 3
    page.wait_for_load_state("networkidle")
    assert "stage=identified" in page.url
    assert len(page.locator("table.table tbody tr").all()) == 3
    context.close()
