"""cw_zijin claims a survey task from the queue, completes it, and the case moves on."""

import pytest

from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_claim_a_survey_from_the_queue_and_complete_it(page, live_server, demo):
    case = services.case_intake(
        id_number=new_id_number(), name="钟队列", region=region("紫金县/紫城镇/新联村"), actor=None
    )
    log_in(page, live_server, "cw_zijin")
    page.click("nav.mainnav >> text=待领任务")
    row = page.locator("table.table tbody tr", has_text="钟队列")
    row.locator("button", has_text="领取").click()
    page.wait_for_load_state("networkidle")
    assert "任务已由你领取" in page.content()

    page.goto(f"{live_server.url}/tasks/inbox/")
    page.click("table.table tbody tr:has-text('钟队列') >> text=入户调查")
    page.check("input[name=employment_status][value=farming]")
    page.check("input[name=reasons][value=skills]")
    page.check("input[name=wished_location][value=in_county]")
    page.check("input[name=wished_form][value=employee]")
    page.check("input[name=training_wish][value=no]")
    page.check("input[name=startup_wish][value=no]")
    page.fill("textarea[name=note]", "希望参加技能培训")
    page.click("button:has-text('提交调查表')")
    page.wait_for_load_state("networkidle")

    assert page.url.endswith(case.get_absolute_url())
    assert "已调查" in page.locator("h1 .stage-badge").inner_text()
    assert "就业帮扶" in page.locator("section:has(h2:has-text('在办任务'))").inner_text()
    assert "领取了任务" in page.locator("table.timeline").inner_text()


def test_a_whole_survey_puts_the_laborer_on_the_needs_list_under_the_trade(page, live_server, demo):
    case = services.case_intake(
        id_number=new_id_number(), name="钟想学", region=region("紫金县/紫城镇/新联村"),
        actor=None, owner=demo["cw_zijin"],
    )  # fmt: skip
    log_in(page, live_server, "cw_zijin")
    page.goto(f"{live_server.url}/tasks/inbox/")
    page.click("table.table tbody tr:has-text('钟想学') >> text=入户调查")
    # the employment section hides until the status says the laborer works
    page.check("input[name=employment_status][value=farming]")
    assert page.locator("fieldset:has(legend:has-text('已就业'))").is_hidden()
    for name, value in [
        ("household_type", "agricultural"), ("education", "junior"), ("health", "healthy"),
        ("marital_status", "married"), ("political_status", "masses"),
        ("training_received", "none"), ("certificates", "none"), ("reasons", "skills"),
        ("reasons", "information"), ("wished_location", "in_county"),
        ("wished_form", "employee"), ("employer_type", "private"),
        ("wage_expectation", "3000-4000"), ("startup_wish", "no"), ("training_wish", "yes"),
        ("training_kind", "skill"), ("training_trade", "cook"),
    ]:  # fmt: skip
        page.check(f"input[name={name}][value='{value}']")
    page.fill("input[name=phone]", "13812345678")
    page.fill("input[name=other_requirements]", "离家近")
    page.click("button:has-text('提交调查表')")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(case.get_absolute_url())

    page.click("nav.mainnav >> text=需求清单")
    totals = page.locator("[data-testid=trade-totals]").inner_text()
    assert "中式烹调师" in totals
    row = page.locator("table.table tbody tr", has_text="钟想学")
    assert "中式烹调师" in row.inner_text()
