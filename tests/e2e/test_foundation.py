"""Each demo user logs in, opens the case list, and switches the language."""

import pytest

from tests.e2e.conftest import log_in
from tests.factories import CaseFactory, region

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_every_demo_login_works_and_sees_only_its_cases(page, live_server, demo):
    CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟紫城")
    CaseFactory(region=region("龙川县/老隆镇/水口村"), name="刘老隆")
    expected = {
        "admin": {"钟紫城", "刘老隆"},
        "city": {"钟紫城", "刘老隆"},
        "sup_zijin": {"钟紫城"},
        "cw_zijin": {"钟紫城"},
        "cw_zijin2": {"钟紫城"},
        "cw_longchuan": {"刘老隆"},
    }
    for username, names in expected.items():
        page.context.clear_cookies()
        log_in(page, live_server, username)
        assert page.url.rstrip("/") == live_server.url, f"{username} could not log in"
        page.goto(f"{live_server.url}/cases/")
        shown = {"钟紫城", "刘老隆"} & set(page.locator("table.table tbody").inner_text().split())
        assert shown == names, username


def test_a_wrong_password_is_refused_in_chinese(page, live_server, demo):
    log_in(page, live_server, "cw_zijin", password="wrong")
    assert "/accounts/login/" in page.url
    assert "请输入一个正确的用户名和密码" in page.content()


def test_chinese_by_default_and_the_english_switch(page, live_server, demo):
    CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟紫城")
    log_in(page, live_server, "cw_zijin")
    page.goto(f"{live_server.url}/cases/")
    assert page.locator("h1").inner_text() == "个案"
    assert "身份证号" in page.locator("table.table thead").inner_text()
    page.click("[data-testid=lang-en]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/cases/")
    assert page.locator("h1").inner_text() == "Cases"
    assert "ID number" in page.locator("table.table thead").inner_text()
    page.click("[data-testid=lang-zh-hans]")
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "个案"


def test_the_filter_applies_on_change_and_masks_numbers(page, live_server, demo):
    CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟紫城", phone="13812345678")
    CaseFactory(region=region("紫金县/龙窝镇/石坑村"), name="曾龙窝")
    log_in(page, live_server, "sup_zijin")
    page.goto(f"{live_server.url}/cases/")
    page.select_option("select[name=township]", label="紫城镇")
    page.wait_for_url("**township=*")
    body = page.locator("table.table tbody").inner_text()
    assert "钟紫城" in body and "曾龙窝" not in body
    assert "138****5678" in body
    page.click("text=钟紫城")
    assert page.locator("h1").inner_text().startswith("钟紫城")


def test_show_reveals_a_number_in_place_and_is_recorded(page, live_server, demo):
    from casework.models import ExportLog

    case = CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟紫城", phone="13812345678")
    log_in(page, live_server, "cw_zijin")
    page.goto(f"{live_server.url}{case.get_absolute_url()}")
    facts = page.locator("section:has(h2:has-text('劳动力信息'))")
    assert "138****5678" in facts.inner_text() and "13812345678" not in page.content()
    facts.locator("dd:has(form[data-reveal] input[value=phone]) button").click()
    # a locator, not wait_for_function: its string is eval'd in the page, which the CSP refuses
    facts.get_by_text("13812345678").wait_for()
    assert "13812345678" in facts.inner_text()
    # besides the login itself (kind "login"), the reveal is the one record
    assert ExportLog.objects.exclude(kind="login").get().kind == "reveal_phone"


def test_a_whole_id_number_in_the_search_box_is_looked_up_by_post(page, live_server, demo):
    case = CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟紫城")
    number = case.person.id_number
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    log_in(page, live_server, "cw_zijin")
    page.goto(f"{live_server.url}/cases/")
    page.fill("input[name=q]", number)
    page.press("input[name=q]", "Enter")
    page.wait_for_url(f"**{case.get_absolute_url()}")
    assert not [url for url in requests if number in url]
