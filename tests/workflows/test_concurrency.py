"""Real threads and real transactions on PostgreSQL: one owner, one next task, no fork."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from casework import recording
from casework.models import Role
from casework.services import ServiceError
from tests.factories import CaseFactory, region, staff
from workflows import services
from workflows.models import CaseTask

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="row locks need PostgreSQL (DATABASE_URL)"
    ),
]


def run_together(target, arguments):
    """Start every thread at once; collect what each returned or raised."""
    barrier = threading.Barrier(len(arguments))
    results = [None] * len(arguments)

    def worker(index, argument):
        try:
            barrier.wait()
            results[index] = ("ok", target(argument))
        except ServiceError as error:
            results[index] = ("refused", str(error.message))
        except Exception as error:  # noqa: BLE001 - a server error is what the test looks for
            results[index] = ("error", repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, a)) for i, a in enumerate(arguments)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def setting(db):
    import importlib

    from django.apps import apps

    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)
    village = region("紫金县/紫城镇/新联村")
    workers = [staff(f"cw_{n}", Role.CASEWORKER, "紫金县/紫城镇") for n in range(10)]
    case = CaseFactory(region=village)
    services.case_process_start(case=case)
    return case, workers


def test_ten_caseworkers_claim_one_task_exactly_one_owns_it(setting):
    case, workers = setting
    case_task = CaseTask.objects.get(case=case)
    results = run_together(
        lambda user: services.task_claim(
            case_task=CaseTask.objects.get(pk=case_task.pk), actor=user
        ),
        workers,
    )
    outcomes = [outcome for outcome, _ in results]
    assert outcomes.count("ok") == 1, results
    assert outcomes.count("refused") == 9, results
    assert CaseTask.objects.get(pk=case_task.pk).task.owner in workers


def test_two_submissions_of_one_task_complete_it_once(setting):
    case, workers = setting
    case_task = CaseTask.objects.get(case=case)
    services.task_claim(case_task=case_task, actor=workers[0])

    def submit(_):
        return services.task_execute(
            case_task=CaseTask.objects.get(pk=case_task.pk),
            actor=workers[0],
            perform=lambda case: recording.survey_submit(
                case=case,
                actor=workers[0],
                surveyed_on=timezone.localdate(),
                employment_status="farming",
            ),
        )

    results = run_together(submit, [1, 2])
    assert sorted(outcome for outcome, _ in results) == ["ok", "refused"], results
    assert CaseTask.objects.filter(case=case, kind="assistance").count() == 1
    assert case.surveys.count() == 1


@pytest.mark.parametrize("request_kind", ["closing", "resurvey", "transfer"])
def test_two_requests_at_once_start_one_process(setting, request_kind):
    """A closing, re-survey or transfer request is open once per case, whoever asks at once."""
    from casework.models import Case
    from workflows import flows

    case, workers = setting
    services.task_execute(
        case_task=CaseTask.objects.get(case=case), actor=workers[0],
        perform=lambda case: recording.survey_submit(
            case=case, actor=workers[0], surveyed_on=timezone.localdate(),
            employment_status="farming",
        ),
    )  # fmt: skip
    boss = staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县")
    longchuan = region("龙川县/老隆镇").county
    start, flow = {
        "closing": (lambda user: services.closing_request(
            case=Case.objects.get(pk=case.pk), actor=user, reason="unwilling"),
            flows.ClosingFlow),
        "resurvey": (lambda user: services.resurvey_start(
            case=Case.objects.get(pk=case.pk), actor=user), flows.ResurveyFlow),
        "transfer": (lambda user: services.transfer_request(
            case=Case.objects.get(pk=case.pk), actor=user, to_county=longchuan),
            flows.TransferFlow),
    }[request_kind]  # fmt: skip
    askers = [boss, boss] if request_kind == "transfer" else workers[:2]
    results = run_together(start, askers)
    assert sorted(outcome for outcome, _ in results) == ["ok", "refused"], results
    assert (
        flow.process_class.objects.filter(flow_class=flow, artifact_object_id=case.pk).count() == 1
    )
