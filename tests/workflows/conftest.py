import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task
from viewflow.workflow.timers import fire_due_timers

from casework.models import Role
from tests.factories import CaseFactory, staff
from workflows import services
from workflows.models import CaseTask


@pytest.fixture
def colleague(db):
    return staff("cw_zijin2", Role.CASEWORKER, "紫金县/紫城镇")


@pytest.fixture
def other_supervisor(db):
    return staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")


@pytest.fixture
def started_case(zicheng):
    """A new 紫城镇 case whose survey task waits in the queue."""
    case = CaseFactory(region=zicheng, name="钟秀英")
    services.case_process_start(case=case)
    return case


def open_task(case, kind=None) -> CaseTask:
    tasks = CaseTask.objects.filter(case=case, task__status__in=["NEW", "ASSIGNED"])
    if kind:
        tasks = tasks.filter(kind=kind)
    (task,) = tasks
    return task


def task_url(case_task, action=None):
    if action is None:
        return reverse("workflows:task_detail", args=[case_task.pk])
    return reverse(f"workflows:task_{action}", args=[case_task.pk])


def fire_follow_up_timer(case):
    """Let a month pass: the follow-up timer becomes due and fires."""
    timer = Task.objects.get(
        process__artifact_object_id=case.pk, flow_task_type="TIMER", status="SCHEDULED"
    )
    timer.scheduled = timezone.now() - datetime.timedelta(minutes=1)
    timer.save(update_fields=["scheduled"])
    assert fire_due_timers() == 1


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def survey_form(case, status="farming", **extra) -> dict:
    """A valid 附件2 survey POST for a case: working, or not working with wishes."""
    today = timezone.localdate().isoformat()
    data = {
        "name": case.person.name,
        "sex": case.person.sex,
        "surveyed_on": today,
        "employment_status": status,
    }
    if status in ("migrant", "local"):
        data.update(
            location_class="in_county", employment_form="employee", income_band="2000-3000",
            employer_post="紫金县宝山电子厂 普工", work_started_on=today,
        )  # fmt: skip
    else:
        data.update(
            reasons=["skills"], wished_location="in_county", wished_form="employee",
            training_wish="no", startup_wish="no",
        )  # fmt: skip
    data.update(extra)
    return data
