"""Closing, transfer, undo, hand-over and reassignment, through the pages."""

import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import Case, CaseEvent, Region, Stage
from tests.factories import region
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import selectors
from workflows.models import CaseTask

TODAY = timezone.localdate


def survey(client, case, status="farming"):
    response = client.post(task_url(open_task(case, "survey")), survey_form(case, status))
    assert response.status_code == 302, response.context["form"].errors


def test_closing_asked_by_the_caseworker_and_approved(login, caseworker, supervisor, started_case):
    client = login(caseworker)
    survey(client, started_case)
    client.post(reverse("workflows:case_close", args=[started_case.pk]),
                {"reason": "moved_away", "note": "全家迁往深圳"})  # fmt: skip
    approval = open_task(started_case, "closing_approval")
    assert approval.task.owner is None
    # the caseworker cannot approve
    assert login(caseworker).post(task_url(approval), {"decision": "approve"}).status_code == 403
    assert Case.objects.get(pk=started_case.pk).stage == Stage.SURVEYED

    boss = login(supervisor)
    assert approval in boss.get(reverse("workflows:queue")).context["table"].data
    boss.post(task_url(approval), {"decision": "approve", "comment": "同意"})
    case = Case.objects.get(pk=started_case.pk)
    assert (case.stage, case.closed_reason) == (Stage.CLOSED, "moved_away")
    assert not CaseTask.objects.filter(case=case, task__status__in=["NEW", "ASSIGNED"]).exists()
    assert CaseTask.objects.get(case=case, kind="assistance").task.status == "CANCELED"
    assert CaseEvent.objects.filter(case=case, kind="close_approve", actor=supervisor).exists()


def test_closing_refused_leaves_the_case_open(login, caseworker, supervisor, started_case):
    client = login(caseworker)
    client.post(reverse("workflows:case_close", args=[started_case.pk]), {"reason": "unwilling"})
    login(supervisor).post(task_url(open_task(started_case, "closing_approval")),
                           {"decision": "refuse", "comment": "请再动员"})  # fmt: skip
    case = Case.objects.get(pk=started_case.pk)
    assert case.stage == Stage.IDENTIFIED
    assert open_task(case, "survey")
    assert CaseEvent.objects.filter(case=case, kind="close_refuse").exists()


def test_a_transfer_accepted_moves_the_case_and_its_open_tasks(
    login, caseworker, supervisor, other_supervisor, other_caseworker, started_case
):
    client = login(caseworker)
    client.post(task_url(open_task(started_case, "survey"), "claim"))
    login(supervisor).post(
        reverse("workflows:case_transfer", args=[started_case.pk]),
        {"to_county": region("龙川县").pk, "note": "迁居老隆"},
    )
    acceptance = open_task(started_case, "transfer_acceptance")
    people = [caseworker, supervisor, other_supervisor, other_caseworker]
    assert_open_lists_read_the_same(people)
    # the receiving supervisor sees it although the case is not yet in the county
    receiving = login(other_supervisor)
    assert acceptance in receiving.get(reverse("workflows:queue")).context["table"].data
    laolong = region("龙川县/老隆镇/水口村")
    receiving.post(task_url(acceptance), {"decision": "approve", "region": laolong.pk})

    case = Case.objects.get(pk=started_case.pk)
    assert (case.county.name, case.region, case.owner) == ("龙川县", laolong, None)
    survey_task = open_task(case, "survey")
    assert survey_task.task.owner is None and survey_task.county.name == "龙川县"
    assert (
        survey_task in login(other_caseworker).get(reverse("workflows:queue")).context["table"].data
    )
    assert login(caseworker).get(case.get_absolute_url()).status_code == 404
    assert_open_lists_read_the_same(people)


def assert_open_lists_read_the_same(people):
    """The open-task lists read the task's own place; the full rule reads the case's too."""
    for user in people:
        user = type(user).objects.get(pk=user.pk)  # a fresh scope
        by_case = set(selectors.tasks_visible_to(user).filter(status__in=selectors.OPEN))
        assert set(selectors.open_tasks_visible_to(user)) == by_case, user.username


def test_a_supervisor_undoes_the_last_stage_change(login, caseworker, supervisor, started_case):
    survey(login(caseworker), started_case)
    assert Case.objects.get(pk=started_case.pk).stage == Stage.SURVEYED
    response = login(supervisor).post(
        reverse("workflows:case_undo", args=[started_case.pk]), {"reason": "调查表填错了人"}
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=started_case.pk)
    assert case.stage == Stage.IDENTIFIED
    assert open_task(case).kind == "survey"
    assert case.stage_changes.last().reason == "调查表填错了人"
    # a caseworker may not undo
    login(caseworker).post(reverse("workflows:case_undo", args=[case.pk]), {"reason": "x"})
    assert Case.objects.get(pk=case.pk).stage == Stage.IDENTIFIED


