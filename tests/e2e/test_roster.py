"""sup_zijin uploads a roster, reads the preview, confirms, and finds the new cases listed."""

import pytest

from tests.e2e.conftest import log_in
from tests.rosters import person, write_xlsx

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_preview_confirm_and_see_the_cases(page, live_server, demo, tmp_path):
    rows = [person(n) for n in range(1, 7)] + [person(7, 身份证号码="441621197001011230")]
    path = write_xlsx(tmp_path / "紫金县贫困劳动力名单.xlsx", rows)
    log_in(page, live_server, "sup_zijin")
    page.click("nav.mainnav >> text=导入名单")
    page.set_input_files("input[type=file]", str(path))
    page.click("button:has-text('上传并检查')")
    page.wait_for_selector("[data-testid=confirm]")
    assert page.locator("[data-testid=created]").inner_text() == "6"
    assert page.locator("[data-testid=rejected]").inner_text() == "1"
    # the refused row's reason in words, not its code
    assert "身份证号码校验位错误。" in page.content() and "id_checksum" not in page.content()

    page.click("[data-testid=confirm]")
    page.wait_for_selector("text=查看个案")
    page.click("text=查看个案")
    body = page.locator("table.table tbody").inner_text()
    for n in range(1, 7):
        assert person(n)["姓名"] in body
