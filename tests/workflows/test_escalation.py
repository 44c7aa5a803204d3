"""The escalation ladder through `run_periodic --now`: a survey due on Wednesday 30 September
2026 reminds its holder that day, reaches the county supervisor 5 working days late and city
staff 10 working days late — counted over the National Day week (1–7 October off, Saturday
10 October worked) — each step once, on the case's timeline, for the case's county only.

Working days after 30 September 2026, by hand from the State Council's schedule:
8 Oct (1), 9 (2), Sat 10 (3), 12 (4), 13 (5), 14 (6), 15 (7), 16 (8), 19 (9), 20 (10), 21 (11),
22 (12).
"""

import datetime
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from casework import jobs
from casework.history import case_event_recorded
from casework.models import CaseEvent
from tests.factories import CaseFactory
from tests.workflows.conftest import open_task
from workflows import escalation, services
from workflows.models import CaseTask, EscalationStep, TaskEscalation

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def ladder(db):
    """The ladder the migration loads: holder on the due date, supervisor at 5, city at 10."""
    return {step.level: step.working_days for step in EscalationStep.objects.all()}


def run_periodic(day: str) -> int:
    """`manage.py run_periodic --now <day>T09:00 --json`: the steps taken in that run."""
    out = io.StringIO()
    call_command("run_periodic", "--now", f"{day}T09:00", "--json", stdout=out)
    return json.loads(out.getvalue())["case_escalations"]


def survey_due(case, due_on: D, holder=None) -> CaseTask:
    services.case_process_start(case=case)
    survey = open_task(case, "survey")
    if holder is not None:
        services.task_claim(case_task=survey, actor=holder)
    CaseTask.objects.filter(pk=survey.pk).update(due_on=due_on)
    return survey


def escalations(case) -> list[dict]:
    return [
        event.data
        for event in CaseEvent.objects.filter(case=case, kind="task_escalated").order_by("pk")
    ]


def test_the_migration_loads_the_default_ladder(ladder):
    assert ladder == {"owner": 0, "county_supervisor": 5, "city_staff": 10}


def test_each_step_on_its_working_day_over_national_day_and_never_twice(
    ladder, zijin_case, caseworker, supervisor, other_supervisor, city, login
):
    survey = survey_due(zijin_case, D(2026, 9, 30), holder=caseworker)

    assert run_periodic("2026-09-29") == 0
    # on the due date: the holder is reminded, once however often the runner runs
    assert run_periodic("2026-09-30") == 1
    assert run_periodic("2026-09-30") == 0
    assert run_periodic("2026-10-08") == 0
    # 4 working days late on Monday 12 October, 5 on Tuesday 13 October
    assert run_periodic("2026-10-12") == 0
    assert run_periodic("2026-10-13") == 1
    assert run_periodic("2026-10-13") == 0
    # 9 working days late on Monday 19 October, 10 on Tuesday 20 October
    assert run_periodic("2026-10-19") == 0
    assert run_periodic("2026-10-20") == 1
    assert run_periodic("2026-11-30") == 0

    assert escalations(zijin_case) == [
        {"step": "owner", "days_overdue": 0, "due_on": "2026-09-30", "task_kind": "survey",
         "notify": [caseworker.pk], "holder": "cw_zijin"},
        {"step": "county_supervisor", "days_overdue": 5, "due_on": "2026-09-30",
         "task_kind": "survey", "notify": [supervisor.pk]},
        {"step": "city_staff", "days_overdue": 10, "due_on": "2026-09-30", "task_kind": "survey",
         "notify": [city.pk]},
    ]  # fmt: skip
    events = CaseEvent.objects.filter(case=zijin_case, kind="task_escalated").order_by("pk")
    assert [event.at.astimezone(SHANGHAI).date() for event in events] == [
        D(2026, 9, 30), D(2026, 10, 13), D(2026, 10, 20),
    ]  # fmt: skip
    assert {event.task_id for event in events} == {survey.pk}

    # the supervisor reads the ladder on the case's timeline, in Chinese and in English
    client = login(supervisor)
    page = client.get(reverse("casework:case_detail", args=[zijin_case.pk])).content.decode()
    assert "期限提醒" in page
    assert "入户调查 2026-09-30 到期：已提醒 cw_zijin" in page
    assert "入户调查逾期 5 个工作日（2026-09-30 到期）：已上报县区联络员" in page
    assert "入户调查逾期 10 个工作日（2026-09-30 到期）：已上报市级工作人员" in page
    client.cookies["django_language"] = "en"
    page = client.get(reverse("casework:case_detail", args=[zijin_case.pk])).content.decode()
    assert "Deadline reminder" in page
    assert "Door-to-door survey due on 2026-09-30: reminder to cw_zijin" in page
    assert (
        "Door-to-door survey 5 working days overdue (due on 2026-09-30): reported to the county "
        "supervisor" in page
    )
    assert (
        "Door-to-door survey 10 working days overdue (due on 2026-09-30): reported to city staff"
        in page
    )


def test_an_unclaimed_overdue_task_reaches_its_own_countys_supervisor(
    ladder, zijin_case, longchuan_case, supervisor, other_supervisor, city
):
    survey_due(zijin_case, D(2026, 9, 30))
    survey_due(longchuan_case, D(2026, 9, 30))

    assert run_periodic("2026-09-30") == 2
    (zijin,) = escalations(zijin_case)
    assert (zijin["step"], zijin["notify"], zijin.get("holder")) == (
        "owner", [supervisor.pk], None,
    )  # fmt: skip
    (longchuan,) = escalations(longchuan_case)
    assert longchuan["notify"] == [other_supervisor.pk]

    assert run_periodic("2026-10-13") == 2
    assert escalations(zijin_case)[-1]["notify"] == [supervisor.pk]
    assert escalations(longchuan_case)[-1]["notify"] == [other_supervisor.pk]


