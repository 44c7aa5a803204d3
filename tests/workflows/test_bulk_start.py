"""The bulk starter writes exactly the rows of viewflow's start API, for many cases at once."""

import datetime

from django.contrib.contenttypes.models import ContentType
from viewflow.workflow.models import Process, Task

from casework import recording
from casework.models import Case, Role
from tests.factories import CaseFactory, region, staff
from workflows import flows, services
from workflows.models import CaseTask

VOLATILE = {"id", "created", "started", "finished", "assigned", "process_id", "artifact_object_id"}


def rows_of(case, flow=flows.CaseFlow):
    """Every row of the case's process of that flow, without ids and clock times."""
    process = Process.objects.get(
        artifact_content_type=ContentType.objects.get_for_model(Case), artifact_object_id=case.pk,
        flow_class=flow,
    )  # fmt: skip
    fields = lambda obj: {  # noqa: E731
        f.attname: str(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.attname not in VOLATILE
    }
    tasks = list(Task.objects.filter(process=process).order_by("pk"))
    return {
        "process": fields(process),
        "tasks": [fields(task) for task in tasks],
        "links": [[tasks.index(prev) for prev in task.previous.all()] for task in tasks],
        "case_tasks": [
            {k: v for k, v in fields(ct).items() if k not in {"task_id", "case_id"}}
            for ct in CaseTask.objects.filter(task__process=process).order_by("pk")
        ],
        "has_started": [task.started is not None for task in tasks],
        "has_finished": [task.finished is not None for task in tasks],
    }


def test_bulk_start_writes_the_same_rows_as_the_api(db):
    village = region("紫金县/紫城镇/新联村")
    owner = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    default = staff("cw_default", Role.CASEWORKER, "紫金县/紫城镇")
    other = region("紫金县/紫城镇/上围村")
    other.default_caseworker = default
    other.save()

    identified_on = datetime.date(2026, 9, 25)
    made = [
        tuple(CaseFactory(region=at, owner=by, identified_on=identified_on) for _ in range(2))
        for at, by in [(village, None), (village, owner), (other, owner)]
    ]
    for by_api, _ in made:
        services.case_process_start(case=by_api)
    started = services.cases_start_bulk(cases=Case.objects.filter(pk__in=[b.pk for _, b in made]))
    assert started == 3
    for by_api, by_bulk in made:
        assert rows_of(by_bulk) == rows_of(by_api)
    # and the bulk-started processes run on like any other
    survey = CaseTask.objects.get(case=made[1][1])
    assert survey.task.owner == owner
    services.task_execute(
        case_task=survey,
        actor=owner,
        perform=lambda case: recording.survey_submit(
            case=case,
            actor=owner,
            surveyed_on=datetime.date(2026, 10, 1),
            employment_status="farming",
        ),
    )
    assert CaseTask.objects.filter(case=made[1][1], kind="assistance").exists()


def test_bulk_start_of_resurveys_writes_the_same_rows_as_the_api(db):
    village = region("紫金县/紫城镇/新联村")
    owner = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    gone = staff("cw_gone", Role.CASEWORKER, "紫金县/紫城镇")
    made = [
        tuple(CaseFactory(region=village, owner=by) for _ in range(2)) for by in (owner, gone, None)
    ]
    gone.is_active = False
    gone.save()
    for by_api, _ in made:
        services.case_process_start(case=by_api)
    services.cases_start_bulk(cases=[bulk for _, bulk in made])
    for pair in made:
        for case in pair:
            services.task_execute(
                case_task=CaseTask.objects.get(case=case, kind="survey"), actor=owner,
                perform=lambda case: recording.survey_submit(
                    case=case, actor=owner, surveyed_on=case.identified_on,
                    employment_status="farming"),
            )  # fmt: skip
    for by_api, _ in made:
        services.resurvey_start(case=Case.objects.get(pk=by_api.pk), actor=None)
    started = services.cases_start_bulk(
        cases=Case.objects.filter(pk__in=[b.pk for _, b in made]), flow=flows.ResurveyFlow
    )
    assert started == 3
    for by_api, by_bulk in made:
        assert rows_of(by_bulk, flows.ResurveyFlow) == rows_of(by_api, flows.ResurveyFlow)
    assert CaseTask.objects.get(case=made[0][1], kind="resurvey").task.owner == owner
