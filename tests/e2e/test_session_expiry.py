"""A survey being typed when the session ends (idle limit, here a few seconds): the form says so
instead of "Draft saved", and after logging in again what was typed comes back."""

import datetime

import pytest

from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services
from workflows.models import CaseTask

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_survey_typed_as_the_session_ends_is_not_lost(page, live_server, demo, settings):
    settings.CASEWORK_SESSION_IDLE = datetime.timedelta(seconds=6)
    case = services.case_intake(
        id_number=new_id_number(), name="钟过期", region=region("紫金县/紫城镇/新联村"),
        actor=None, owner=demo["cw_zijin"],
    )  # fmt: skip
    survey = CaseTask.objects.get(case=case, kind="survey")
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    log_in(page, live_server, "cw_zijin")
    page.goto(f"{live_server.url}/tasks/{survey.pk}/")
    note = page.locator("[data-draft-status]")
    field = page.locator("form[data-survey] input[name=school_major]")
    field.fill("计算机")
    page.locator("[data-draft-status]", has_text="Draft saved").wait_for()
    assert note.inner_text().startswith("Draft saved")
    page.wait_for_timeout(7_000)  # idle past the limit
    field.fill("计算机应用技术")
    page.locator("[data-draft-status]", has_text="session").wait_for()
    assert note.inner_text().startswith("Your session has ended")
    page.goto(f"{live_server.url}/tasks/{survey.pk}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "cw_zijin")
    page.fill("#id_password", "casework-demo")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"**/tasks/{survey.pk}/")
    assert page.locator("input[name=school_major]").input_value() == "计算机应用技术"
