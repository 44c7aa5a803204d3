"""sup_zijin reads an import's warnings and the courses in Chinese, switches to English and
reads the same in English: no code, no field name, no Chinese wording of ours."""

import datetime

import pytest
from django.utils import timezone

from casework.models import Course, Region
from tests.e2e.conftest import log_in
from tests.rosters import person, write_xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_import_and_the_courses_read_in_each_language(page, live_server, demo, tmp_path):
    today = timezone.localdate()
    Course.objects.create(
        county=Region.objects.get(name="紫金县", level="county"), name="家政服务员培训班",
        kind="skill", trade="housekeeping", provider="紫金县职业技术学校",
        starts_on=today + datetime.timedelta(days=7), ends_on=today + datetime.timedelta(days=27),
        created_by=demo["sup_zijin"],
    )  # fmt: skip
    rows = [person(1, 文化程度="大专以上"), person(2, 身份证号码="441621197001011230")]
    path = write_xlsx(tmp_path / "紫金县名单.xlsx", rows)
    log_in(page, live_server, "sup_zijin")
    page.click("nav.mainnav >> text=导入名单")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("[data-testid=confirm]")
    text = page.locator("main").inner_text()
    assert "无法识别的文化程度已忽略：大专以上" in text
    assert "身份证号码校验位错误。" in text
    assert "education" not in text and "id_checksum" not in text

    page.click("[data-testid=lang-en]")
    page.wait_for_selector("text=Warnings (rows kept)")
    text = page.locator("main").inner_text()
    assert "Unknown education ignored: 大专以上" in text
    assert "The ID number's check character is wrong." in text

    page.goto(f"{live_server.url}/programmes/courses/")
    row = page.locator("tr", has_text="家政服务员培训班").inner_text()
    assert "Housekeeping" in row and "housekeeping" not in row
    page.click("[data-testid=lang-zh-hans]")
    page.wait_for_selector("text=培训班")
    row = page.locator("tr", has_text="家政服务员培训班").inner_text()
    assert "家政服务员" in row.replace("家政服务员培训班", "") and "housekeeping" not in row
