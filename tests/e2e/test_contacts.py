"""The contact table in a browser: 紫金县's supervisor names the liaison, a typo in the mobile
number is pointed out, and the city reads the saved row and downloads the workbook."""

import pytest
from openpyxl import load_workbook

from tests.e2e.conftest import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_supervisor_names_the_liaison_and_the_city_reads_it(page, live_server, demo, browser):
    log_in(page, live_server, "sup_zijin")
    page.goto(f"{live_server.url}/contacts/")
    page.click("[data-testid^=edit-]")
    page.fill("#id_liaison-name", "陈斌斌")
    page.fill("#id_liaison-post", "就业股股长")
    page.fill("#id_liaison-office_phone", "0762-7321234")
    page.fill("#id_liaison-mobile", "1381234567")  # one digit short
    page.fill("#id_liaison-email", "liaison@zijin.example.cn")
    page.click("[data-testid=save]")
    assert "以1开头的11位手机号码" in page.inner_text("[data-testid=role-liaison]")
    page.fill("#id_liaison-mobile", "13812345678")
    page.click("[data-testid=save]")
    assert "已保存" in page.inner_text("body")
    assert "138****5678" in page.inner_text("[data-testid=changes]")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    city = context.new_page()
    log_in(city, live_server, "city")
    city.goto(f"{live_server.url}/contacts/")
    row = city.inner_text("[data-county=紫金县] >> nth=1")
    assert "陈斌斌" in row and "13812345678" in row and "0762-7321234" in row
    with city.expect_download() as download:
        city.click("[data-testid=contacts-export]")
    with open(download.value.path(), "rb") as workbook:
        sheet = load_workbook(workbook).active
    assert sheet["A1"].value == "河源市就业技能精准扶贫组织化程度工作联系表"
    assert sheet["I3"].value == "联络员" and sheet["I6"].value == "陈斌斌"
    context.close()
