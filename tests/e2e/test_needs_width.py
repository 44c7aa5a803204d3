"""A city supervisor reads the needs list on a 1366-px screen, in English: every trade wished
for, the longest answers, and still no sideways scrolling of the page or of a table."""

import pytest
from django.utils import timezone

from casework import recording
from casework.survey import Trade
from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services
from workflows.models import CaseTask

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONGEST = {
    "reasons": ["skills"], "wished_location": "in_county",
    "wished_form": "employee", "wage_expectation": "3000-4000", "training_wish": "yes",
    "training_kind": "skill", "startup_wish": "yes", "startup_project_wish": "开办农家乐餐馆",
}  # fmt: skip


def test_the_needs_list_fits_a_1366_px_screen(browser, live_server, demo):
    worker = demo["cw_zijin"]
    for n, trade in enumerate(value for value in Trade.values if value != Trade.OTHER):
        case = services.case_intake(id_number=new_id_number(), name=f"钟需求{n}",
                                    region=region("紫金县/紫城镇/新联村"), actor=None)  # fmt: skip
        survey = CaseTask.objects.get(case=case, kind="survey")
        services.task_execute(case_task=survey, actor=worker, perform=lambda case, trade=trade: (
            recording.survey_submit(case=case, actor=worker, surveyed_on=timezone.localdate(),
                                    employment_status="farming",
                                    answers=dict(LONGEST, training_trade=trade))))  # fmt: skip
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    log_in(page, live_server, "sup_zijin")
    context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    page.goto(f"{live_server.url}/needs/")
    assert page.locator("h1").inner_text().startswith("Needs list")
    assert page.locator("[data-testid=grand-total]").inner_text() == "15"
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, ...[...document.querySelectorAll('.table-wrap')]"
        ".map(wrap => wrap.scrollWidth - wrap.clientWidth)]"
    )
    assert widths == [1366, 0, 0]  # the page, then the trade matrix and the list, overflow none
    context.close()
