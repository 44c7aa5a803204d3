"""The summaries the writes keep (casework.tallies, workflows.tallies) equal the rows counted
directly, after every kind of write, before and after the periodic fold."""

import datetime
import importlib
import threading

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from casework import access, jobs, recording
from casework import selectors as case_selectors
from casework import tallies as case_tallies
from casework.models import Case, Role
from casework.roster import case_correct_id, roster_import
from tests.factories import CaseFactory, region, staff
from tests.rosters import person, write_xlsx
from tests.workflows.conftest import open_task, task_url
from workflows import selectors, services, tallies
from workflows.models import CaseTask, TaskTally, TaskTallyDelta

# the oracles: the rows themselves, grouped by hand
TASK_ROWS = """
    SELECT county_id, COALESCE(township_id, 0), COALESCE(owner_id, 0), due_on, COUNT(*)
    FROM workflows_casetask WHERE status IN ('NEW', 'ASSIGNED', 'STARTED')
    GROUP BY county_id, COALESCE(township_id, 0), COALESCE(owner_id, 0), due_on"""
CASE_ROWS = """
    SELECT county_id, township_id, region_id, stage, COALESCE(owner_id, 0), COUNT(*)
    FROM casework_case GROUP BY county_id, township_id, region_id, stage, COALESCE(owner_id, 0)"""
# what the summaries say: summary and pending deltas together
TASK_SUMMED = """
    SELECT county_id, township_id, owner_id, due_on, SUM(n) FROM (
        SELECT county_id, township_id, owner_id, due_on, n FROM workflows_tasktally UNION ALL
        SELECT county_id, township_id, owner_id, due_on, n FROM workflows_tasktallydelta
    ) t GROUP BY county_id, township_id, owner_id, due_on HAVING SUM(n) <> 0"""
CASE_SUMMED = """
    SELECT county_id, township_id, region_id, stage, owner_id, SUM(n) FROM (
        SELECT county_id, township_id, region_id, stage, owner_id, n FROM casework_casetally
        UNION ALL
        SELECT county_id, township_id, region_id, stage, owner_id, n
        FROM casework_casetallydelta
    ) t GROUP BY county_id, township_id, region_id, stage, owner_id HAVING SUM(n) <> 0"""


