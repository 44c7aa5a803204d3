"""Refusals and errors answer in the site's own layout and language, and log one line."""

import logging

import pytest
from django.template import loader
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from casework.models import Course, Enrolment, Reconciliation
from tests.factories import CaseFactory, region
from workflows import services
from workflows.models import CaseTask


def test_a_refused_page_is_in_chinese_with_the_menu_and_logs_one_line(login, caseworker, caplog):
    with caplog.at_level(logging.INFO):
        response = login(caseworker).get(reverse("casework:import_upload"))
    page = response.content.decode()
    assert response.status_code == 403
    assert "您的角色无权进行此操作" in page
    assert "就业扶贫个案管理系统" in page and ">我的任务</a>" in page  # title and menu
    assert "Access Forbidden" not in page  # not viewflow's lock screen
    refusals = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert [record.getMessage() for record in refusals] == [
        f"403 user={caseworker.pk} path=/cases/import/"
    ]
    assert refusals[0].exc_info is None  # no traceback


def test_a_missing_page_is_in_chinese_with_the_menu(login, caseworker):
    response = login(caseworker).get("/cases/987654/")
    page = response.content.decode()
    assert response.status_code == 404
    assert "找不到该页面或记录" in page and ">我的任务</a>" in page
    assert "987654" not in page  # nothing of the request: a foreign id looks like a missing one


def test_the_error_page_renders_without_a_request_or_the_database():
    # no db fixture: pytest-django fails any query made here. The language is the one the
    # middleware activated before the view failed.
    with translation.override("zh-hans"):
        page = loader.get_template("500.html").render()
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "就业扶贫个案管理系统" in page and "系统出现错误" in page
    assert "系统出现错误" in response.content.decode()


def test_an_expired_form_says_so_in_chinese(caseworker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    response = client.post(reverse("workflows:reassign"), {"task": "1"})
    assert response.status_code == 403
    assert "表单已过期" in response.content.decode()


def test_the_favicon_is_served_at_the_sites_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.fixture
def waiting_survey(zicheng):
    case = CaseFactory(region=zicheng, name="钟秀英")
    services.case_process_start(case=case)
    return CaseTask.objects.get(case=case)


def test_a_tampered_task_list_answers_400_and_moves_nothing(
    login, supervisor, caseworker, waiting_survey, caplog
):
    with caplog.at_level(logging.INFO):
        response = login(supervisor).post(
            reverse("workflows:reassign"),
            {"to_user": caseworker.pk, "task": [str(waiting_survey.pk), "1 OR 1=1"]},
        )
    assert response.status_code == 400
    assert "表单提交的内容不是记录编号，因此未作任何更改" in response.content.decode()
    waiting_survey.task.refresh_from_db()
    assert waiting_survey.task.owner_id is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [f"400 user={supervisor.pk} path=/tasks/reassign/"]


def test_a_tampered_reconciliation_answers_400(login, supervisor, zicheng):
    round_ = Reconciliation.objects.create(
        county=zicheng.county, held_on="2026-11-03", recorded_by=supervisor
    )
    response = login(supervisor).post(
        reverse("programmes:reconciliation", args=[round_.pk]),
        {"on": "2026-11-03", "case": ["abc"]},
    )
    assert response.status_code == 400
    assert "请刷新页面后重试" in response.content.decode()


def test_a_tampered_enrolment_list_answers_400_and_enrols_nobody(login, supervisor, zicheng):
    course = Course.objects.create(
        county=zicheng.county, name="紫金电工班", kind="skill", trade="electrician",
        provider="紫金技校", starts_on="2026-11-01", ends_on="2026-11-30", created_by=supervisor,
    )  # fmt: skip
    CaseFactory(region=zicheng, name="钟秀英")
    response = login(supervisor).post(
        reverse("programmes:detail", args=["courses", course.pk]),
        {"on": "2026-11-02", "case": ["x"]},
    )
    assert response.status_code == 400
    assert not Enrolment.objects.exists()


def test_a_tampered_colleague_answers_400(login, supervisor, waiting_survey):
    response = login(supervisor).post(
        reverse("workflows:reassign"), {"to_user": "2 or 1", "task": [waiting_survey.pk]}
    )
    assert response.status_code == 400
    waiting_survey.task.refresh_from_db()
    assert waiting_survey.task.owner_id is None


@pytest.mark.parametrize("tampered", ["²", "①", "３１", "١٢", "9223372036854775808"])
def test_digits_that_are_not_plain_record_numbers_answer_400(
    login, supervisor, caseworker, waiting_survey, tampered
):
    response = login(supervisor).post(
        reverse("workflows:reassign"),
        {"to_user": caseworker.pk, "task": [str(waiting_survey.pk), tampered]},
    )
    assert response.status_code == 400
    waiting_survey.task.refresh_from_db()
    assert waiting_survey.task.owner_id is None


def test_a_record_number_too_long_for_the_database_is_not_found(login, caseworker):
    response = login(caseworker).get("/tasks/9223372036854775808/")
    assert response.status_code == 404
    assert "找不到该页面或记录" in response.content.decode()


def test_a_task_of_another_county_among_the_chosen_answers_404_and_moves_nothing(
    login, supervisor, caseworker, waiting_survey
):
    foreign = CaseFactory(region=region("龙川县/老隆镇/水口村"), name="黄别县")
    services.case_process_start(case=foreign)
    elsewhere = CaseTask.objects.get(case=foreign, kind="survey")
    response = login(supervisor).post(
        reverse("workflows:reassign"),
        {"to_user": caseworker.pk, "task": [waiting_survey.pk, elsewhere.pk], "confirmed": "1"},
    )
    assert response.status_code == 404
    waiting_survey.task.refresh_from_db()
    assert waiting_survey.task.owner_id is None
