"""Every POST endpoint of the URL resolver, as every role: the database changes only where the
role matrix (docs/access.md) says yes.

For each endpoint there is one request that does change the database when a role allowed to
make it sends it (asserted, so the request is a real one); every other role gets 403 (or 404
when the object lies outside its regions, 405 for a page that only reads) and leaves every
table as it was. A GET changes nothing but log rows. A new URL fails
test_every_endpoint_is_in_the_matrix until it is added here.
"""

import datetime
import io

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from casework import audit, exports, history, recording
from casework.models import (
    CaseEvent,
    Course,
    ExportFile,
    LeftListCandidate,
    PublicPost,
    Reconciliation,
    Role,
    RosterImport,
)
from casework.programmes import services as programmes
from notifications.services import notifications_for_event
from reports.models import MonthlyReport, Submission
from reports.periods import Month
from supervision.models import Circular, CountyMonth, Inspection, Interview, SupervisionReport
from tests.factories import CaseFactory, region, staff
from tests.resolver import MATRIX_REQUESTS, named_patterns
from workflows import services as workflow
from workflows.models import CaseTask

# Rows that record reading, not changing: exports, reveals, sessions, the admin's log.
LOG_MODELS = {"casework.exportlog", "sessions.session", "admin.logentry"}

CW, SUP, CITY, ADMIN = "caseworker", "supervisor", "city", "admin"
ELSEWHERE = ("caseworker_elsewhere", "supervisor_elsewhere")  # 紫金县/龙窝镇, 龙川县
ROLES = (CW, SUP, CITY, ADMIN, *ELSEWHERE)
WORKERS = {CW, SUP}
NOBODY: set[str] = set()


# login, logout and the language switch change the session or a cookie, never case data
NOT_DATA = {"login", "logout", "set_language"}


def roster_file():
    book = Workbook()
    sheet = book.active
    sheet.append(["县（区）", "乡镇（街道）", "村（社区）", "姓名", "性别", "身份证号码"])
    sheet.append(["紫金县", "紫城镇", "新联村", "黄新来", "男", "441621198507150029"])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    return buffer


def today():
    return timezone.localdate().isoformat()


