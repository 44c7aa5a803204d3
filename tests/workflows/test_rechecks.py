"""The quarterly re-survey: at a quarter's start (Asia/Shanghai) each open, surveyed case gets one,
due on the quarter's last working day; closed, unsurveyed and still-open ones get none."""

import datetime
import importlib
import io
import json
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import IntegrityError, connection, connections, transaction
from django.urls import reverse
from django.utils import timezone, translation

from casework import jobs, recording
from casework.history import event_text
from casework.models import Case, CaseEvent, Role
from casework.services import ServiceError
from notifications.models import Notification
from notifications.wording import notification_text
from tests.factories import CaseFactory, region, staff
from tests.workflows.conftest import fire_follow_up_timer, open_task, survey_form, task_url
from tests.workflows.test_bulk_start import rows_of
from workflows import flows, services
from workflows.models import CaseTask, QuarterlyCheck
from workflows.rechecks import quarter_due_on, rechecks_create

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(*moment):
    """Travel to a moment of Asia/Shanghai's clock (stopped)."""
    return time_machine.travel(datetime.datetime(*moment, tzinfo=SHANGHAI), tick=False)


def surveyed(case, surveyor, on=None):
    """Start the case's process and record its first survey."""
    services.case_process_start(case=case)
    services.task_execute(
        case_task=CaseTask.objects.get(case=case, kind="survey"), actor=surveyor,
        perform=lambda case: recording.survey_submit(
            case=case, actor=surveyor, surveyed_on=on or timezone.localdate(),
            employment_status="farming"),
    )  # fmt: skip
    return Case.objects.get(pk=case.pk)


def resurveys(case):
    return CaseTask.objects.filter(case=case, kind="resurvey")


@pytest.fixture
def town(db):
    """December 2026 in 紫城镇: every kind of case the generator must tell apart."""
    village = region("紫金县/紫城镇/新联村")
    caseworker = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    with at(2026, 10, 12, 10, 0):
        resurvey_open = surveyed(CaseFactory(region=village, name="张志强"), caseworker)
    with at(2026, 11, 2, 9, 0):  # Q4's re-survey, never done
        services.resurvey_start(case=resurvey_open, actor=caseworker)
    with at(2026, 12, 10, 10, 0):
        cases = {
            "owned": surveyed(CaseFactory(region=village, owner=caseworker, name="钟秀英"),
                              caseworker),
            "queued": surveyed(CaseFactory(region=village, name="黄伟明"), caseworker),
            "closed": surveyed(CaseFactory(region=village, name="李国强"), caseworker),
            "never_surveyed": CaseFactory(region=village, name="陈小红"),
            "resurvey_open": resurvey_open,
            "hand_started": surveyed(CaseFactory(region=village, name="刘美玲"), caseworker),
        }  # fmt: skip
        services.case_process_start(case=cases["never_surveyed"])
        # the surveyor became its caseworker; this one's has left, so its work goes to the queue
        Case.objects.filter(pk=cases["queued"].pk).update(owner=None)
        services.case_close_with_tasks(case=cases["closed"], actor=caseworker, reason="moved_away")
    return cases, caseworker


def test_the_quarter_start_gives_each_open_surveyed_case_one_resurvey(town):
    cases, caseworker = town
    with at(2026, 12, 31, 23, 50):
        assert rechecks_create(timezone.now()) == 0  # Q4's were made before these cases
    with at(2027, 1, 1, 0, 5):  # a caseworker starts one by hand before the generator runs
        services.resurvey_start(case=cases["hand_started"], actor=caseworker)
    with at(2027, 1, 1, 0, 10):
        assert rechecks_create(timezone.now()) == 2

    owned, queued = resurveys(cases["owned"]).get(), resurveys(cases["queued"]).get()
    assert owned.due_on == queued.due_on == datetime.date(2027, 3, 31)
    assert (owned.task.status, owned.task.owner) == ("ASSIGNED", caseworker)
    assert (queued.task.status, queued.task.owner) == ("NEW", None)
    assert queued.region_id == cases["queued"].region_id
    assert resurveys(cases["closed"]).count() == 0
    assert resurveys(cases["never_surveyed"]).count() == 0
    # last quarter's open re-survey stays, overdue, and is not doubled
    (kept,) = resurveys(cases["resurvey_open"])
    assert (kept.due_on, kept.task.status) == (datetime.date(2026, 11, 23), "ASSIGNED")
    assert resurveys(cases["hand_started"]).count() == 1
    assert set(
        QuarterlyCheck.objects.filter(quarter=datetime.date(2027, 1, 1)).values_list(
            "case__person__name", "by_hand"
        )
    ) == {("钟秀英", False), ("黄伟明", False), ("刘美玲", True)}


