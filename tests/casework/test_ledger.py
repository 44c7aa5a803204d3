"""The named ledger (实名台账) and reconciliation rounds with the poverty office."""

import datetime
import io
import json

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import (
    Benefit,
    Confirmation,
    Course,
    Enrolment,
    ExportLog,
    Outreach,
    Reconciliation,
)
from tests.factories import CaseFactory, region
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services

KEYS = {
    "county", "township", "village", "id_number", "name", "stage", "stage_changes",
    "identified_on", "left_list_on", "surveys", "outreach", "benefits", "placements",
    "trainings", "follow_ups", "confirmations", "closed_on", "closed_reason",
}  # fmt: skip


def ledger(*args) -> list[dict]:
    out = io.StringIO()
    call_command("export_ledger", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_ledger_has_one_row_per_laborer_with_every_dated_record(
    login, caseworker, supervisor, zicheng
):
    client = login(caseworker)
    case = CaseFactory(region=zicheng, name="钟台账", identified_on=datetime.date(2026, 3, 2))
    services.case_process_start(case=case)
    client.post(task_url(open_task(case, "survey")), survey_form(case))
    Outreach.objects.create(case=case, on=datetime.date(2026, 4, 1), recorded_by=caseworker)
    Benefit.objects.create(case=case, kind="transport", on=datetime.date(2026, 4, 2),
                           amount=200, recorded_by=caseworker)  # fmt: skip
    course = Course.objects.create(
        county=region("紫金县"), name="电工班", kind="skill", trade="electrician",
        provider="技校", starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 5, 30),
        created_by=supervisor,
    )  # fmt: skip
    Enrolment.objects.create(
        case=case, course=course, enrolled_on=datetime.date(2026, 4, 20),
        completed_on=datetime.date(2026, 5, 30), recorded_by=caseworker,
    )  # fmt: skip
    round_ = Reconciliation.objects.create(
        county=region("紫金县"), held_on=datetime.date(2026, 6, 1), recorded_by=supervisor
    )
    Confirmation.objects.create(reconciliation=round_, case=case, confirmed_by=supervisor,
                                confirmed_on=datetime.date(2026, 6, 1))  # fmt: skip
    CaseFactory(region=region("龙川县/老隆镇/水口村"))
    rows = ledger()
    assert [row["county"] for row in rows] == sorted(row["county"] for row in rows)
    (row,) = ledger("--county", "441621")
    assert set(row) == KEYS
    assert row["id_number"] == case.person.masked_id_number
    assert row["stage"] == "surveyed"
    assert [change["stage"] for change in row["stage_changes"]] == ["identified", "surveyed"]
    assert row["stage_changes"][0]["date"] == "2026-03-02" == row["identified_on"]
    assert row["outreach"] == ["2026-04-01"]
    assert row["benefits"] == [{"kind": "transport", "date": "2026-04-02"}]
    assert row["trainings"] == [{"kind": "skill", "start": "2026-05-01", "completed": True}]
    assert row["confirmations"] == ["2026-06-01"]
    assert (row["closed_on"], row["left_list_on"], row["placements"]) == (None, None, [])
    assert ExportLog.objects.filter(kind="ledger").count() == 2


def test_the_case_list_exports_the_ledger_and_records_it(login, supervisor, zicheng):
    CaseFactory(region=zicheng, name="钟导出")
    response = login(supervisor).get(reverse("casework:ledger_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "county" and rows[1][4] == "钟导出"
    assert ExportLog.objects.get().actor == supervisor


def test_a_reconciliation_round_and_its_export_with_full_ids(
    login, caseworker, supervisor, zicheng
):
    client = login(caseworker)
    case = CaseFactory(region=zicheng)
    services.case_process_start(case=case)
    client.post(task_url(open_task(case, "survey")), survey_form(case, "local"))
    client.post(task_url(open_task(case, "employment")), {
        "started_on": "2026-10-01", "employer": "宝山电子", "location_class": "in_county",
        "form": "employee",
    })  # fmt: skip
    boss = login(supervisor)
    boss.post(reverse("programmes:reconciliations"),
              {"county": region("紫金县").pk, "held_on": "2026-11-20"})  # fmt: skip
    round_ = Reconciliation.objects.get()
    page = reverse("programmes:reconciliation", args=[round_.pk])
    assert case in boss.get(page).context["candidates"]
    boss.post(page, {"on": timezone.localdate().isoformat(), "case": [case.pk]})
    assert list(round_.cases.all()) == [case]
    export = boss.get(reverse("programmes:reconciliation_export", args=[round_.pk]))
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert rows[1][0] == case.person.id_number  # full number for the poverty office
    log = ExportLog.objects.get(kind="reconciliation")
    assert (log.actor, log.full_id_numbers, log.rows) == (supervisor, True, 1)
    # caseworkers see the round but cannot take full ID numbers out
    worker = login(caseworker)
    assert worker.get(page).status_code == 200
    assert (
        worker.get(reverse("programmes:reconciliation_export", args=[round_.pk])).status_code == 403
    )
