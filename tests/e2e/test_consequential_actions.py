"""A supervisor's consequential actions ask first: two left-list candidates ticked, listed on a
confirmation page, then both leave the list; an ID correction shows both cases before they
merge."""

import pytest

from casework.models import Case, LeftListCandidate, RosterImport, User
from tests.e2e.conftest import log_in
from tests.factories import CaseFactory, region
from workflows import services as workflow

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_two_ticked_candidates_are_confirmed_after_their_list(page, live_server, demo):
    zicheng = region("紫金县/紫城镇/新联村")
    supervisor = User.objects.get(username="sup_zijin")
    record = RosterImport.objects.create(
        actor=supervisor, file_name="紫金县名单.xlsx", sha256="0" * 64, county=zicheng.county,
        complete=True, status="done",
    )  # fmt: skip
    for name in ("钟秀英", "黄志明", "刘春梅"):
        case = CaseFactory(region=zicheng, name=name)
        workflow.case_process_start(case=case)
        LeftListCandidate.objects.create(roster_import=record, case=case)

    log_in(page, live_server, "sup_zijin")
    page.goto(f"{live_server.url}/cases/left-list/")
    page.check("input[name=candidate][aria-label=钟秀英]")
    page.check("input[name=candidate][aria-label=黄志明]")
    page.click("[data-testid=batch-confirm]")

    page.wait_for_selector("[data-testid=final-confirm]")
    assert "2 名劳动力将被记录为已退出建档立卡名单" in page.inner_text(
        "[data-testid=confirm-count]"
    )
    chosen = page.inner_text("[data-testid=chosen]")
    assert "钟秀英" in chosen and "黄志明" in chosen and "刘春梅" not in chosen
    assert "********" in chosen  # masked numbers
    assert set(LeftListCandidate.objects.values_list("status", flat=True)) == {"pending"}

    page.click("[data-testid=final-confirm]")
    page.wait_for_selector("text=已确认 2 人退出名单，其个案已结案。")
    assert page.locator("input[name=candidate]").count() == 1  # only 刘春梅 is left to decide
    decided = dict(LeftListCandidate.objects.values_list("case__person__name", "status"))
    assert decided == {"钟秀英": "confirmed", "黄志明": "confirmed", "刘春梅": "pending"}
    page.screenshot(path="/tmp/actions-left-list-done.png", full_page=True)


def test_an_id_correction_shows_both_cases_before_merging(page, live_server, demo):
    wrong = CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟秀英",
                        id_number="441621198507150029")  # fmt: skip
    right = CaseFactory(region=region("紫金县/龙窝镇/石坑村"), name="钟秀英",
                        id_number="441621199002280519")  # fmt: skip
    log_in(page, live_server, "sup_zijin")
    page.goto(f"{live_server.url}{wrong.get_absolute_url()}")
    page.click("summary:has-text('更正身份证号码')")
    page.fill("#id_new_id_number", "441621199002280519")
    page.click("form[action$='correct-id/'] button[type=submit]")

    page.wait_for_selector("[data-testid=merge-preview]")
    preview = page.inner_text("[data-testid=merge-preview]")
    assert "441621********0029" in preview and "441621********0519" in preview
    assert "紫城镇" in preview and "龙窝镇" in preview
    assert "保留" in page.inner_text("[data-testid=survivor-fate]")
    assert "441621199002280519" not in page.content()
    assert Case.objects.get(pk=wrong.pk).merged_into_id is None
    page.screenshot(path="/tmp/actions-merge-preview.png", full_page=True)

    page.click("[data-testid=merge-confirm]")
    page.wait_for_url(f"**{right.get_absolute_url()}")
    assert Case.objects.get(pk=wrong.pk).merged_into_id == right.pk