def test_running_again_in_the_quarter_creates_nothing(town):
    cases, caseworker = town
    with at(2027, 1, 1, 0, 10):
        assert rechecks_create(timezone.now()) == 3
    with at(2027, 1, 1, 0, 15):
        assert rechecks_create(timezone.now()) == 0
    # done in February: a later run of the quarter does not start another
    task = resurveys(cases["owned"]).get()
    with at(2027, 2, 3, 10, 0):
        services.resurvey_submit(
            case_task=task, actor=caseworker, surveyed_on=timezone.localdate(),
            employment_status="farming",
        )  # fmt: skip
        assert rechecks_create(timezone.now()) == 0
    assert resurveys(cases["owned"]).count() == 1
    # the next quarter brings the next one
    with at(2027, 4, 1, 8, 0):
        assert rechecks_create(timezone.now()) == 1  # owned; the others are still open
    assert resurveys(cases["owned"]).count() == 2
    assert resurveys(cases["owned"]).order_by("-pk").first().due_on == datetime.date(2027, 6, 30)


def test_a_case_whose_resurvey_from_last_quarter_is_done_late_is_not_given_another(town):
    cases, caseworker = town
    with at(2027, 1, 6, 10, 0):
        services.resurvey_submit(
            case_task=resurveys(cases["resurvey_open"]).get(), actor=caseworker,
            surveyed_on=timezone.localdate(), employment_status="farming",
        )  # fmt: skip
        assert rechecks_create(timezone.now()) == 3
    assert resurveys(cases["resurvey_open"]).count() == 1


def test_a_generated_resurvey_has_the_rows_of_one_started_through_viewflow(db):
    village = region("紫金县/紫城镇/新联村")
    caseworker = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    with at(2026, 12, 10, 10, 0):
        by_api, generated = (
            surveyed(CaseFactory(region=village, owner=caseworker), caseworker) for _ in range(2)
        )
    with at(2027, 1, 1, 0, 5):
        services.resurvey_start(case=by_api, actor=None)
    with at(2027, 1, 1, 0, 10):
        assert rechecks_create(timezone.now()) == 1
    expected, got = rows_of(by_api, flows.ResurveyFlow), rows_of(generated, flows.ResurveyFlow)
    assert expected["case_tasks"][0].pop("due_on") == "2027-01-22"  # 15 working days
    assert got["case_tasks"][0].pop("due_on") == "2027-03-31"  # the quarter's last working day
    assert got == expected


def test_the_generated_resurvey_is_on_the_timeline_and_its_owner_is_told_once(
    town, django_capture_on_commit_callbacks
):
    cases, caseworker = town
    with at(2027, 1, 1, 0, 10), django_capture_on_commit_callbacks(execute=True):
        # the run's clock (`--now`), not the machine's, dates what it tells
        rechecks_create(datetime.datetime(2027, 1, 1, 8, 0, tzinfo=SHANGHAI))
    event = CaseEvent.objects.get(case=cases["owned"], kind="resurvey_start", task__isnull=False)
    assert event.actor is None
    # no message per case: one summary per caseworker
    assert event.data == {"quarter": "2027-01-01", "due_on": "2027-03-31"}
    # the caseworker surveyed 钟秀英 and 刘美玲, so both re-surveys are theirs
    summary = Notification.objects.get(recipient=caseworker)
    assert summary.event is None
    assert timezone.localtime(summary.created_at).isoformat() == "2027-01-01T08:00:00+08:00"
    with translation.override("en"):
        assert notification_text(summary, "en") == (
            "Quarterly re-surveys",
            "2 quarterly re-surveys of 2027 Q1 are in your tasks, due by 2027-03-31.",
        )
    assert notification_text(summary, "zh-hans") == (
        "季度复查",
        "2027年第1季度的复查任务 2 件已列入您的任务，请于2027-03-31前完成。",
    )
    assert Notification.objects.count() == 1  # the queued case's re-survey tells nobody
    with translation.override("en"):
        assert event_text(event) == "Quarterly re-survey of 2027 Q1, due on 2027-03-31"
    with translation.override("zh-hans"):
        assert event_text(event) == "2027年第1季度复查，应于2027-03-31前完成"


