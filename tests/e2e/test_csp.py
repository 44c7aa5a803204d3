"""The Content-Security-Policy allows no inline script: the main pages, as each role, run with no
violation in the browser's console, and what used to be inline (the early `js` class, the month
and year pickers) still works."""

import re

import pytest

from tests.e2e.conftest import log_in
from tests.factories import new_id_number, region
from workflows import services
from workflows.models import CaseTask

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/cases/", "/tasks/inbox/", "/tasks/queue/", "/needs/", "/programmes/",
         "/contacts/", "/notifications/", "/reports/monthly/", "/supervision/",
         "/supervision/year/", "/accounts/password/"]  # fmt: skip
ADMIN_PAGES = ["/admin/", "/admin/casework/user/", "/admin/casework/user/add/",
               "/admin/casework/exportlog/", "/admin/axes/accessattempt/"]  # fmt: skip


def violations(page, paths: list[str], base: str) -> list[tuple[str, str]]:
    found = []
    page.on("console", lambda message: found.append((page.url, message.text)))
    for path in paths:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
        if not path.startswith("/admin/"):  # the site's pages: early.js ran
            assert page.evaluate("document.documentElement.classList.contains('js')"), path
    return [item for item in found if "Content Security Policy" in item[1]]


@pytest.mark.parametrize("username", ["cw_zijin", "sup_zijin", "city", "admin"])
def test_the_main_pages_run_without_a_policy_violation(page, live_server, demo, username):
    village = region("紫金县/紫城镇/新联村")
    case = services.case_intake(
        id_number=new_id_number(), name="钟策略", region=village, actor=None,
        owner=demo["cw_zijin"],
    )  # fmt: skip
    log_in(page, live_server, username)
    paths = [*PAGES, f"/cases/{case.pk}/"]
    if username == "cw_zijin":
        survey = CaseTask.objects.get(case=case, kind="survey")
        paths.append(f"/tasks/{survey.pk}/")  # the survey form
    if username == "admin":
        paths += ADMIN_PAGES + [f"/admin/casework/user/{demo['cw_zijin'].pk}/change/"]
    assert violations(page, paths, live_server.url) == []
    if username == "cw_zijin":  # the last page visited was the survey form, with its autosave
        assert page.locator("form[data-survey][data-draft-url]").count() == 1


def test_the_month_picker_still_moves_to_the_month_chosen(page, live_server, demo):
    log_in(page, live_server, "city")
    page.goto(f"{live_server.url}/reports/monthly/")
    options = page.eval_on_selector_all("select[name=month] option", "o => o.map(e => e.value)")
    assert len(options) > 1
    with page.expect_navigation():
        page.select_option("select[name=month]", options[-1])
    assert re.search(rf"month={options[-1]}$", page.url)