# name -> (args from the world, POST data from the world, roles that may, refusal status)
# "refused" is the status a role in scope that may not gets; roles outside the object's
# regions get 404 on pages with an id.
MATRIX = {
    "home": (None, None, NOBODY, 200),
    # an empty form: refused by the form (a real change is one's own password: test_logins)
    "password_change": (None, None, NOBODY, 200),
    "needs": (None, None, NOBODY, 405),
    "casework:case_list": (None, None, NOBODY, 405),
    "casework:case_detail": (lambda w: [w["a"].pk], None, NOBODY, 200),
    "casework:ledger_export": (None, None, NOBODY, 200),
    "casework:registration_conflicts": (None, None, NOBODY, None),
    # finding a case and revealing a number read (a reveal is recorded in the log only)
    "casework:case_find": (None, lambda w: {"id_number": w["a"].person.id_number}, NOBODY, None),
    "casework:case_reveal": (lambda w: [w["a"].pk], lambda w: {"what": "phone"}, NOBODY, None),
    # survey forms (附件2): printing reads; a pre-filled print is recorded in the log only
    "casework:survey_forms": (None, None, NOBODY, 405),
    "casework:survey_form_blank": (None, None, NOBODY, 405),
    "casework:case_survey_form": (lambda w: [w["a"].pk], None, NOBODY, None),
    "casework:village_survey_forms": (None, lambda w: {"village": w["a"].region_id}, NOBODY, None),
    "casework:case_correct_id": (
        lambda w: [w["a"].pk],
        lambda w: {"id_number": "441621199002280519"},
        {SUP},
        403,
    ),
    "casework:case_outreach": (
        lambda w: [w["b"].pk],
        lambda w: {"on": today(), "note": "政策宣传"},
        WORKERS,
        403,
    ),
    "casework:case_benefit": (
        lambda w: [w["b"].pk],
        lambda w: {"kind": "transport", "on": today(), "amount": "200"},
        WORKERS,
        403,
    ),
    # a supervisor of another county imports too: an import of its own, the rows refused
    "casework:import_upload": (
        None,
        lambda w: {"file": roster_file()},
        {SUP, ADMIN, "supervisor_elsewhere"},
        403,
    ),
    "casework:import_detail": (lambda w: [w["import"].pk], None, NOBODY, None),
    "casework:import_progress": (lambda w: [w["import"].pk], None, NOBODY, None),
    "casework:import_confirm": (lambda w: [w["import"].pk], lambda w: {}, {SUP, ADMIN}, 404),
    "casework:import_cancel": (lambda w: [w["import"].pk], lambda w: {}, {SUP, ADMIN}, 404),
    "casework:import_report": (lambda w: [w["import"].pk], None, NOBODY, None),
    "casework:left_list": (None, None, NOBODY, None),
    "casework:left_list_decision": (
        lambda w: [w["candidate"].pk, "dismiss"],
        lambda w: {},
        {SUP},
        403,
    ),
    # ticked candidates: the page listing them changes nothing; its button's POST decides
    "casework:left_list_batch": (
        None,
        lambda w: {"candidate": [w["candidate"].pk], "decision": "dismiss", "confirmed": "yes"},
        {SUP},
        403,
    ),
    "workflows:inbox": (None, None, NOBODY, 405),
    "workflows:queue": (None, None, NOBODY, 405),
    "workflows:archive": (None, None, NOBODY, 405),
    "workflows:overdue": (None, None, NOBODY, None),
    "workflows:team": (None, None, NOBODY, None),
    "workflows:open_tasks": (None, None, NOBODY, None),
    "workflows:reassign": (
        None,
        lambda w: {"to_user": w["colleague"].pk, "scope": "all", "holder": "", "confirmed": "1"},
        {SUP},
        403,
    ),
    # a reassignment's outcome is read from the supervisor's own session (404 for any other key)
    "workflows:reassign_result": (lambda w: ["0" * 32], None, NOBODY, None),
    "workflows:reassign_receipt": (lambda w: ["0" * 32], None, NOBODY, None),
    "workflows:task_detail": (
        lambda w: [w["survey"].pk],
        lambda w: survey_post(w["a"]),
        WORKERS,
        403,
    ),
    "workflows:task_claim": (lambda w: [w["survey"].pk], lambda w: {}, WORKERS, 403),
    "workflows:survey_draft": (
        lambda w: [w["survey"].pk],
        lambda w: {"name": "钟秀英", "note": "草稿"},
        WORKERS,
        403,
    ),
    # only the caseworker holding the task releases or hands it over; the supervisor may hold
    # tasks too, so is refused by the task's state (a message), not by the role
    "workflows:task_release": (lambda w: [w["held"].pk], lambda w: {}, {CW}, 403),
    "workflows:task_hand_over": (
        lambda w: [w["held"].pk],
        lambda w: {"to_user": w["colleague"].pk},
        {CW},
        403,
    ),
    "workflows:task_reassign": (
        lambda w: [w["survey"].pk],
        lambda w: {"to_user": w["colleague"].pk},
        {SUP},
        403,
    ),
    "workflows:case_close": (
        lambda w: [w["b"].pk],
        lambda w: {"reason": "unwilling"},
        WORKERS,
        403,
    ),
    "workflows:case_transfer": (
        lambda w: [w["b"].pk],
        lambda w: {"to_county": w["longchuan"].pk},
        {SUP},
        403,
    ),
    "workflows:case_undo": (lambda w: [w["b"].pk], lambda w: {"reason": "录错"}, {SUP}, 403),
    "workflows:case_resurvey": (lambda w: [w["b"].pk], lambda w: {}, WORKERS, 403),
    "programmes:index": (None, None, NOBODY, 200),
    "programmes:enrolment_complete": (
        lambda w: [w["enrolment"].pk],
        lambda w: {"on": today()},
        WORKERS,
        403,
    ),
    "programmes:reconciliations": (
        None,
        lambda w: {"county": w["zijin"].pk, "held_on": today()},
        {SUP},
        403,
    ),
    "programmes:reconciliation": (
        lambda w: [w["round"].pk],
        lambda w: {"on": today(), "case": [w["c"].pk]},
        {SUP},
        403,
    ),
    "programmes:reconciliation_export": (lambda w: [w["round"].pk], None, NOBODY, None),
    "programmes:list": (
        lambda w: ["posts"],
        lambda w: {
            "county": w["zijin"].pk,
            "name": "保洁员",
            "post_type": "cleaning",
            "positions": 3,
            "employer": "紫城镇政府",
            "monthly_subsidy": "1500",
            "starts_on": today(),
        },
        {SUP},
        403,
    ),  # fmt: skip
    # a programme corrected or closed by the county's supervisor (what changed is logged)
    "programmes:edit": (
        lambda w: ["posts", w["post"].pk],
        lambda w: {
            "name": "护林员",
            "post_type": "forest",
            "positions": 6,
            "employer": "紫金县林业局",
            "monthly_subsidy": "0",
            "starts_on": w["post"].starts_on.isoformat(),
        },
        {SUP},
        403,
    ),  # fmt: skip
    "programmes:close": (lambda w: ["posts", w["post"].pk], lambda w: {}, {SUP}, 403),
    # the contact table (附件3): read by all who work in the county, kept by its supervisor
    "contacts:index": (None, None, NOBODY, 200),
    "contacts:export": (None, None, NOBODY, 405),
    "contacts:county": (lambda w: [w["zijin"].pk], None, NOBODY, 200),
    "contacts:edit": (
        lambda w: [w["zijin"].pk],
        lambda w: {"liaison-name": "陈斌斌", "liaison-mobile": "13812345678"},
        {SUP},
        403,
    ),
    "programmes:detail": (
        lambda w: ["posts", w["post"].pk],
        lambda w: {"on": today(), "case": [w["b"].pk]},
        WORKERS,
        403,
    ),
    # a user's own notifications: another's answers 404 (the world's one is the caseworker's)
    # 附件1 downloads (a county's, the city's totals): read only
    "reports:county_xlsx": (lambda w: [w["zijin"].pk, w["last_month"]], None, NOBODY, 405),
    "reports:county_pdf": (lambda w: [w["zijin"].pk, w["last_month"]], None, NOBODY, 405),
    "reports:city_xlsx": (lambda w: [w["last_month"]], None, NOBODY, 405),
    "reports:city_pdf": (lambda w: [w["last_month"]], None, NOBODY, 405),
    "notifications:centre": (None, None, NOBODY, 405),
    "notifications:read": (lambda w: [w["notification"].pk], lambda w: {}, {CW}, 404),
    "notifications:read_all": (None, lambda w: {}, {CW}, None),
    "notifications:preferences": (
        None,
        lambda w: {"email": "on", "frequency": "daily", "language": "en"},
        set(ROLES),
        None,
    ),
    # the supervision report (督导报告): printed by city staff and administrators (403 to other
    # roles); a report's page and PDF only read (405), and answer 404 to the other roles
    "supervision:report": (None, lambda w: {"period": w["last_month"]}, {CITY, ADMIN}, 403),
    "supervision:report_progress": (lambda w: [w["supervision_report"].pk], None, NOBODY, 405),
    "supervision:report_download": (lambda w: [w["supervision_report"].pk], None, NOBODY, 405),
    # the monthly report: read by supervisors (their county), city staff and administrators;
    # submitted by the county's supervisor, accepted or returned by city staff
    "reports:monthly": (None, None, NOBODY, None),
    "reports:county": (lambda w: [w["zijin"].pk, w["last_month"]], None, NOBODY, None),
    "reports:members": (
        lambda w: [w["zijin"].pk, w["last_month"], "cumulative", "1a"],
        None,
        NOBODY,
        None,
    ),
    "reports:remarks": (
        lambda w: [w["zijin"].pk, w["this_month"]],
        lambda w: {"remarks": "本月无特殊情况"},
        {SUP},
        403,
    ),
    "reports:submit": (
        lambda w: [w["zijin"].pk, w["last_month"]],
        lambda w: {"no_reconciliation_reason": "扶贫办本月未安排核对"},
        {SUP},
        403,
    ),
    "reports:decide": (
        lambda w: [w["zijin"].pk, w["submitted_month"]],
        lambda w: {"accept": "1"},
        {CITY},
        403,
    ),
    # county supervision: read by the monthly reports' readers (their counties; every circular);
    # inspections and interviews recorded by city staff
    "supervision:dashboard": (None, None, NOBODY, None),
    "supervision:year": (None, None, NOBODY, None),
    "supervision:county": (lambda w: [w["zijin"].pk], None, NOBODY, None),
    "supervision:inspection_new": (
        lambda w: [w["zijin"].pk],
        lambda w: {"held_on": today(), "inspectors": "市局督导组", "findings": "台账不全"},
        {CITY},
        403,
    ),
    "supervision:inspection_edit": (
        lambda w: [w["inspection"].pk],
        lambda w: {"held_on": today(), "inspectors": "市局督导组", "findings": "台账已补齐"},
        {CITY},
        403,
    ),
    "supervision:interview": (
        lambda w: [w["interview"].pk],
        lambda w: {"held_on": today(), "attendees": "分管领导", "outcome": "限期整改"},
        {CITY},
        403,
    ),
    "supervision:circulars": (None, None, NOBODY, None),
    "supervision:circular": (lambda w: [w["circular"].pk], None, NOBODY, None),
    "supervision:circular_pdf": (lambda w: [w["circular"].pk], None, NOBODY, 405),
    # the record of processing: read by city staff and administrators only (403 to others)
    "audit": (None, None, NOBODY, 405),
    "audit_export": (None, None, NOBODY, 405),
    # a large export written in the background: its asker's (the supervisor's) alone
    "export_progress": (lambda w: [w["export_file"].pk], None, NOBODY, 405),
    "export_download": (lambda w: [w["export_file"].pk], None, NOBODY, 405),
    "notifications:channels": (
        None,
        lambda w: {
            "county": w["zijin"].pk,
            "wecom_webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=a",
        },
        {CITY, ADMIN},
        403,
    ),
}