def test_the_generated_resurvey_comes_pre_filled_from_the_last_survey(login, db):
    village = region("紫金县/紫城镇/新联村")
    caseworker = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    with at(2026, 11, 20, 10, 0):
        client = login(caseworker)
        case = CaseFactory(region=village, owner=caseworker, name="钟秀英")
        services.case_process_start(case=case)
        data = survey_form(case, training_wish="yes", training_kind="skill", training_trade="cook")
        response = client.post(task_url(open_task(case, "survey")), data)
        assert response.status_code == 302
    with at(2027, 1, 1, 0, 10):
        assert rechecks_create(timezone.now()) == 1
        client = login(caseworker)
        page = client.get(task_url(open_task(case, "resurvey")))
    assert page.status_code == 200
    assert page.context["form"].initial["training_trade"] == "cook"
    assert page.context["form"].initial["wished_location"] == "in_county"


def test_a_second_hand_start_in_the_quarter_is_an_extra_not_the_quarters(town):
    cases, caseworker = town
    with at(2027, 1, 1, 0, 10):
        rechecks_create(timezone.now())
    with at(2027, 1, 5, 9, 0):
        services.resurvey_submit(
            case_task=resurveys(cases["owned"]).get(), actor=caseworker,
            surveyed_on=timezone.localdate(), employment_status="farming",
        )  # fmt: skip
        services.resurvey_start(case=cases["owned"], actor=caseworker)
        with pytest.raises(ServiceError):  # and never two open at once
            services.resurvey_start(case=cases["owned"], actor=caseworker)
    assert resurveys(cases["owned"]).count() == 2
    assert QuarterlyCheck.objects.filter(case=cases["owned"]).count() == 1


