"""A case's life through the real pages: queue, survey, help, work, follow-ups, lost job."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework import recording
from casework.models import Case, CaseEvent, Stage, StageChange
from tests.workflows.conftest import fire_follow_up_timer, open_task, survey_form, task_url
from workflows.models import CaseTask

TODAY = timezone.localdate


def stage_of(case):
    return Case.objects.get(pk=case.pk).stage


def test_the_whole_journey_through_the_pages(login, caseworker, started_case):
    case = started_case
    client = login(caseworker)

    # the survey task waits in the queue; the caseworker claims it there
    survey = open_task(case, "survey")
    assert survey in client.get(reverse("workflows:queue")).context["table"].data
    response = client.post(task_url(survey, "claim"), follow=True)
    assert response.status_code == 200
    assert survey in client.get(reverse("workflows:inbox")).context["table"].data
    assert Case.objects.get(pk=case.pk).owner == caseworker

    # the survey: not working → assistance
    response = client.post(task_url(survey), survey_form(case, note="想学厨师"))
    assert response.status_code == 302
    assert stage_of(case) == Stage.SURVEYED
    assistance = open_task(case, "assistance")
    assert assistance.task.owner == caseworker

    # help recorded: the case is assisted and the task stays open
    client.post(task_url(assistance), {"measure": "referral", "on": TODAY().isoformat()})
    assert stage_of(case) == Stage.ASSISTED
    assert open_task(case).pk == assistance.pk

    # work found → employment details → employed, and a monthly follow-up timer
    client.post(task_url(assistance), {"on": TODAY().isoformat(), "found_work": "on"})
    employment = open_task(case, "employment")
    client.post(task_url(employment), {
        "started_on": TODAY().isoformat(), "employer": "紫金县宝山电子厂", "post": "普工",
        "location_class": "in_county", "form": "employee",
    })  # fmt: skip
    assert stage_of(case) == Stage.EMPLOYED
    assert not CaseTask.objects.filter(case=case, task__status__in=["NEW", "ASSIGNED"]).exists()

    # a month later: follow-up, still working → followed up, and the loop goes on
    fire_follow_up_timer(case)
    follow_up = open_task(case, "follow_up")
    assert follow_up.due_on > TODAY()
    client.post(task_url(follow_up), {
        "followed_up_on": TODAY().isoformat(), "status": "still_working", "work_address": "紫城镇",
        "wage_band": "2000-3000", "problems": "通勤远", "help_given": "协调班车",
    })  # fmt: skip
    assert stage_of(case) == Stage.FOLLOWED_UP
    follow_up = case.follow_ups.get()
    assert (follow_up.wage_band, follow_up.work_address, follow_up.help_given) == (
        "2000-3000", "紫城镇", "协调班车",
    )  # fmt: skip

    # next month: lost the job → back to assisted with a new assistance task
    fire_follow_up_timer(case)
    client.post(task_url(open_task(case, "follow_up")), {
        "followed_up_on": TODAY().isoformat(), "status": "lost_job", "problems": "工厂停产",
    })  # fmt: skip
    assert stage_of(case) == Stage.ASSISTED
    assert open_task(case, "assistance").task.owner == caseworker

    transitions = list(StageChange.objects.filter(case=case).values_list("to_stage", flat=True))
    assert transitions == [
        "identified",
        "surveyed",
        "assisted",
        "employed",
        "followed_up",
        "assisted",
    ]
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"claim", "complete"} <= kinds
    # the help is a record of its own, by measure code, dated and placed where it happened
    help_given = case.assistance.get()
    assert (help_given.measure, help_given.on, help_given.county.name) == (
        "referral", TODAY(), "紫金县",
    )  # fmt: skip
    assert client.get(reverse("workflows:archive")).context["table"].paginator.count == 5
    page = client.get(case.get_absolute_url()).content.decode()
    assert "领取了任务" in page  # the timeline shows the claim
    assert case.follow_ups.get(status="lost_job").problems == "工厂停产"


def test_a_survey_finding_work_goes_straight_to_employment(login, caseworker, started_case):
    client = login(caseworker)
    survey = open_task(started_case, "survey")
    client.post(
        task_url(survey),
        survey_form(started_case, "migrant", destination_region="pearl", destination="dongguan"),
    )
    assert stage_of(started_case) == Stage.SURVEYED
    employment = open_task(started_case)
    assert employment.kind == "employment"
    client.post(task_url(employment), {
        "started_on": "2026-03-01", "employer": "东莞市长安五金厂", "location_class": "in_province",
        "form": "employee",
    })  # fmt: skip
    assert stage_of(started_case) == Stage.EMPLOYED


def test_a_task_cannot_be_completed_twice(login, caseworker, started_case):
    client = login(caseworker)
    survey = open_task(started_case, "survey")
    data = survey_form(started_case)
    client.post(task_url(survey), data)
    response = client.post(task_url(survey), data, follow=True)
    assert response.status_code == 200
    assert CaseTask.objects.filter(case=started_case, kind="assistance").count() == 1
    assert started_case.surveys.count() == 1


def test_bad_input_changes_nothing_and_says_why(login, caseworker, started_case):
    client = login(caseworker)
    survey = open_task(started_case, "survey")
    tomorrow = (TODAY() + datetime.timedelta(days=1)).isoformat()
    response = client.post(task_url(survey), {"surveyed_on": tomorrow, "employment_status": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert stage_of(started_case) == Stage.IDENTIFIED


def test_an_illegal_jump_is_refused(login, caseworker, started_case):
    """Help cannot be recorded for a case not yet surveyed: the assistance step is refused."""
    from casework.services import ServiceError

    try:
        recording.assistance_record(case=started_case, actor=caseworker, measure="x", on=TODAY())
    except ServiceError as error:
        assert error.message
    else:
        raise AssertionError("help recorded before the survey")
    assert stage_of(started_case) == Stage.IDENTIFIED


def test_a_caseworker_outside_the_region_cannot_claim_even_by_crafted_post(
    login, zijin_case, started_case
):
    from casework.models import Role
    from tests.factories import staff

    client = login(staff("cw_longwo", Role.CASEWORKER, "紫金县/龙窝镇"))
    survey = open_task(started_case, "survey")
    assert client.post(task_url(survey, "claim")).status_code == 404
    assert client.post(task_url(survey), {"surveyed_on": "2026-01-01"}).status_code == 404
    assert open_task(started_case, "survey").task.owner is None


def test_a_supervisor_may_take_fieldwork_of_the_county_city_staff_may_not(
    login, supervisor, city, started_case
):
    survey = open_task(started_case, "survey")
    watcher = login(city)
    assert watcher.get(task_url(survey)).status_code == 200
    assert watcher.post(task_url(survey, "claim")).status_code == 403
    assert open_task(started_case, "survey").task.owner is None
    login(supervisor).post(task_url(survey, "claim"))
    assert open_task(started_case, "survey").task.owner == supervisor