def test_a_task_first_seen_twelve_working_days_late_gets_only_the_city_step(
    ladder, zijin_case, caseworker, supervisor, city
):
    survey = survey_due(zijin_case, D(2026, 9, 30), holder=caseworker)

    assert run_periodic("2026-10-22") == 1
    assert escalations(zijin_case) == [
        {"step": "city_staff", "days_overdue": 12, "due_on": "2026-09-30", "task_kind": "survey",
         "notify": [city.pk]},
    ]  # fmt: skip
    # the lower steps count as done and are never sent later
    assert set(TaskEscalation.objects.filter(task=survey).values_list("level", "announced")) == {
        ("owner", False),
        ("county_supervisor", False),
        ("city_staff", True),
    }
    assert run_periodic("2026-10-23") == 0
    assert run_periodic("2027-01-04") == 0


def test_a_task_first_seen_between_steps_gets_the_supervisor_step_then_the_city_step(
    ladder, zijin_case, caseworker, supervisor, city
):
    survey_due(zijin_case, D(2026, 9, 30), holder=caseworker)

    assert run_periodic("2026-10-16") == 1  # 8 working days late
    assert run_periodic("2026-10-20") == 1
    assert [(data["step"], data["days_overdue"]) for data in escalations(zijin_case)] == [
        ("county_supervisor", 8), ("city_staff", 10),
    ]  # fmt: skip


def test_a_finished_task_is_not_escalated(ladder, zijin_case, caseworker, supervisor):
    survey = survey_due(zijin_case, D(2026, 9, 30), holder=caseworker)
    survey.task.status = "DONE"
    survey.task.save(update_fields=["status"])

    assert run_periodic("2026-10-20") == 0
    assert escalations(zijin_case) == []


def test_the_administrator_moves_the_supervisor_step_in_the_admin(
    ladder, login, administrator, zijin_case, caseworker, supervisor
):
    survey_due(zijin_case, D(2026, 9, 30), holder=caseworker)
    step = EscalationStep.objects.get(level="county_supervisor")
    response = login(administrator).post(
        reverse("admin:workflows_escalationstep_change", args=[step.pk]),
        {"level": "county_supervisor", "working_days": "3"},
    )
    assert response.status_code == 302

    # 3 working days after 30 September is the make-up Saturday, 10 October
    assert run_periodic("2026-09-30") == 1
    assert run_periodic("2026-10-09") == 0
    assert run_periodic("2026-10-10") == 1
    assert escalations(zijin_case)[-1]["days_overdue"] == 3


def test_the_steps_are_announced_with_their_recipients_after_commit(
    ladder, zijin_case, caseworker, django_capture_on_commit_callbacks
):
    survey_due(zijin_case, D(2026, 9, 30), holder=caseworker)
    heard = []

    def listen(sender, event, **kwargs):
        heard.append((event.kind, event.data["notify"]))

    case_event_recorded.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert run_periodic("2026-09-30") == 1
    finally:
        case_event_recorded.disconnect(listen)
    assert heard == [("task_escalated", [caseworker.pk])]


def test_celery_beats_entry_takes_the_steps_due_by_the_clock(ladder, zijin_case, caseworker):
    survey_due(zijin_case, D(2026, 9, 30), holder=caseworker)
    with time_machine.travel(datetime.datetime(2026, 10, 13, 9, 0, tzinfo=SHANGHAI), tick=False):
        assert jobs.run_periodic_task()["case_escalations"] == 1
    assert [data["step"] for data in escalations(zijin_case)] == ["county_supervisor"]


def at_nine(day: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(f"{day}T09:00").replace(tzinfo=SHANGHAI)


def test_many_tasks_cost_the_same_queries_as_a_few(
    ladder, zicheng, caseworker, supervisor, city, django_assert_max_num_queries
):
    # 4 to begin with; per step, one read that finds nothing, or per chunk of up to 1,000 tasks
    # 6: the read, the step rows (inserted, then those this run made) and the events
    for _ in range(3):
        survey_due(CaseFactory(region=zicheng), D(2026, 9, 30), holder=caseworker)
    with django_assert_max_num_queries(22):
        assert escalation.case_escalations_run(at_nine("2026-10-13")) == 3
    for _ in range(30):
        survey_due(CaseFactory(region=zicheng), D(2026, 10, 13))
    with django_assert_max_num_queries(22):
        assert escalation.case_escalations_run(at_nine("2026-10-20")) == 33


def test_tasks_are_read_in_chunks_each_taken_once(ladder, zicheng, supervisor, city, monkeypatch):
    monkeypatch.setattr(escalation, "CHUNK", 4)
    for _ in range(10):
        survey_due(CaseFactory(region=zicheng), D(2026, 9, 30))
    assert escalation.case_escalations_run(at_nine("2026-10-13")) == 10
    assert escalation.case_escalations_run(at_nine("2026-10-13")) == 0
    assert TaskEscalation.objects.filter(level="county_supervisor", announced=True).count() == 10
    assert CaseEvent.objects.filter(kind="task_escalated").count() == 10