def test_the_database_refuses_a_second_claim_of_a_quarter(town):
    cases, _ = town
    QuarterlyCheck.objects.create(case=cases["owned"], quarter=datetime.date(2027, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        QuarterlyCheck.objects.create(case=cases["owned"], quarter=datetime.date(2027, 1, 1))


def test_the_due_date_is_the_quarters_last_working_day_or_its_nth(db, settings):
    assert quarter_due_on(datetime.date(2027, 1, 1)) == datetime.date(2027, 3, 31)  # a Wednesday
    assert quarter_due_on(datetime.date(2026, 10, 1)) == datetime.date(2026, 12, 31)
    assert quarter_due_on(datetime.date(2027, 7, 1)) == datetime.date(2027, 9, 30)
    assert quarter_due_on(datetime.date(2027, 4, 1)) == datetime.date(2027, 6, 30)
    settings.CASEWORK_RESURVEY_DUE = "20"
    # New Year's Day (Fri 2027-01-01) is a holiday: the 20th working day is Fri 2027-01-29
    assert quarter_due_on(datetime.date(2027, 1, 1)) == datetime.date(2027, 1, 29)


def test_run_periodic_at_a_quarter_start_reports_the_resurveys_created(town):
    out = io.StringIO()
    with at(2026, 12, 28, 9, 0):  # the real clock: still Q4; --now moves the project's jobs
        call_command("run_periodic", "--json", "--now", "2027-01-01T08:00", stdout=out)
    counts = json.loads(out.getvalue())
    assert counts["rechecks_created"] == 3
    assert counts["timers_fired"] == 0
    assert QuarterlyCheck.objects.filter(quarter=datetime.date(2027, 1, 1)).count() == 3


def test_the_resurvey_page_starts_one_for_this_quarter(login, town):
    cases, caseworker = town
    with at(2027, 2, 1, 9, 0):
        client = login(caseworker)
        response = client.post(reverse("workflows:case_resurvey", args=[cases["owned"].pk]))
        assert response.status_code == 302
        assert rechecks_create(timezone.now()) == 2  # queued, hand_started; not owned again
    assert QuarterlyCheck.objects.get(case=cases["owned"]).by_hand is True


# --- viewflow's own timers ------------------------------------------------------------------


def test_the_runner_fires_viewflow_timers_on_the_real_clock(town):
    cases, caseworker = town
    case = cases["owned"]
    with at(2026, 12, 11, 10, 0):
        services.place_in_work(
            case=case, actor=caseworker,
            employment={"employer": "紫金县宝山电子厂", "started_on": timezone.localdate(),
                        "location_class": "in_county"},
        )  # fmt: skip
    # --now far ahead does not move viewflow's timer: it waits for the real clock
    counts, failed = jobs.periodic_run(now=datetime.datetime(2027, 6, 1, tzinfo=SHANGHAI))
    assert counts["timers_fired"] == 0 and failed == []
    with at(2027, 1, 5, 8, 30):  # the follow-up opens ten days before it is due (2027-01-11)
        counts, failed = jobs.periodic_run(now=timezone.now())
    assert counts["timers_fired"] == 1 and failed == []
    assert open_task(case, "follow_up").due_on == datetime.date(2027, 1, 11)
    with at(2027, 1, 5, 8, 35):
        counts, _ = jobs.periodic_run(now=timezone.now())
    assert counts["timers_fired"] == 0


def test_the_timer_helper_still_works(town):
    """The tests' shortcut (fire_due_timers) and the runner share the same dispatcher."""
    cases, caseworker = town
    services.place_in_work(
        case=cases["queued"], actor=caseworker,
        employment={"employer": "紫金县宝山电子厂", "started_on": timezone.localdate(),
                    "location_class": "in_county"},
    )  # fmt: skip
    fire_follow_up_timer(cases["queued"])
    assert open_task(cases["queued"], "follow_up")


# --- two generators at once (PostgreSQL) ----------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_generators_at_once_create_one_resurvey_per_open_case(transactional_db):
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)
    village = region("紫金县/紫城镇/新联村")
    caseworker = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    with at(2026, 12, 10, 10, 0):
        open_cases = [surveyed(CaseFactory(region=village), caseworker) for _ in range(30)]
    barrier = threading.Barrier(2)
    results = []

    def generator():
        try:
            barrier.wait()
            results.append(rechecks_create(datetime.datetime(2027, 1, 1, 0, 10, tzinfo=SHANGHAI)))
        except Exception as error:  # noqa: BLE001 - a failure is what the test looks for
            results.append(repr(error))
        finally:
            connections.close_all()

    with at(2027, 1, 1, 0, 10):
        threads = [threading.Thread(target=generator) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert sorted(results, key=str) == [0, 30], results
    for case in open_cases:
        assert resurveys(case).count() == 1
    assert QuarterlyCheck.objects.count() == 30


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_a_hand_start_during_the_generation_leaves_one_resurvey_per_case(transactional_db):
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)
    village = region("紫金县/紫城镇/新联村")
    caseworker = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    with at(2026, 12, 10, 10, 0):
        open_cases = [surveyed(CaseFactory(region=village), caseworker) for _ in range(20)]
    barrier = threading.Barrier(2)
    results = {}

    def generator():
        try:
            barrier.wait()
            results["generated"] = rechecks_create(timezone.now())
        finally:
            connections.close_all()

    def by_hand():
        try:
            barrier.wait()
            services.resurvey_start(case=Case.objects.get(pk=open_cases[7].pk), actor=caseworker)
            results["by_hand"] = "started"
        except ServiceError:
            results["by_hand"] = "refused"
        finally:
            connections.close_all()

    with at(2027, 1, 1, 0, 10):
        threads = [threading.Thread(target=generator), threading.Thread(target=by_hand)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert results in ({"generated": 19, "by_hand": "started"},
                       {"generated": 20, "by_hand": "refused"}), results  # fmt: skip
    for case in open_cases:
        assert resurveys(case).count() == 1
    assert QuarterlyCheck.objects.count() == 20