# What an id names: a case's record (404 outside its township or village) or a county's (404
# outside the county). Without an id, a user of elsewhere acts on its own regions.
CASE_RECORDS = {
    "casework:case_detail", "casework:case_reveal", "casework:case_correct_id",
    "casework:case_survey_form",
    "casework:case_outreach",
    "casework:case_benefit", "casework:left_list_decision", "casework:left_list_batch",
    "workflows:task_detail",
    "workflows:task_claim", "workflows:survey_draft", "workflows:task_release",
    "workflows:task_hand_over", "workflows:task_reassign", "workflows:case_close",
    "workflows:case_transfer", "workflows:case_undo", "workflows:case_resurvey",
    "programmes:enrolment_complete",
}  # fmt: skip
COUNTY_RECORDS = {
    "casework:import_detail", "casework:import_progress", "casework:import_confirm",
    "casework:import_cancel", "casework:import_report", "programmes:reconciliation",
    "programmes:reconciliation_export", "programmes:detail", "programmes:edit",
    "programmes:close", "contacts:county", "contacts:edit", "reports:county", "reports:members",
    "reports:remarks", "reports:submit", "reports:decide", "supervision:county",
    "supervision:inspection_new", "supervision:inspection_edit", "supervision:interview",
}  # fmt: skip


