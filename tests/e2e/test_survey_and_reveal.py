"""A surveyor changes her mind about the employment status; a caseworker calls the laborer."""

import pytest

from casework.models import ExportLog, Survey, SurveyDraft
from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RED = "rgb(185, 28, 28)"  # --red, the error colour


def open_survey(page, live_server, demo, name, **person):
    case = services.case_intake(
        id_number=new_id_number(), name=name, region=region("紫金县/紫城镇/新联村"),
        actor=None, owner=demo["cw_zijin"], **person,
    )  # fmt: skip
    log_in(page, live_server, "cw_zijin")
    page.goto(f"{live_server.url}/tasks/inbox/")
    page.click(f"table.table tbody tr:has-text('{name}') >> text=入户调查")
    return case


def test_a_value_left_in_a_section_the_status_hides_does_not_block_the_survey(
    page, live_server, demo
):
    case = open_survey(page, live_server, demo, "钟改口")
    working = page.locator("fieldset:has(legend:has-text('已就业'))")
    # first 外出务工: the employment section shows, and a wrong (future) start date goes in
    page.check("input[name=employment_status][value=migrant]")
    assert working.is_visible()
    page.fill("input[name=work_started_on]", "2099-05-01")
    page.fill("input[name=employer_post]", "东莞宝山电子厂 普工")
    # then 在家务农 after all: the section hides, the wishes show
    page.check("input[name=employment_status][value=farming]")
    assert working.is_hidden()
    for name, value in [
        ("reasons", "skills"), ("wished_location", "in_county"), ("wished_form", "employee"),
        ("training_wish", "no"), ("startup_wish", "no"),
    ]:  # fmt: skip
        page.check(f"input[name={name}][value='{value}']")
    page.click("button:has-text('提交调查表')")
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(case.get_absolute_url())
    assert "已调查" in page.locator("h1 .stage-badge").inner_text()
    answers = Survey.objects.get(case=case).answers
    assert (answers["work_started_on"], answers["employer_post"]) == ("", "")
    assert answers["employment_status"] == "farming"


def test_the_errors_are_listed_at_the_top_and_each_links_to_its_field(page, live_server, demo):
    open_survey(page, live_server, demo, "钟出错")
    page.check("input[name=employment_status][value=migrant]")
    page.fill("input[name=work_started_on]", "2099-05-01")
    page.check("input[name=location_class][value=in_county]")
    page.fill("input[name=phone]", "762-1234")
    page.click("button:has-text('提交调查表')")
    page.wait_for_load_state("networkidle")

    summary = page.locator("[data-error-summary]")
    assert "请更正下面标出的项目" in summary.inner_text()
    links = {link.get_attribute("href"): link.inner_text() for link in summary.locator("a").all()}
    assert set(links) == {"#id_phone", "#id_work_started_on", "#id_employment_form",
                          "#id_income_band"}  # fmt: skip
    assert links["#id_phone"] == (
        "联系电话：请填写手机号码（1开头的11位数字）或带区号的固定电话，如0762-1234567。"
    )
    assert links["#id_work_started_on"] == "工作时间：日期不能晚于今天。"
    assert links["#id_income_band"].startswith("月工资收入：")
    summary.locator("a[href='#id_income_band']").click()
    assert page.url.endswith("#id_income_band")
    assert page.locator("#id_income_band").is_visible()
    # the unanswered group is marked; the answer chosen in another group is not in red
    assert "invalid" in page.locator("[data-field=income_band]").get_attribute("class")
    unanswered = page.locator("[data-field=income_band] label:has(input)").first
    chosen = page.locator("[data-field=location_class] label:has(input:checked)")
    assert unanswered.evaluate("e => getComputedStyle(e).borderTopColor") == RED
    assert chosen.evaluate("e => getComputedStyle(e).borderTopColor") != RED
    assert chosen.evaluate("e => getComputedStyle(e).color") != RED


def test_show_on_the_task_page_reveals_the_phone_and_records_it(page, live_server, demo):
    open_survey(page, live_server, demo, "钟来电", phone="13812345678")
    facts = page.locator("section:has(h2:has-text('劳动力'))")
    assert "138****5678" in facts.inner_text() and "13812345678" not in page.content()
    facts.locator("dd:has(form[data-reveal] input[value=phone]) button").click()
    # a locator, not wait_for_function: its string is eval'd in the page, which the CSP refuses
    facts.get_by_text("13812345678").wait_for()
    assert "13812345678" in facts.inner_text()
    assert facts.locator("a[href='tel:13812345678']").is_visible()  # a tap calls the laborer
    (log,) = ExportLog.objects.exclude(kind="login")  # the login is recorded too
    assert (log.actor.username, log.kind) == ("cw_zijin", "reveal_phone")
    assert "钟来电" in log.description


def test_a_draft_keeps_no_full_number_and_this_browser_forgets_it_at_logout(
    page, live_server, demo
):
    case = open_survey(page, live_server, demo, "钟草稿", phone="13812345678")
    page.check("input[name=employment_status][value=migrant]")
    page.fill("input[name=phone]", "13987654321")
    page.fill("input[name=employer_post]", "工友 441621198507150029 电话 13500001111")
    # saved on the server and in this browser at once (a locator: the CSP refuses eval'd waits)
    page.locator("[data-draft-status]:has-text(':')").wait_for()
    kept = page.evaluate(
        "() => Object.entries(localStorage).filter(([k]) => k.startsWith('survey-'))"
        ".map(([, v]) => v).join()"
    )
    for number in ("13987654321", "441621198507150029", "13500001111", "13812345678"):
        assert number not in kept
    assert "139****4321" in kept and "441621********0029" in kept and "135****1111" in kept
    draft = str(SurveyDraft.objects.get(case=case).data)
    assert "441621********0029" in draft and "441621198507150029" not in draft
    page.click("form[data-logout] button")
    page.wait_for_load_state("networkidle")
    assert (
        page.evaluate("() => Object.keys(localStorage).filter((k) => k.startsWith('survey-'))")
        == []
    )
