"""The lists a supervisor works from: the city's overdue list by county, the team page linked
to each caseworker's tasks, days overdue, search by name, one sort at a time."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casework.models import Role
from tests.factories import CaseFactory, region, staff
from workflows import services
from workflows.models import CaseTask

TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def fixed_today(monkeypatch):
    """Today is 2026-03-10 (Asia/Shanghai) for the lists and their selectors."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


def task_due(name, place, due_on, owner=None) -> CaseTask:
    """A laborer's survey task, due on the given day, held by owner (or in the queue)."""
    case = CaseFactory(region=place, name=name)
    services.case_process_start(case=case)
    case_task = CaseTask.objects.get(case=case, kind="survey")
    CaseTask.objects.filter(pk=case_task.pk).update(due_on=due_on)
    if owner is not None:
        services.task_claim(case_task=case_task, actor=owner)
    return CaseTask.objects.get(pk=case_task.pk)


def days_overdue_by_name(response) -> dict[str, str]:
    table = response.context["table"]
    return {
        row.record.case.person.name: str(row.get_cell("days_overdue"))
        for row in table.page.object_list
    }


def test_days_overdue_counts_calendar_days_past_the_due_date(
    login, caseworker, zicheng, fixed_today
):
    task_due("钟早到", zicheng, datetime.date(2026, 2, 25), owner=caseworker)
    task_due("钟昨天", zicheng, datetime.date(2026, 3, 9), owner=caseworker)
    task_due("钟今天", zicheng, datetime.date(2026, 3, 10), owner=caseworker)
    task_due("钟下周", zicheng, datetime.date(2026, 3, 17), owner=caseworker)
    response = login(caseworker).get(reverse("workflows:inbox"))
    assert days_overdue_by_name(response) == {
        "钟早到": "13", "钟昨天": "1", "钟今天": "", "钟下周": "",
    }  # fmt: skip
    assert "逾期天数" in response.content.decode()


def test_the_city_filters_the_overdue_list_by_county(login, city, fixed_today):
    task_due("钟紫金", region("紫金县/紫城镇/新联村"), datetime.date(2026, 3, 1))
    task_due("刘龙川", region("龙川县/老隆镇/水口村"), datetime.date(2026, 2, 1))
    task_due("刘未到", region("龙川县/老隆镇/水口村"), datetime.date(2026, 3, 20))
    client = login(city)
    everything = client.get(reverse("workflows:overdue"))
    assert days_overdue_by_name(everything) == {"钟紫金": "9", "刘龙川": "37"}
    page = everything.content.decode()
    assert "县（区）" in page and "紫金县" in page and "龙川县" in page
    longchuan = region("龙川县/老隆镇").county
    only = client.get(reverse("workflows:overdue"), {"county": longchuan.pk})
    assert days_overdue_by_name(only) == {"刘龙川": "37"}


def test_a_county_supervisor_has_no_county_filter_or_column(login, supervisor, zicheng):
    task_due("钟紫金", zicheng, timezone.localdate() - datetime.timedelta(days=3))
    response = login(supervisor).get(reverse("workflows:overdue"))
    assert "county" not in response.context["filter"].form.fields
    assert "county" not in [column.name for column in response.context["table"].columns]


def test_task_lists_search_by_laborer_name(login, caseworker, supervisor, zicheng):
    task_due("钟秀英", zicheng, timezone.localdate(), owner=caseworker)
    task_due("黄志明", zicheng, timezone.localdate(), owner=caseworker)
    inbox = login(caseworker).get(reverse("workflows:inbox"), {"name": "秀英"})
    assert [row.case.person.name for row in inbox.context["table"].data] == ["钟秀英"]
    county = login(supervisor).get(reverse("workflows:open_tasks"), {"name": "志明"})
    assert [row.case.person.name for row in county.context["table"].data] == ["黄志明"]


def test_the_team_page_links_each_caseworker_to_their_tasks(login, caseworker, supervisor, zicheng):
    colleague = staff("cw_zijin2", Role.CASEWORKER, "紫金县/紫城镇")
    past = timezone.localdate() - datetime.timedelta(days=5)
    task_due("钟一", zicheng, past, owner=caseworker)
    task_due("钟二", zicheng, timezone.localdate() + datetime.timedelta(days=5), owner=caseworker)
    task_due("黄三", zicheng, past, owner=colleague)
    client = login(supervisor)
    team = client.get(reverse("workflows:team")).content.decode()
    mine = f'href="/tasks/open/?owner={caseworker.pk}"'
    assert team.count(mine) == 2  # the name and the open count
    assert f'href="/tasks/overdue/?owner={caseworker.pk}"' in team
    listed = client.get(reverse("workflows:open_tasks"), {"owner": caseworker.pk})
    assert sorted(row.case.person.name for row in listed.context["table"].data) == ["钟一", "钟二"]
    overdue = client.get(reverse("workflows:overdue"), {"owner": caseworker.pk})
    assert [row.case.person.name for row in overdue.context["table"].data] == ["钟一"]


def test_lists_sort_by_one_column_at_a_time(login, city, fixed_today):
    task_due("钟紫金", region("紫金县/紫城镇/新联村"), datetime.date(2026, 3, 1))
    task_due("刘龙川", region("龙川县/老隆镇/水口村"), datetime.date(2026, 2, 1))
    client = login(city)
    response = client.get(reverse("workflows:overdue"), {"sort": "township,-due_on"})
    assert list(response.context["table"].order_by) == ["township"]
    default = client.get(reverse("workflows:overdue")).content.decode()
    assert default.count('class="asc orderable"') + default.count('class="orderable asc"') == 1
    by_days = client.get(reverse("workflows:overdue"), {"sort": "-days_overdue"})
    assert [row.case.person.name for row in by_days.context["table"].data] == ["刘龙川", "钟紫金"]


def test_open_and_overdue_lists_are_for_supervisors(login, caseworker):
    assert login(caseworker).get(reverse("workflows:open_tasks")).status_code == 403


def test_the_citys_overdue_list_costs_the_same_queries_for_2_and_40_tasks(
    login, city, django_assert_max_num_queries
):
    zicheng, laolong = region("紫金县/紫城镇/新联村"), region("龙川县/老隆镇/水口村")
    past = timezone.localdate() - datetime.timedelta(days=4)
    client = login(city)
    longchuan = {"county": laolong.county_id}

    def visit():
        with CaptureQueriesContext(connection) as captured:
            everything = client.get(reverse("workflows:overdue"))
            filtered = client.get(reverse("workflows:overdue"), longchuan)
        return len(captured), everything, filtered

    task_due("钟一", zicheng, past)
    task_due("刘一", laolong, past)
    few, *_ = visit()
    for n in range(19):
        task_due(f"钟{n}", zicheng, past)
        task_due(f"刘{n}", laolong, past)
    with django_assert_max_num_queries(few):
        _, everything, filtered = visit()
    assert everything.context["table"].paginator.count == 40
    assert filtered.context["table"].paginator.count == 20


def test_the_citys_team_page_says_where_each_caseworker_works_at_a_fixed_cost(
    login, city, caseworker, django_assert_max_num_queries
):
    client = login(city)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workflows:team")).content.decode()
    assert "紫金县/紫城镇" in page
    for n in range(8):
        staff(f"cw_more{n}", Role.CASEWORKER, "龙川县/老隆镇" if n % 2 else "紫金县/龙窝镇")
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workflows:team")).content.decode()
    assert "龙川县/老隆镇" in page and "紫金县/龙窝镇" in page
