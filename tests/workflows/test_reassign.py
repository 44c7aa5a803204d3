"""A supervisor reassigns tasks: the outcome is shown on a page (moved, refused with the
reason), the receipt is a link of the supervisor's own, a whole caseload is confirmed first,
and only staff who may take the tasks are offered."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from casework.models import ExportLog, Role
from tests.factories import CaseFactory, region, staff
from workflows import services
from workflows.models import CaseTask


@pytest.fixture
def longwo_caseworker(db):
    return staff("cw_longwo", Role.CASEWORKER, "紫金县/龙窝镇")


def held_task(name, place, owner=None) -> CaseTask:
    case = CaseFactory(region=place, name=name)
    services.case_process_start(case=case)
    case_task = CaseTask.objects.get(case=case, kind="survey")
    if owner is not None:
        services.task_claim(case_task=case_task, actor=owner)
    return case_task


def owner_of(case_task):
    return CaseTask.objects.get(pk=case_task.pk).task.owner


@pytest.fixture
def caseload(caseworker, zicheng):
    """cw_zijin holds three 紫城镇 tasks; a 龙窝镇 task waits in the queue."""
    return {
        "zhong": held_task("钟秀英", zicheng, caseworker),
        "huang": held_task("黄志明", zicheng, caseworker),
        "liu": held_task("刘春梅", zicheng, caseworker),
        "longwo": held_task("邱龙窝", region("紫金县/龙窝镇/石坑村")),
    }


def test_a_refused_task_is_shown_with_its_reason_and_the_receipt_is_a_link(
    login, supervisor, colleague, caseload
):
    client = login(supervisor)
    chosen = [caseload["zhong"].pk, caseload["huang"].pk, caseload["longwo"].pk]
    response = client.post(
        reverse("workflows:reassign"), {"to_user": colleague.pk, "task": chosen}, follow=True
    )
    page = response.content.decode()
    assert "已将 2 个任务移交给 cw_zijin2" in page
    assert "1 个任务未移交" in page
    refused = page[page.index('data-testid="refused"') : page.index('data-testid="moved"')]
    assert "邱龙窝" in refused and "cw_zijin2 不负责该个案所在区域" in refused
    assert owner_of(caseload["zhong"]) == colleague
    assert owner_of(caseload["longwo"]) is None
    assert not ExportLog.objects.exists()  # nothing is downloaded by the reassignment itself

    client.cookies["django_language"] = "en"
    english = client.get(response.request["PATH_INFO"]).content.decode()
    assert "cw_zijin2 does not work in this case&#x27;s region." in english

    receipt = client.get(reverse("workflows:reassign_receipt", args=[response.context["key"]]))
    rows = list(load_workbook(io.BytesIO(receipt.content)).active.iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["钟秀英", "黄志明", "邱龙窝"]
    assert rows[3][-1] == "cw_zijin2 does not work in this case's region."
    assert all("*" in row[2] for row in rows[1:])  # ID numbers masked
    (log,) = ExportLog.objects.all()
    assert (log.actor, log.kind, log.rows, log.full_id_numbers) == (supervisor, "receipt", 3, False)


def test_the_outcome_is_the_supervisors_own(login, supervisor, colleague, caseload, client):
    response = login(supervisor).post(
        reverse("workflows:reassign"),
        {"to_user": colleague.pk, "task": [caseload["zhong"].pk]},
    )
    result = response["Location"]
    key = result.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(result).status_code == 200
    other = staff("sup_zijin_b", Role.COUNTY_SUPERVISOR, "紫金县")
    assert login(other).get(result).status_code == 404
    assert login(other).get(reverse("workflows:reassign_receipt", args=[key])).status_code == 404
    assert login(colleague).get(result).status_code == 403
    assert not ExportLog.objects.exists()


def test_moving_a_whole_caseload_asks_first(login, supervisor, colleague, caseworker, caseload):
    client = login(supervisor)
    asked = client.post(
        reverse("workflows:reassign"),
        {"holder": caseworker.pk, "scope": "all", "to_user": colleague.pk},
    )
    page = asked.content.decode()
    assert asked.status_code == 200
    assert "移交整个工作量" in page and "确认移交 3 个任务" in page
    assert owner_of(caseload["zhong"]) == caseworker  # nothing moved yet
    # ticking every task of a caseworker is a whole caseload too
    ticked = [caseload[name].pk for name in ("zhong", "huang", "liu")]
    asked = client.post(reverse("workflows:reassign"), {"to_user": colleague.pk, "task": ticked})
    assert "cw_zijin 的在办任务（共 3 个）将全部移交" in asked.content.decode()
    assert owner_of(caseload["liu"]) == caseworker
    confirmed = client.post(
        reverse("workflows:reassign"),
        {"to_user": colleague.pk, "task": ticked, "confirmed": "1"},
        follow=True,
    )
    assert "已将 3 个任务移交给 cw_zijin2" in confirmed.content.decode()
    assert all(owner_of(caseload[name]) == colleague for name in ("zhong", "huang", "liu"))


def test_only_staff_who_may_take_the_tasks_are_offered(
    login, supervisor, colleague, longwo_caseworker, other_caseworker, city, caseload
):
    client = login(supervisor)
    offered = dict(client.get(reverse("workflows:reassign")).context["targets"])
    assert colleague.pk in offered and longwo_caseworker.pk in offered
    assert other_caseworker.pk not in offered and city.pk not in offered
    longwo = region("紫金县/龙窝镇")
    offered = dict(
        client.get(reverse("workflows:reassign"), {"township": longwo.pk}).context["targets"]
    )
    assert longwo_caseworker.pk in offered and colleague.pk not in offered
    assert offered[longwo_caseworker.pk] == "cw_longwo（龙窝镇）"
    # a caseworker of another county is refused even when the form is crafted
    response = client.post(
        reverse("workflows:reassign"),
        {"to_user": other_caseworker.pk, "task": [caseload["zhong"].pk]},
        follow=True,
    )
    assert "请选择接手任务的经办人。" in response.content.decode()
    assert owner_of(caseload["zhong"]).username == "cw_zijin"


def test_the_reassign_page_pages_its_tasks_with_the_same_queries(
    login, supervisor, caseworker, zicheng
):
    held_task("钟一", zicheng, caseworker)
    client = login(supervisor)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("workflows:reassign"))
    for n in range(60):
        held_task(f"钟{n}", zicheng)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("workflows:reassign"))
    assert len(few) == len(many)
    assert len(response.context["page"].object_list) == 50
    assert response.context["total"] == 61
    assert 'data-testid="pages"' in response.content.decode()


def test_the_result_page_queries_do_not_grow_with_the_tasks_moved(
    login, supervisor, colleague, caseworker, zicheng, django_assert_max_num_queries
):
    client = login(supervisor)
    tasks = [held_task(f"钟{n}", zicheng) for n in range(30)]
    response = client.post(
        reverse("workflows:reassign"),
        {"to_user": colleague.pk, "task": [t.pk for t in tasks], "confirmed": "1"},
    )
    with django_assert_max_num_queries(12):
        page = client.get(response["Location"])
    assert "已将 30 个任务移交给 cw_zijin2" in page.content.decode()


def test_a_closing_approval_is_not_given_to_a_caseworker(
    login, supervisor, caseworker, colleague, zicheng
):
    case = CaseFactory(region=zicheng, name="钟关闭")
    services.case_process_start(case=case)
    services.closing_request(case=case, actor=caseworker, reason="unwilling")
    approval = CaseTask.objects.get(case=case, kind="closing_approval")
    response = login(supervisor).post(
        reverse("workflows:reassign"), {"to_user": colleague.pk, "task": [approval.pk]}, follow=True
    )
    refused = response.content.decode()
    assert "cw_zijin2 的角色不办理此类任务。" in refused
    assert owner_of(approval) is None


def test_the_confirmation_says_beforehand_which_tasks_will_not_move(
    login, supervisor, colleague, caseload
):
    caseload["longwo"].task.owner = caseload["zhong"].task.owner
    caseload["longwo"].task.save()
    client = login(supervisor)
    asked = client.post(
        reverse("workflows:reassign"),
        {"holder": caseload["zhong"].task.owner.pk, "scope": "all", "to_user": colleague.pk},
    )
    page = asked.content.decode()
    assert "确认移交 4 个任务" in page
    assert "其中 1 个任务不在 cw_zijin2 可办理的范围内，不会移交。" in page
    assert owner_of(caseload["zhong"]) == caseload["huang"].task.owner  # nothing moved yet
