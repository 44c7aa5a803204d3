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
    Case,
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
    "closed_reason", "transfers",
}  # fmt: skip
ZICHENG = {"county": "441621", "township": "紫城镇"}


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
    assert row["outreach"] == [{"date": "2026-04-01", **ZICHENG}]
    assert row["benefits"] == [{"kind": "transport", "date": "2026-04-02", **ZICHENG}]
    assert row["trainings"] == [{"kind": "skill", "date": "2026-05-01", "enrolled_on": "2026-04-20",
                                 "completed": True, **ZICHENG}]  # fmt: skip
    assert row["confirmations"] == [{"date": "2026-06-01", **ZICHENG}]
    assert row["transfers"] == []
    assert (row["closed_on"], row["left_list_on"], row["placements"]) == (None, None, [])
    assert ExportLog.objects.filter(kind="ledger").count() == 2


def test_the_case_list_exports_the_ledger_and_records_it(login, supervisor, zicheng):
    CaseFactory(region=zicheng, name="钟导出")
    response = login(supervisor).get(reverse("casework:ledger_export"))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "县（区）" and rows[1][4] == "钟导出"
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
         "place": "龙川县老隆镇工业园", "wage_band": "2000-3000", "county": "441622",
         "township": "老隆镇"},
        {"date": "2026-07-01", "end": None, "employer": "紫金县宝山电子厂", "post": "普工",
         "place": "紫金县紫城镇工业大道8号", "wage_band": "3000-4000", "county": "441621",
         "township": "紫城镇"},
    ]  # fmt: skip
    assert row["follow_ups"] == [
        {"date": "2026-04-30", "status": "lost_job", "work_address": "龙川县老隆镇工业园",
         "wage_band": "2000-3000", "problems": "工厂停产", "help_given": "推荐招聘会",
         "county": "441622", "township": "老隆镇"},
        {"date": "2026-08-03", "status": "still_working",
         "work_address": "紫金县紫城镇工业大道8号", "wage_band": "3000-4000", "problems": "",
         "help_given": "", "county": "441621", "township": "紫城镇"},
    ]  # fmt: skip
    assert row["help"] == [
        {"date": "2026-05-10", "measure": "referral", "note": "南粤春暖招聘会",
         "county": "441622", "township": "老隆镇"},
        {"date": "2026-06-20", "measure": "public_post", "note": "农村保洁岗位",
         "county": "441621", "township": "紫城镇"},
    ]  # fmt: skip

    client = login(caseworker)
    sheet = client.get(reverse("casework:ledger_export"))
    workbook = load_workbook(io.BytesIO(sheet.content))
    header, values = list(workbook.active.iter_rows(values_only=True))
    cells = dict(zip(header, values, strict=True))
    assert cells["帮扶措施"] == (
        "2026-05-10 · 职业介绍或招聘活动 · 南粤春暖招聘会\n"
        "2026-06-20 · 公益性岗位安置 · 农村保洁岗位"
    )
    assert cells["就业情况"].split("\n")[1] == (
        "2026-07-01至今 · 紫金县宝山电子厂 · 普工 · 紫金县紫城镇工业大道8号 · 3000元-4000元"
        " · 紫金县紫城镇"
    )

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


HEADERS = (
    "县（区）", "乡镇（街道）", "村（社区）", "身份证号码", "姓名", "阶段", "识别日期",
    "退出建档立卡名单日期", "结案日期", "结案原因", "阶段变化", "调查日期", "政策宣传", "政策补贴",
    "安置", "培训", "就业情况", "跟踪服务", "帮扶措施", "与扶贫办核对日期",
)  # fmt: skip


def test_the_ledger_workbook_reads_as_people_write_it(login, caseworker, supervisor, zicheng):
    """A supervisor exports the ledger: Chinese headers, the county's and stage's names, one
    row per laborer, a record a line, 是/否 for a completed course; no codes, no JSON."""
    case = CaseFactory(region=zicheng, name="钟台账", id_number="441621198507150029",
                       identified_on=datetime.date(2026, 3, 2))  # fmt: skip
    by = {"recorded_by": caseworker}
    Benefit.objects.create(case=case, kind="transport", on=datetime.date(2026, 4, 2), amount=200,
                           **by)  # fmt: skip
    Outreach.objects.create(case=case, on=datetime.date(2026, 4, 1), **by)
    course = Course.objects.create(
        county=region("紫金县"), name="电工班", kind="skill", trade="electrician",
        provider="技校", starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 5, 30),
        created_by=supervisor,
    )  # fmt: skip
    Enrolment.objects.create(case=case, course=course, enrolled_on=datetime.date(2026, 4, 20),
                             **by)  # fmt: skip
    Assistance.objects.create(case=case, measure="referral", on=datetime.date(2026, 5, 10),
                              note="南粤春暖招聘会", **by)  # fmt: skip
    Case.objects.filter(pk=case.pk).update(
        stage="closed", closed_on=datetime.date(2026, 6, 2), closed_reason="unable_to_work"
    )
    CaseFactory(region=region("紫金县/紫城镇/新联村"), name="黄第二")

    response = login(supervisor).get(reverse("casework:ledger_export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "实名台账"
    assert sheet.column_dimensions["Q"].width >= 40  # 就业情况: a job a line, readable
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == HEADERS
    assert len(rows) == 2  # one row per laborer
    row = dict(zip(header, next(r for r in rows if r[4] == "钟台账"), strict=True))
    assert row == {
        "县（区）": "紫金县", "乡镇（街道）": "紫城镇", "村（社区）": "新联村",
        "身份证号码": "441621********0029", "姓名": "钟台账", "阶段": "已结案",
        "识别日期": "2026-03-02", "退出建档立卡名单日期": None, "结案日期": "2026-06-02",
        "结案原因": "无劳动能力", "阶段变化": "2026-03-02 · 已识别", "调查日期": None,
        "政策宣传": "2026-04-01", "政策补贴": "2026-04-02 · 交通补贴", "安置": None,
        "培训": "2026-05-01 · 技能培训 · 结业：否", "就业情况": None, "跟踪服务": None,
        "帮扶措施": "2026-05-10 · 职业介绍或招聘活动 · 南粤春暖招聘会",
        "与扶贫办核对日期": None,
    }  # fmt: skip


def test_the_ledger_workbook_follows_the_readers_language(login, supervisor, zicheng):
    CaseFactory(region=zicheng, name="钟英文")
    client = login(supervisor)
    client.cookies["django_language"] = "en"
    sheet = load_workbook(io.BytesIO(client.get(reverse("casework:ledger_export")).content)).active
    header, row = list(sheet.iter_rows(values_only=True))
    assert header[:6] == ("county", "township", "village", "ID number", "name", "stage")
    assert (row[0], row[5]) == ("紫金县", "Identified")