def counted(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {tuple(str(v) for v in row[:-1]): row[-1] for row in cursor.fetchall()}


def assert_summaries_match(*users):
    """Pending deltas and all, then folded: the summaries equal the rows, and every reader
    answers what the live count answers for each user."""
    for folded in (False, True):
        if folded:
            jobs.periodic_run(now=timezone.now())
            assert not TaskTallyDelta.objects.exists()
        assert counted(TASK_SUMMED) == counted(TASK_ROWS)
        assert counted(CASE_SUMMED) == counted(CASE_ROWS)
        assert not TaskTally.objects.filter(n__lte=0).exists()
        for user in users:
            assert_readers_match(user)


def assert_readers_match(user):
    today = timezone.localdate()
    tasks = selectors.tasks_visible_to(user).filter(status__in=selectors.OPEN)
    cases = access.cases_visible_to(user)
    for by in ("owner", "county", "township"):
        live = {
            (row[by], row["n"])
            for row in tasks.filter(due_on__lt=today).values(by).annotate(n=Count("pk"))
        }
        assert {(row[by], row["n"]) for row in selectors.overdue_counts(user, today, by)} == live
        grouped = selectors.open_and_overdue_by(user, by, today)
        assert {key: (row["open"], row["overdue"]) for key, row in grouped.items()} == {
            row[by]: (row["o"], row["d"])
            for row in tasks.values(by).annotate(
                o=Count("pk"), d=Count("pk", filter=Q(due_on__lt=today))
            )
        }
    assert selectors.unclaimed_count(user) == tasks.filter(owner=None).count()
    mine = tasks.filter(owner=user)
    assert selectors.my_task_counts(user, today) == {
        "open": mine.count(),
        "overdue": mine.filter(due_on__lt=today).count(),
        "week": mine.filter(due_on__gte=today, due_on__lte=today + datetime.timedelta(6)).count(),
    }
    assert case_tallies.case_counts_by_stage(user) == case_selectors.cases_by_stage(cases)
    assert case_tallies.open_cases_by_county(user) == {
        k: v for k, v in case_selectors.open_cases_by_county(cases).items() if v
    }
    for owner in (user, None):
        live = cases.filter(owner=owner).exclude(stage="closed").count()
        assert case_tallies.open_cases_held_by(user, owner) == live


@pytest.fixture
def people(db):
    return {
        "caseworker": staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇"),
        "colleague": staff("cw_zijin2", Role.CASEWORKER, "紫金县/紫城镇"),
        "village_worker": staff("cw_xinlian", Role.CASEWORKER, "紫金县/紫城镇/新联村"),
        "supervisor": staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县"),
        "receiver": staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县"),
        "city": staff("city", Role.CITY_STAFF, "河源市"),
    }


def test_the_summaries_equal_the_rows_through_a_cases_whole_story(people, login, tmp_path):
    p = people
    users = list(p.values())
    zicheng, longwo = region("紫金县/紫城镇/新联村"), region("紫金县/龙窝镇/石坑村")
    one_by_one = [CaseFactory(region=zicheng, owner=p["caseworker"]) for _ in range(3)]
    for case in one_by_one:
        services.case_process_start(case=case)
    in_bulk = [CaseFactory(region=place) for place in (zicheng, longwo, region("龙川县/老隆镇"))]
    services.cases_start_bulk(cases=in_bulk, actor=p["supervisor"])
    assert_summaries_match(*users)

    first, second, third = one_by_one
    services.task_claim(case_task=open_task(in_bulk[0], "survey"), actor=p["caseworker"])
    services.task_release(case_task=open_task(first, "survey"), actor=p["caseworker"])
    services.task_hand_over(case_task=open_task(second, "survey"), actor=p["caseworker"],
                            to_user=p["colleague"])  # fmt: skip
    services.tasks_reassign(case_tasks=[open_task(third, "survey")], actor=p["supervisor"],
                            to_user=p["colleague"])  # fmt: skip
    services.task_execute(case_task=open_task(second, "survey"), actor=p["colleague"],
                          perform=lambda c: recording.survey_submit(
                              case=c, actor=p["colleague"], surveyed_on=timezone.localdate(),
                              employment_status="farming", note=""))  # fmt: skip
    assert_summaries_match(*users)

    # a closing asked and approved; an undo; a transfer asked (pending) and accepted
    services.closing_request(case=third, actor=p["colleague"], reason="moved_away", note="")
    services.closing_decide(case_task=open_task(third, "closing_approval"),
                            actor=p["supervisor"], approve=True)  # fmt: skip
    assert Case.objects.get(pk=third.pk).stage == "closed"
    services.case_undo(case=Case.objects.get(pk=second.pk), actor=p["supervisor"], reason="填错了")
    services.transfer_request(case=first, actor=p["supervisor"], to_county=region("龙川县"))
    assert_summaries_match(*users)  # the acceptance belongs to 龙川县 only
    response = login(p["receiver"]).post(
        task_url(open_task(first, "transfer_acceptance")),
        {"decision": "approve", "region": region("龙川县/老隆镇/水口村").pk, "comment": "已接收"},
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=first.pk).county.name == "龙川县"
    assert_summaries_match(*users)

    # a roster import, a re-import moving a case to another township, a merge
    upload = write_xlsx(tmp_path / "first.xlsx", [person(2), person(4)])
    roster_import(path=upload, actor=p["supervisor"])
    moved = write_xlsx(tmp_path / "second.xlsx", [person(2, township="龙窝镇", village="石坑村")])
    roster_import(path=moved, actor=p["supervisor"])
    assert Case.objects.get(person__id_number=person(2)["身份证号码"]).township.name == "龙窝镇"
    duplicate = CaseFactory(region=region("紫金县/紫城镇"))
    services.case_process_start(case=duplicate)
    case_correct_id(case=duplicate, actor=p["supervisor"], id_number=in_bulk[0].person.id_number)
    assert Case.objects.filter(merged_into__isnull=False).exists()
    assert_summaries_match(*users)

    # writes that bypass the models: queryset updates and deletes, a raw INSERT … SELECT
    today = timezone.localdate()
    CaseTask.objects.filter(case=in_bulk[1]).update(due_on=today - datetime.timedelta(days=9))
    CaseTask.objects.filter(case=in_bulk[2]).update(owner=p["receiver"], status="ASSIGNED")
    Case.objects.filter(pk=in_bulk[2].pk).update(owner=p["receiver"])
    CaseTask.objects.filter(status="DONE").update(status="NEW")  # reopened behind the models
    Case.objects.filter(region=longwo).update(owner=p["caseworker"])
    CaseTask.objects.filter(case=in_bulk[1]).delete()
    with connection.cursor() as cursor:  # copies of every open task, due tomorrow
        cursor.execute(
            "INSERT INTO workflows_casetask (task_id, case_id, kind, due_on, county_id, "
            "township_id, region_id, owner_id, status) SELECT t.id, c.id, 'survey', %s, "
            "c.county_id, c.township_id, c.region_id, NULL, 'NEW' FROM viewflow_task t "
            "JOIN casework_case c ON c.id = %s WHERE t.id NOT IN "
            "(SELECT task_id FROM workflows_casetask)",
            [today + datetime.timedelta(days=1), one_by_one[0].pk],
        )
        assert cursor.rowcount > 0
    assert_summaries_match(*users)


def test_the_rebuild_recounts_what_a_load_without_triggers_left(people):
    cases = [CaseFactory(region=region("紫金县/紫城镇/新联村")) for _ in range(4)]
    services.cases_start_bulk(cases=cases)
    TaskTally.objects.all().delete()  # as after a load with the triggers off
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM casework_casetally")
        cursor.execute("UPDATE workflows_tasktallydelta SET n = 7")
    assert counted(TASK_SUMMED) != counted(TASK_ROWS)
    assert tallies.tallies_rebuild() == {"cases": 1, "needs": 0, "tasks": 1}
    assert counted(TASK_SUMMED) == counted(TASK_ROWS) == {
        (str(cases[0].county_id), str(cases[0].township_id), "0",
         str(CaseTask.objects.first().due_on)): 4,
    }  # fmt: skip
    assert counted(CASE_SUMMED) == counted(CASE_ROWS)


@pytest.mark.parametrize("who", ["supervisor", "city"])
def test_the_team_page_costs_the_same_queries_for_a_few_and_many_tasks(
    people, who, login, django_assert_max_num_queries
):
    client = login(people[who])
    for size in (5, 500):
        cases = [
            CaseFactory(region=region("紫金县/紫城镇/新联村"), owner=people["caseworker"])
            for _ in range(size - CaseTask.objects.count())
        ]
        services.cases_start_bulk(cases=cases)
        with django_assert_max_num_queries(TEAM_QUERIES[who]):
            page = client.get(reverse("workflows:team"))
        assert page.status_code == 200
        rows = {r["user"].username if r["user"] else None: r for r in page.context["table"].data}
        assert rows["cw_zijin"]["open"] == size


# as many with 5 tasks as with 500: the counts are one read of the summary, whatever the tasks
TEAM_QUERIES = {"supervisor": 12, "city": 13}


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL"
)