def survey_post(case) -> dict:
    return {
        "name": case.person.name, "sex": case.person.sex, "surveyed_on": today(),
        "employment_status": "farming", "reasons": ["skills"], "wished_location": "in_county",
        "wished_form": "employee", "training_wish": "no", "startup_wish": "no",
    }  # fmt: skip


ZIJIN = {
    "village": "紫金县/紫城镇/新联村", "township": "紫金县/紫城镇", "county": "紫金县",
    "other_township": "紫金县/龙窝镇", "other_county": "龙川县", "to": "龙川县/老隆镇",
}  # fmt: skip
LONGCHUAN = {
    "village": "龙川县/老隆镇/水口村", "township": "龙川县/老隆镇", "county": "龙川县",
    "other_township": "龙川县/佗城镇", "other_county": "紫金县", "to": "紫金县/紫城镇",
}  # fmt: skip


@pytest.fixture
def world(db):
    return build_world()


def build_world(places: dict = ZIJIN, tag: str = "", circular: bool = True) -> dict:
    """紫金县 (or the county of `places`, usernames ending in `tag`) with: case a (survey task
    open), case b (surveyed, its assistance task held by the caseworker, enrolled in a
    course), case c (placed in the public post today), an import
    waiting for confirmation, a left-list candidate, a public post and a reconciliation round;
    the users of every role."""
    zicheng = region(places["village"])
    users = {
        CW: staff(f"cw{tag}", Role.CASEWORKER, places["township"]),
        SUP: staff(f"sup{tag}", Role.COUNTY_SUPERVISOR, places["county"]),
        CITY: staff(f"city{tag}", Role.CITY_STAFF, "河源市"),
        ADMIN: staff(f"admin{tag}", Role.ADMIN, "河源市"),
        "caseworker_elsewhere": staff(f"cw_longwo{tag}", Role.CASEWORKER,
                                      places["other_township"]),
        "supervisor_elsewhere": staff(f"sup_lc{tag}", Role.COUNTY_SUPERVISOR,
                                      places["other_county"]),
    }  # fmt: skip
    colleague = staff(f"cw2{tag}", Role.CASEWORKER, places["township"])
    a = CaseFactory(region=zicheng, name="钟秀英")
    b = CaseFactory(region=zicheng, name="黄志明")
    for case in (a, b):
        workflow.case_process_start(case=case)
    survey_b = CaseTask.objects.get(case=b, kind="survey")
    workflow.task_execute(case_task=survey_b, actor=users[CW], perform=lambda case: (
        recording.survey_submit(case=case, actor=users[CW], surveyed_on=timezone.localdate(),
                               employment_status="farming", note="")))  # fmt: skip
    held = CaseTask.objects.get(case=b, kind="assistance")
    workflow.task_claim(case_task=held, actor=users[CW])
    county = zicheng.county
    start = timezone.localdate() - datetime.timedelta(days=30)
    course = Course.objects.create(
        county=county, name="电工班", kind="skill", trade="electrician", provider="技校",
        starts_on=start, ends_on=timezone.localdate(), created_by=users[SUP],
    )  # fmt: skip
    enrolment = programmes.enrolment_record(
        case=b, actor=users[SUP], course=course, on=timezone.localdate()
    )
    post = PublicPost.objects.create(
        county=county, name="护林员", post_type="forest", employer="紫金县林业局", positions=5,
        starts_on=start, created_by=users[SUP],
    )  # fmt: skip
    c = CaseFactory(region=zicheng, name="刘春梅")  # placed in the post: in work today
    workflow.case_process_start(case=c)
    workflow.task_execute(
        case_task=CaseTask.objects.get(case=c, kind="survey"), actor=users[CW],
        perform=lambda case: recording.survey_submit(
            case=case, actor=users[CW], surveyed_on=timezone.localdate(),
            employment_status="farming", note=""),
    )  # fmt: skip
    programmes.placement_record(case=c, actor=users[SUP], programme=post, on=timezone.localdate())
    record = RosterImport.objects.create(
        actor=users[SUP], file_name="紫金.xlsx", sha256="0" * 64, county=county, status="preview",
    )  # fmt: skip
    candidate = LeftListCandidate.objects.create(roster_import=record, case=a)
    round_ = Reconciliation.objects.create(
        county=county, held_on=timezone.localdate(), recorded_by=users[SUP]
    )
    reminder = history.case_event_record(
        case=b, kind=CaseEvent.Kind.ASSISTANCE, data={"note": "请跟进", "notify": [users[CW].pk]}
    )
    (notification,) = notifications_for_event(event=reminder)
    this_month = Month.of(timezone.localdate())
    submitted_month = this_month.previous().previous()
    report = MonthlyReport.objects.create(
        county=county,
        month=submitted_month.first,
        status="submitted",
        first_submitted_at=timezone.now(),
    )
    Submission.objects.create(
        report=report,
        submitted_by=users[SUP],
        submitted_at=timezone.now(),
        figures={},
        no_reconciliation_reason="测试",
    )
    export_file = ExportFile.objects.create(
        owner=users[SUP], kind="ledger", params={"query": ""}, filename="ledger.xlsx",
        description="/cases/ledger.xlsx?",
    )  # fmt: skip
    exports.export_file_write(export_file.pk)  # written as the background job writes it
    supervision = supervision_world(county, users[CITY], circular=circular)
    printed = SupervisionReport.objects.create(
        period=str(this_month.previous()), language="zh-hans", requested_by=users[CITY],
        requested_at=timezone.now(), status="done", pdf=b"%PDF-1.7", size=8,
        finished_at=timezone.now(),
    )  # fmt: skip
    return supervision | {
        "supervision_report": printed,
        "this_month": str(this_month), "last_month": str(this_month.previous()),
        "submitted_month": str(submitted_month),
        "users": users, "colleague": colleague, "a": a, "b": b, "c": c, "zijin": county,
        "longchuan": region(places["to"]).county, "survey": CaseTask.objects.get(
            case=a, kind="survey"), "held": held, "enrolment": enrolment, "post": post,
        "import": record, "candidate": candidate, "round": round_, "notification": notification,
        "export_file": export_file,
    }  # fmt: skip


