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
