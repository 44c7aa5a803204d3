"""sup_zijin reassigns tasks: one is refused because the new caseworker does not cover its
township, and the page says so with a receipt link; moving a whole caseload asks first."""

import pytest

from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services
from workflows.models import CaseTask

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def held(name, place, owner) -> CaseTask:
    case = services.case_intake(id_number=new_id_number(), name=name, region=region(place),
                                actor=None)  # fmt: skip
    case_task = CaseTask.objects.get(case=case, kind="survey")
    services.task_claim(case_task=case_task, actor=owner)
    return case_task


def owner_of(case_task):
    return CaseTask.objects.get(pk=case_task.pk).task.owner.username


def test_a_refused_task_is_shown_on_the_page_with_the_receipt_link(page, live_server, demo):
    zhong = held("钟移交", "紫金县/紫城镇/新联村", demo["cw_zijin"])
    qiu = held("邱龙窝", "紫金县/龙窝镇/石坑村", demo["cw_zijin3"])
    held("钟留下", "紫金县/紫城镇/新联村", demo["cw_zijin"])
    log_in(page, live_server, "sup_zijin")
    page.goto(f"{live_server.url}/tasks/reassign/")
    form = page.locator("form[data-testid=reassign-form]")
    form.locator("tr:has-text('钟移交') input[name=task]").check()
    form.locator("tr:has-text('邱龙窝') input[name=task]").check()
    form.locator("select[name=to_user]").select_option(label="黄秀英（紫城镇）")
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "重新分配结果"
    outcome = page.locator("[data-testid=outcome]").inner_text()
    assert "已将 1 个任务移交给 黄秀英。" in outcome and "1 个任务未移交。" in outcome
    refused = page.locator("table[data-testid=refused] tbody tr")
    assert refused.count() == 1
    assert (
        "邱龙窝" in refused.inner_text() and "黄秀英 不负责该个案所在区域。" in refused.inner_text()
    )
    assert "钟移交" in page.locator("table[data-testid=moved]").inner_text()
    assert (owner_of(zhong), owner_of(qiu)) == ("cw_zijin2", "cw_zijin3")

    with page.expect_download() as download:
        page.click("a[data-testid=receipt]")
    assert download.value.suggested_filename.startswith("reassigned-")
    assert download.value.suggested_filename.endswith(".xlsx")
    page.reload()  # the result stays on its page after the download
    assert "1 个任务未移交。" in page.locator("[data-testid=outcome]").inner_text()


def test_moving_a_whole_caseload_asks_for_confirmation(page, live_server, demo):
    tasks = [held(f"钟工作{n}", "紫金县/紫城镇/新联村", demo["cw_zijin"]) for n in range(2)]
    log_in(page, live_server, "sup_zijin")
    page.goto(f"{live_server.url}/tasks/reassign/")
    page.locator("form.filters select[name=holder]").select_option(label="钟伟明")
    page.wait_for_load_state("networkidle")
    assert page.locator("form[data-testid=reassign-form] tbody tr").count() == 2
    form = page.locator("form[data-testid=reassign-form]")
    form.locator("select[name=to_user]").select_option(label="黄秀英（紫城镇）")
    form.locator("input[name=scope][value=all]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    assert page.locator("h1").inner_text() == "移交整个工作量？"
    confirm = page.locator("form[data-testid=confirm]")
    assert "2 个在办任务将移交给 黄秀英。" in confirm.inner_text()
    assert "钟伟明 的在办任务（共 2 个）将全部移交。" in confirm.inner_text()
    assert [owner_of(task) for task in tasks] == ["cw_zijin", "cw_zijin"]  # not yet

    confirm.locator("button", has_text="确认移交 2 个任务").click()
    page.wait_for_load_state("networkidle")
    assert "已将 2 个任务移交给 黄秀英。" in page.locator("[data-testid=outcome]").inner_text()
    assert [owner_of(task) for task in tasks] == ["cw_zijin2", "cw_zijin2"]