def supervision_world(county, city, circular: bool = True) -> dict:
    """The county's last month on the ladder at the interview level, that month's circular
    naming it, the interview to arrange and an inspection by city staff."""
    now = timezone.now()
    last = Month.of(timezone.localdate()).previous()
    if circular:
        circular = Circular.objects.create(month=last.first, issued_at=now, rows=[{
            "county_id": county.pk, "county": county.name, "code": county.code,
            "reasons": ["late_report"], "report_month": last.previous().first.isoformat(),
            "report_deadline": last.first.isoformat(), "report_submitted_on": None,
            "open_tasks": 4, "overdue_tasks": 1, "overdue_share": 25.0, "level": 3}])  # fmt: skip
    else:  # a month has one circular: the other world's
        circular = Circular.objects.get(month=last.first)
    month = CountyMonth.objects.create(
        county=county, month=last.first, report_late=True, reasons=["late_report"],
        level_before=2, level=3, step="interview", circular=circular, assessed_at=now,
    )  # fmt: skip
    interview = Interview.objects.create(county=county, county_month=month, created_at=now)
    inspection = Inspection.objects.create(
        county=county, held_on=timezone.localdate(), inspectors="市局督导组", findings="台账不全",
        recorded_by=city, recorded_at=now,
    )  # fmt: skip
    return {"circular": circular, "interview": interview, "inspection": inspection}