def test_release_and_hand_over(login, caseworker, colleague, started_case):
    client = login(caseworker)
    survey_task = open_task(started_case, "survey")
    client.post(task_url(survey_task, "claim"))
    client.post(task_url(survey_task, "release"))
    assert open_task(started_case).task.owner is None
    client.post(task_url(survey_task, "claim"))
    client.post(task_url(survey_task, "hand_over"), {"to_user": colleague.pk})
    assert open_task(started_case).task.owner == colleague
    assert Case.objects.get(pk=started_case.pk).owner == colleague
    kinds = list(CaseEvent.objects.filter(case=started_case).values_list("kind", flat=True))
    assert kinds.count("claim") == 2 and "release" in kinds and "hand_over" in kinds


def test_two_caseworkers_claim_the_same_task_one_is_told(
    login, caseworker, colleague, started_case
):
    survey_task = open_task(started_case, "survey")
    login(caseworker).post(task_url(survey_task, "claim"))
    response = login(colleague).post(task_url(survey_task, "claim"), follow=True)
    assert open_task(started_case).task.owner == caseworker
    assert any("钟" in str(m) or "cw_zijin" in str(m) for m in response.context["messages"])


def test_supervisor_reassigns_a_caseload_after_confirming_and_downloads_the_receipt(
    login, caseworker, colleague, supervisor, zicheng
):
    from tests.factories import CaseFactory
    from workflows import services

    cases = [CaseFactory(region=zicheng, owner=caseworker) for _ in range(3)]
    for case in cases:
        services.case_process_start(case=case)
        services.task_claim(case_task=open_task(case), actor=caseworker)
    client = login(supervisor)
    whole = {"holder": str(caseworker.pk), "scope": "all", "to_user": colleague.pk}
    asked = client.post(reverse("workflows:reassign"), whole)
    assert asked.status_code == 200 and "移交整个工作量" in asked.content.decode()
    assert all(open_task(case).task.owner == caseworker for case in cases)  # not yet
    task_ids = [str(open_task(case).pk) for case in cases]
    done = client.post(
        reverse("workflows:reassign"),
        {"to_user": colleague.pk, "task": task_ids, "confirmed": "1", "holder": caseworker.pk},
    )
    assert done.status_code == 302
    result = client.get(done["Location"])
    assert "已将 3 个任务移交给 cw_zijin2" in result.content.decode()
    receipt = client.get(reverse("workflows:reassign_receipt", args=[result.context["key"]]))
    assert receipt["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(receipt.content)).active.iter_rows(values_only=True))
    assert len(rows) == 4
    assert all(row[-1] == "已移交" for row in rows[1:])
    assert all(open_task(case).task.owner == colleague for case in cases)
    assert all(Case.objects.get(pk=case.pk).owner == colleague for case in cases)


def test_a_caseworker_cannot_reassign(login, caseworker, colleague, started_case):
    response = login(caseworker).post(
        reverse("workflows:reassign"), {"scope": "all", "to_user": colleague.pk}
    )
    assert response.status_code == 403
    survey_task = open_task(started_case, "survey")
    login(caseworker).post(task_url(survey_task, "reassign"), {"to_user": colleague.pk})
    assert open_task(started_case).task.owner is None


def test_resurvey_finding_work_moves_the_case_to_employed(login, caseworker, started_case):
    client = login(caseworker)
    survey(client, started_case)
    client.post(reverse("workflows:case_resurvey", args=[started_case.pk]))
    resurvey = open_task(started_case, "resurvey")
    client.post(
        task_url(resurvey), survey_form(started_case, "local", employer_post="龙川县佗城扶贫车间")
    )
    case = Case.objects.get(pk=started_case.pk)
    assert case.stage == Stage.EMPLOYED
    assert case.employments.get().employer == "龙川县佗城扶贫车间"
    assert not CaseTask.objects.filter(case=case, task__status__in=["NEW", "ASSIGNED"]).exists()
    assert case.surveys.filter(is_resurvey=True).count() == 1


def test_resurvey_finding_a_lost_job_returns_the_case_to_assisted(login, caseworker, started_case):
    client = login(caseworker)
    survey(client, started_case, status="local")
    client.post(task_url(open_task(started_case, "employment")), {
        "started_on": TODAY().isoformat(), "employer": "宝山电子厂", "location_class": "in_county",
        "form": "employee",
    })  # fmt: skip
    client.post(reverse("workflows:case_resurvey", args=[started_case.pk]))
    client.post(
        task_url(open_task(started_case, "resurvey")), survey_form(started_case, note="工厂倒闭")
    )
    case = Case.objects.get(pk=started_case.pk)
    assert case.stage == Stage.ASSISTED
    assert open_task(case).kind == "assistance"


def test_the_transfer_target_must_be_in_the_receiving_county(
    login, supervisor, other_supervisor, started_case
):
    login(supervisor).post(
        reverse("workflows:case_transfer", args=[started_case.pk]),
        {"to_county": region("龙川县").pk},
    )
    acceptance = open_task(started_case, "transfer_acceptance")
    elsewhere = Region.objects.get(name="紫城镇")
    response = login(other_supervisor).post(
        task_url(acceptance), {"decision": "approve", "region": elsewhere.pk}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert Case.objects.get(pk=started_case.pk).county.name == "紫金县"