@pytest.fixture
def regions():
    """Transactional tests run in flushed databases, which also empties the regions that a
    data migration loads: they are loaded again (as tests/supervision/test_ladder.py does)."""
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_writers_on_the_same_bucket_at_once_neither_waits_nor_deadlocks(regions):
    caseworker = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    cases = [CaseFactory(region=region("紫金县/紫城镇/新联村")) for _ in range(40)]
    services.cases_start_bulk(cases=cases)
    tasks = list(CaseTask.objects.order_by("pk"))
    both_inside = threading.Barrier(2, timeout=10)
    errors = []

    def claim(mine):
        try:
            with transaction.atomic():
                for case_task in mine:
                    CaseTask.objects.filter(pk=case_task.pk).update(owner=caseworker,
                                                                    status="ASSIGNED")  # fmt: skip
                    if case_task is mine[0]:
                        both_inside.wait()  # both hold deltas of the same bucket uncommitted
            jobs.periodic_run(now=timezone.now())  # a fold meanwhile
        except Exception as error:  # noqa: BLE001  (reported by the assertion below)
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(tasks[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    assert counted(TASK_SUMMED) == counted(TASK_ROWS)
    assert sum(counted(TASK_SUMMED).values()) == 40
    assert selectors.my_task_counts(caseworker, timezone.localdate())["open"] == 40


def test_each_kind_of_task_asks_the_permission_the_queue_looks_for():
    """The queue finds a role's tasks by kind (workflows.models.KIND_PERMISSION); every human
    node of every flow must ask exactly that permission of its owner. Written out by hand:"""
    from workflows import flows

    asked = {}
    for flow_class in (flows.CaseFlow, flows.ResurveyFlow, flows.ClosingFlow, flows.TransferFlow):
        for node in flow_class.instance.nodes():
            permission = getattr(node, "_owner_permission", None)
            if permission:
                asked[f"{flow_class.__name__}.{node.name}"] = permission
    assert asked == {
        "CaseFlow.survey": "casework.work_case",
        "CaseFlow.assistance": "casework.work_case",
        "CaseFlow.employment": "casework.work_case",
        "CaseFlow.follow_up": "casework.work_case",
        "ResurveyFlow.resurvey": "casework.work_case",
        "ClosingFlow.approve": "casework.approve_closing",
        "TransferFlow.accept": "casework.reassign_case",
    }