def snapshot() -> dict:
    """Every row of every table but the logs, to compare before and after a request."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in LOG_MODELS or model._meta.proxy:
            continue
        state[model._meta.label_lower] = sorted(
            (tuple(sorted(row.items())) for row in model.objects.values()), key=repr
        )
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def test_every_endpoint_is_in_the_matrix():
    assert {name for name, _pattern in named_patterns()} - NOT_DATA == set(MATRIX)


@pytest.mark.parametrize("who", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_post_changes_the_database_only_where_the_matrix_says_yes(name, who, world, client):
    args, data, allowed, refused = MATRIX[name]
    url = reverse(name, args=args(world) if args else None)
    user = world["users"][who]
    client.force_login(user)
    before = snapshot()
    recorded = audit_keys(user)
    response = client.post(url, data(world) if data else {})
    count_request()
    changed = changed_tables(before, snapshot())
    if who in allowed:
        assert response.status_code in (200, 302), response.status_code
        assert changed, f"{who} may {name}, but the request changed nothing"
        if name not in OWN_SETTINGS:
            new = audit_keys(user) - recorded
            assert new, f"{who} may {name}, but the record of processing shows nothing new"
            if name in EDITS:
                details = [row.details for row in audit_rows_of(new)]
                assert any(EDITS[name] in text for text in details), details
        return
    assert not changed, f"{who} may not {name}, but it changed {changed}"
    if who in ELSEWHERE:
        if name in CASE_RECORDS or (name in COUNTY_RECORDS and who == "supervisor_elsewhere"):
            assert response.status_code == 404
    elif who == CW and name in NOT_SEEN_BY_CASEWORKERS:
        assert response.status_code == 404
    elif refused is not None and not (who == SUP and name in HELD_BY_ANOTHER):
        assert response.status_code == refused, response.status_code


# a user's own reading state and settings: not processing of anyone's data, not recorded
OWN_SETTINGS = {"notifications:read", "notifications:read_all", "notifications:preferences"}

# edits: the changed field's value before → after, as the record of processing shows it
# (numbers masked, a robot's key shortened)
EDITS = {
    "programmes:edit": ": 5 → 6",
    "contacts:edit": ": — → 陈斌斌",
    "supervision:inspection_edit": ": 台账不全 → 台账已补齐",
    "supervision:interview": ": — → 限期整改",
    "reports:remarks": ": — → 本月无特殊情况",
    "casework:case_correct_id": " → 441621********0519",
    "notifications:channels": ": — → https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…a",
}


def count_request() -> None:
    """Count a request of the generated access matrix (tests/casework/test_access_matrix.py)."""
    MATRIX_REQUESTS[0] += 1


def audit_keys(user) -> set:
    """The records of processing by the user, as (source, pk)."""
    return {(row[0], row[1]) for row in audit.audit_records(audit.Criteria(actor=user.pk))}


def audit_rows_of(keys) -> list:
    return audit.audit_rows(row for row in audit.audit_records() if (row[0], row[1]) in keys)


# a county's monthly report is not among what a caseworker sees (404, as for another county)
NOT_SEEN_BY_CASEWORKERS = {
    "reports:remarks", "reports:submit", "reports:decide", "supervision:inspection_new",
    "supervision:inspection_edit", "supervision:interview",
}  # fmt: skip


# the supervisor may hold tasks, so is refused by the task's holder (a message), not the role
HELD_BY_ANOTHER = {"workflows:task_release", "workflows:task_hand_over"}


@pytest.mark.parametrize("who", ROLES)
def test_get_changes_nothing_but_log_rows(who, world, client):
    client.force_login(world["users"][who])
    before = snapshot()
    for name, (args, *_rest) in MATRIX.items():
        client.get(reverse(name, args=args(world) if args else None))
        count_request()
    assert changed_tables(before, snapshot()) == []
