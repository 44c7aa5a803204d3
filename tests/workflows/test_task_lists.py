"""Task lists cost the same queries at any size, stay small, and colour by urgency."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from tests.factories import CaseFactory, region
from workflows import services
from workflows.models import CaseTask

PAGES = [
    "workflows:inbox", "workflows:queue", "workflows:archive", "workflows:overdue",
    "workflows:open_tasks", "workflows:team",
]  # fmt: skip


def add_cases(n, caseworker, zicheng, finish_every=0):
    longwo = region("紫金县/龙窝镇/石坑村")
    for i in range(n):
        owner = caseworker if i % 2 else None
        days_ago = 40 if i % 3 else 2
        case = CaseFactory(
            region=zicheng if i % 4 else longwo,
            owner=owner,
            identified_on=timezone.localdate() - datetime.timedelta(days=days_ago),
        )
        services.case_process_start(case=case)
        if finish_every and i % finish_every == 0:  # a finished task, for the archive
            done = {"status": "DONE", "owner": caseworker}
            case_task = CaseTask.objects.get(case=case)
            Task.objects.filter(pk=case_task.pk).update(finished=timezone.now(), **done)
            CaseTask.objects.filter(pk=case_task.pk).update(**done)


def queries(client, page):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(page))
    assert response.status_code == 200
    return len(captured), response


def test_task_pages_run_the_same_queries_for_5_and_500_tasks(
    login, caseworker, supervisor, zicheng
):
    def visit(page):
        workers_pages = ("workflows:inbox", "workflows:queue", "workflows:archive")
        user = caseworker if page in workers_pages else supervisor
        return queries(login(user), page)

    add_cases(5, caseworker, zicheng, finish_every=3)
    few = {page: visit(page)[0] for page in PAGES}
    add_cases(495, caseworker, zicheng, finish_every=3)
    many = {}
    for page in PAGES:
        many[page], response = visit(page)
        if page == "workflows:archive":
            # i divisible by 3 but not by 4 (those are in 龙窝镇): i = 3 of 0..4, then of
            # 0..494 the 165 multiples of 3 less the 42 of 12: 1 + 123
            assert response.context["table"].paginator.count == 124
        elif page != "workflows:team":
            assert response.context["table"].paginator.count > 50
        assert len(response.content) < 150_000, f"{page} weighs {len(response.content)} bytes"
    assert few == many, (few, many)


def test_overdue_tasks_are_red_and_soon_ones_amber(login, caseworker, zicheng):
    from workflows.deadlines import WorkCalendar
    from workflows.models import TaskKind

    calendar, today = WorkCalendar(), timezone.localdate()
    # identified on the day whose survey falls due two working days from now
    soon = next(
        today - datetime.timedelta(days=back) for back in range(1, 40)
        if calendar.due_on(TaskKind.SURVEY, today - datetime.timedelta(days=back))
        == calendar.add_working_days(today, 2)
    )  # fmt: skip
    for identified_on in (today - datetime.timedelta(days=60), soon, today):
        case = CaseFactory(region=zicheng, owner=caseworker, identified_on=identified_on)
        services.case_process_start(case=case)
    page = login(caseworker).get(reverse("workflows:inbox")).content.decode()
    assert page.count('class="due-overdue') == 1
    assert page.count('class="due-soon') == 1
    assert page.count('class="due-ok') == 1


def test_queue_holds_only_unclaimed_tasks_of_my_regions(login, caseworker, zicheng):
    add_cases(8, caseworker, zicheng)
    data = login(caseworker).get(reverse("workflows:queue")).context["table"].data
    assert len(data) > 0
    assert all(ct.task.owner_id is None and ct.township.name == "紫城镇" for ct in data)


def test_team_counts_open_and_overdue_per_caseworker(login, supervisor, caseworker, zicheng):
    add_cases(6, caseworker, zicheng)
    rows = login(supervisor).get(reverse("workflows:team")).context["table"].data.data
    mine = next(row for row in rows if row["user"] == caseworker)
    assert mine["open"] == 3
    assert mine["overdue"] == 2
    page = login(supervisor).get(reverse("workflows:team")).content.decode()
    assert "待领取" in page  # the queue's row is named


def test_list_titles_follow_the_viewers_language(login, caseworker):
    client = login(caseworker)
    client.cookies["django_language"] = "zh-hans"
    assert "我的任务" in client.get(reverse("workflows:inbox")).content.decode()
    client.cookies["django_language"] = "en"
    assert "<h1>My tasks" in client.get(reverse("workflows:inbox")).content.decode()
