"""Two hosts run the ladder at the same moment on PostgreSQL: every step is taken, and
announced on the timeline, exactly once."""

import datetime
import importlib
import zoneinfo

import pytest
from django.apps import apps
from django.db import connection

from casework.models import CaseEvent, Role
from tests.factories import CaseFactory, region, staff
from tests.workflows.test_concurrency import run_together
from workflows import escalation, services
from workflows.models import CaseTask, EscalationStep, TaskEscalation

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="two connections at once need PostgreSQL"
    ),
]

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def overdue_surveys(db):
    """Forty 紫城镇 surveys due on 30 September 2026, nobody holding them; the default ladder
    (a transactional test starts from empty tables, so it is loaded here)."""
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)
    for level, working_days in (("owner", 0), ("county_supervisor", 5), ("city_staff", 10)):
        EscalationStep.objects.update_or_create(
            level=level, defaults={"working_days": working_days}
        )
    supervisor = staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县")
    village = region("紫金县/紫城镇/新联村")
    for _ in range(40):
        services.case_process_start(case=CaseFactory(region=village))
    CaseTask.objects.update(due_on=datetime.date(2026, 9, 30))
    return supervisor


def test_two_hosts_at_once_take_each_step_once(overdue_surveys, monkeypatch):
    monkeypatch.setattr(escalation, "CHUNK", 7)  # many small transactions that can interleave
    # Tuesday 13 October 2026: 5 working days late, first seen → the supervisor step only
    now = datetime.datetime(2026, 10, 13, 9, 0, tzinfo=SHANGHAI)

    results = run_together(escalation.case_escalations_run, [now, now])

    assert [outcome for outcome, _count in results] == ["ok", "ok"]
    assert sum(count for _outcome, count in results) == 40
    events = CaseEvent.objects.filter(kind="task_escalated")
    assert events.count() == 40
    assert events.values("task").distinct().count() == 40
    assert {tuple(event.data["notify"]) for event in events} == {(overdue_surveys.pk,)}
    assert TaskEscalation.objects.filter(announced=True).count() == 40
    assert run_together(escalation.case_escalations_run, [now, now]) == [("ok", 0), ("ok", 0)]
