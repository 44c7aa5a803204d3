"""The named ledger (实名台账) and reconciliation rounds with the poverty office."""

import datetime
import io
import json

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.models import (
    Assistance,
    Benefit,
    Confirmation,
    Course,
    Employment,
    Enrolment,
    ExportLog,
    FollowUp,
    Outreach,
    Reconciliation,
    Transfer,
)
from tests.factories import CaseFactory, region
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services

KEYS = {
    "county", "township", "village", "id_number", "name", "stage", "stage_changes",
    "identified_on", "left_list_on", "surveys", "outreach", "benefits", "placements",
    "trainings", "employments", "follow_ups", "help", "confirmations", "closed_on",
    "closed_reason",
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


def test_work_follow_ups_and_help_in_the_ledger_and_on_the_case_page(login, caseworker, zicheng):
    """Each record shows where the case was on its date: the laborer came from 龙川县 on
    2026-06-01, so what happened before counts for 老隆镇, what happened after for 紫城镇."""
    case = CaseFactory(region=zicheng, name="钟就业", identified_on=datetime.date(2026, 1, 5))
    Transfer.objects.create(
        case=case, on=datetime.date(2026, 6, 1), from_county=region("龙川县"),
        from_township=region("龙川县/老隆镇"), to_county=region("紫金县"),
        to_township=region("紫金县/紫城镇"),
    )  # fmt: skip
    by = {"recorded_by": caseworker}
    Employment.objects.create(
        case=case, started_on=datetime.date(2025, 11, 1), ended_on=datetime.date(2026, 4, 30),
        employer="老隆制衣厂", post="车位工", place="龙川县老隆镇工业园", wage_band="2000-3000",
        form="employee", **by,
    )  # fmt: skip
    Employment.objects.create(
        case=case, started_on=datetime.date(2026, 7, 1), employer="紫金县宝山电子厂",
        post="普工", place="紫金县紫城镇工业大道8号", wage_band="3000-4000", form="employee",
        **by,
    )  # fmt: skip
    FollowUp.objects.create(
        case=case, followed_up_on=datetime.date(2026, 4, 30), status="lost_job",
        work_address="龙川县老隆镇工业园", wage_band="2000-3000", problems="工厂停产",
        help_given="推荐招聘会", **by,
    )  # fmt: skip
    FollowUp.objects.create(
        case=case, followed_up_on=datetime.date(2026, 8, 3), status="still_working",
        work_address="紫金县紫城镇工业大道8号", wage_band="3000-4000", **by,
    )  # fmt: skip
    Assistance.objects.create(case=case, measure="referral", on=datetime.date(2026, 5, 10),
                              note="南粤春暖招聘会", **by)  # fmt: skip
    Assistance.objects.create(case=case, measure="public_post", on=datetime.date(2026, 6, 20),
                              note="农村保洁岗位", **by)  # fmt: skip

    (row,) = ledger("--county", "441621")
    assert set(row) == KEYS
    assert row["employments"] == [
        {"date": "2025-11-01", "end": "2026-04-30", "employer": "老隆制衣厂", "post": "车位工",
         "place": "龙川县老隆镇工业园", "wage_band": "2000-3000", "county": "龙川县",
         "township": "老隆镇"},
        {"date": "2026-07-01", "end": None, "employer": "紫金县宝山电子厂", "post": "普工",
         "place": "紫金县紫城镇工业大道8号", "wage_band": "3000-4000", "county": "紫金县",
         "township": "紫城镇"},
    ]  # fmt: skip
    assert row["follow_ups"] == [
        {"date": "2026-04-30", "status": "lost_job", "work_address": "龙川县老隆镇工业园",
         "wage_band": "2000-3000", "problems": "工厂停产", "help_given": "推荐招聘会",
         "county": "龙川县", "township": "老隆镇"},
        {"date": "2026-08-03", "status": "still_working",
         "work_address": "紫金县紫城镇工业大道8号", "wage_band": "3000-4000", "problems": "",
         "help_given": "", "county": "紫金县", "township": "紫城镇"},
    ]  # fmt: skip
    assert row["help"] == [
        {"date": "2026-05-10", "measure": "referral", "note": "南粤春暖招聘会",
         "county": "龙川县", "township": "老隆镇"},
        {"date": "2026-06-20", "measure": "public_post", "note": "农村保洁岗位",
         "county": "紫金县", "township": "紫城镇"},
    ]  # fmt: skip

    client = login(caseworker)
    sheet = client.get(reverse("casework:ledger_export"))
    workbook = load_workbook(io.BytesIO(sheet.content))
    header, values = list(workbook.active.iter_rows(values_only=True))
    cells = dict(zip(header, values, strict=True))
    assert json.loads(cells["help"])[0]["note"] == "南粤春暖招聘会"
    assert json.loads(cells["employments"])[1]["employer"] == "紫金县宝山电子厂"

    page = client.get(case.get_absolute_url()).content.decode()
    for text in [
        # the jobs, the earlier one ended, the current one open
        "2025-11-01", "2026-04-30", "老隆制衣厂", "车位工", "龙川县老隆镇工业园", "2000元-3000元",
        "2026-07-01", "紫金县宝山电子厂", "目前在职", "3000元-4000元",
        # the follow-ups
        "2026-08-03", "已失业", "仍在岗", "工厂停产", "推荐招聘会",
        # the help
        "2026-05-10", "职业介绍或招聘活动", "南粤春暖招聘会", "2026-06-20", "公益性岗位安置",
    ]:  # fmt: skip
        assert text in page, text
    assert case.person.masked_id_number in page and case.person.id_number not in page
