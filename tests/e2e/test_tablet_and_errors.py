"""On a 768-px tablet the menu folds into one button, lists scroll inside their card and every
tap target is at least 44 × 44 px; refusals and missing pages keep the site's menu, in Chinese."""

import pytest

from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NO_PAGE_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def tablet(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 768, "height": 1024})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def assert_tappable(locator):
    box = locator.bounding_box()
    assert box is not None, locator
    assert box["width"] >= 44 and box["height"] >= 44, (locator, box)


def test_a_caseworker_works_on_a_768_px_tablet(tablet, live_server, demo):
    village = region("紫金县/紫城镇/新联村")
    for i in range(30):  # more than one page of cases; half in my inbox, half in the queue
        services.case_intake(
            id_number=new_id_number(), name=f"钟平板{i:02d}", region=village, actor=None,
            owner=demo["cw_zijin"] if i % 2 else None,
        )  # fmt: skip
    page = tablet
    log_in(page, live_server, "cw_zijin")

    toggle = page.locator("button[data-menu-toggle]")
    assert_tappable(toggle)
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.locator("nav.mainnav").is_hidden()
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert_tappable(page.locator("nav.mainnav a", has_text="个案"))
    page.locator("nav.mainnav a", has_text="个案").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/cases/")
    assert page.evaluate(NO_PAGE_SCROLL), "the case list scrolls the whole page sideways"
    assert_tappable(page.locator("ul.pagination a").first)
    assert_tappable(page.locator("form.filters button[type=submit]").first)

    for path in ("/tasks/inbox/", "/tasks/queue/"):
        page.goto(f"{live_server.url}{path}")
        assert page.evaluate(NO_PAGE_SCROLL), f"{path} scrolls the whole page sideways"
    claim = page.locator("table.table tbody tr", has_text="钟平板00").locator("button")
    assert_tappable(claim)
    claim.click()
    page.wait_for_load_state("networkidle")
    assert "任务已由你领取" in page.content()

    page.goto(f"{live_server.url}/tasks/inbox/")
    page.click("table.table tbody tr:has-text('钟平板01') >> text=入户调查")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(NO_PAGE_SCROLL), "the survey form scrolls the whole page sideways"
    assert_tappable(page.locator("button[type=submit]", has_text="提交调查表"))
    assert_tappable(page.get_by_test_id("bell"))

    page.goto(f"{live_server.url}/cases/?q=钟平板01")
    page.click("table.table tbody tr:has-text('钟平板01') >> a >> nth=0")
    page.wait_for_load_state("networkidle")
    assert page.evaluate(NO_PAGE_SCROLL), "the case page scrolls the whole page sideways"
    assert_tappable(page.locator("details > summary").first)  # the case's actions open here


def test_refused_and_missing_pages_keep_the_menu_in_chinese(page, live_server, demo):
    log_in(page, live_server, "cw_zijin")
    response = page.goto(f"{live_server.url}/cases/import/")
    assert response.status == 403
    assert page.locator("a.brand").inner_text() == "就业扶贫个案管理系统"
    assert page.locator("nav.mainnav a", has_text="我的任务").is_visible()
    assert page.locator("h1").inner_text() == "您的角色无权进行此操作"
    page.click("text=返回首页")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{live_server.url}/"

    response = page.goto(f"{live_server.url}/cases/999999/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "找不到该页面或记录"
    assert page.locator("nav.mainnav a", has_text="个案").is_visible()

    icon = page.request.get(f"{live_server.url}/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"].startswith("image/")
    linked = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(f"{live_server.url}{linked}").status == 200
