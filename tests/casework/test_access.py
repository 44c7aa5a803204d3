"""Nobody sees a household outside their regions; a foreign id answers like a missing one."""

import pytest
from django.urls import reverse
from django.urls.converters import IntConverter

from casework.apps import IdConverter
from tests.factories import CaseFactory, region
from tests.resolver import named_patterns


def pages_taking_an_id():
    """Every named URL of the project (admin aside) whose pattern takes an id."""
    for name, pattern in named_patterns():
        if any(isinstance(converter, IdConverter) for converter in pattern.converters.values()):
            yield name


# Every page taking an id: GET or POST, and whether the id is the case's or its task's. A new
# page with an id must be added here, or test_every_page_with_an_id_is_covered fails.
ID_PAGES = {
    "supervision:report_progress": ("get", "supervision_report"),
    "supervision:report_download": ("get", "supervision_report"),
    "export_progress": ("get", "export"),
    "export_download": ("get", "export"),
    "casework:case_detail": ("get", "case"),
    "casework:case_reveal": ("post", "case"),
    "casework:case_survey_form": ("post", "case"),
    "workflows:task_detail": ("get", "task"),
    "workflows:task_claim": ("post", "task"),
    "workflows:task_release": ("post", "task"),
    "workflows:task_hand_over": ("post", "task"),
    "workflows:task_reassign": ("post", "task"),
    "workflows:survey_draft": ("post", "task"),
    "workflows:case_close": ("post", "case"),
    "workflows:case_transfer": ("post", "case"),
    "workflows:case_undo": ("post", "case"),
    "workflows:case_resurvey": ("post", "case"),
    "casework:case_correct_id": ("post", "case"),
    "casework:import_detail": ("get", "import"),
    "casework:import_progress": ("get", "import"),
    "casework:import_confirm": ("post", "import"),
    "casework:import_cancel": ("post", "import"),
    "casework:import_report": ("get", "import"),
    "casework:left_list_decision": ("post", "candidate"),
    "casework:case_outreach": ("post", "case"),
    "casework:case_benefit": ("post", "case"),
    "programmes:detail": ("get", "course"),
    "programmes:edit": ("post", "course"),
    "programmes:close": ("post", "course"),
    "programmes:enrolment_complete": ("post", "enrolment"),
    "programmes:reconciliation": ("get", "round"),
    "programmes:reconciliation_export": ("get", "round"),
    "notifications:read": ("post", "notification"),
    "contacts:county": ("get", "county"),
    "contacts:edit": ("post", "county"),
    "reports:county_xlsx": ("get", "county"),
    "reports:county_pdf": ("get", "county"),
    "reports:county": ("get", "county"),
    "reports:members": ("get", "county"),
    "reports:remarks": ("post", "county"),
    "reports:submit": ("post", "county"),
    "reports:decide": ("post", "county"),
    "supervision:county": ("get", "county"),
    "supervision:inspection_new": ("post", "county"),
    "supervision:inspection_edit": ("get", "inspection"),
    "supervision:interview": ("get", "interview"),
    "supervision:circular": ("get", "circular"),
    "supervision:circular_pdf": ("get", "circular"),
}

# a circular names counties to every county: any county's supervisor reads every one
READ_BY_EVERY_COUNTY = {"circular"}


def request_page(client, page, pk):
    method, _ = ID_PAGES[page]
    args = {
        "casework:left_list_decision": [pk, "confirm"],
        "programmes:detail": ["courses", pk],
        "programmes:edit": ["courses", pk],
        "programmes:close": ["courses", pk],
        "reports:county_xlsx": [pk, "2026-10"],
        "reports:county_pdf": [pk, "2026-10"],
        "reports:county": [pk, "2026-10"],
        "reports:members": [pk, "2026-10", "cumulative", "1a"],
        "reports:remarks": [pk, "2026-10"],
        "reports:submit": [pk, "2026-10"],
        "reports:decide": [pk, "2026-10"],
    }.get(page, [pk])
    data = {"to_user": 1, "reason": "other", "id_number": "441622197803124513"}
    return getattr(client, method)(reverse(page, args=args), data)


def ids_of(case):
    from casework.models import (
        Course,
        Enrolment,
        ExportFile,
        LeftListCandidate,
        Reconciliation,
        RosterImport,
    )
    from notifications.models import Notification
    from supervision.models import Circular, Inspection, Interview, SupervisionReport
    from workflows.models import CaseTask

    record = RosterImport.objects.get(county=case.county)
    return {
        "supervision_report": SupervisionReport.objects.get().pk,
        "case": case.pk,
        "task": CaseTask.objects.get(case=case).pk,
        "import": record.pk,
        "candidate": LeftListCandidate.objects.get(case=case).pk,
        "course": Course.objects.get(county=case.county).pk,
        "enrolment": Enrolment.objects.get(case=case).pk,
        "round": Reconciliation.objects.get(county=case.county).pk,
        "notification": Notification.objects.get(event__case=case).pk,
        "county": case.county_id,
        "inspection": Inspection.objects.get(county=case.county).pk,
        "interview": Interview.objects.get(county=case.county).pk,
        "circular": Circular.objects.get().pk,
        "export": ExportFile.objects.get().pk,
    }


@pytest.fixture
def longchuan_started(longchuan_case, django_user_model):
    """A 龙川县 case with an open task, an import by 龙川县's supervisor, a left-list candidate."""
    from casework.models import LeftListCandidate, Role, RosterImport
    from tests.factories import staff
    from workflows.services import case_process_start

    case_process_start(case=longchuan_case)
    importer = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    record = RosterImport.objects.create(
        actor=importer, file_name="龙川.xlsx", sha256="0" * 64, county=longchuan_case.county,
        status="preview",
    )  # fmt: skip
    LeftListCandidate.objects.create(roster_import=record, case=longchuan_case)
    from casework.models import Course, Enrolment

    course = Course.objects.create(
        county=longchuan_case.county, name="龙川电工班", kind="skill", trade="electrician",
        provider="龙川技校", starts_on="2026-11-01", ends_on="2026-11-30", created_by=importer,
    )  # fmt: skip
    Enrolment.objects.create(
        case=longchuan_case, course=course, enrolled_on="2026-11-02", recorded_by=importer
    )
    from casework.models import Reconciliation

    Reconciliation.objects.create(
        county=longchuan_case.county, held_on="2026-11-03", recorded_by=importer
    )
    from django.utils import timezone

    from supervision.models import SupervisionReport

    # the city's supervision report: every county's figures, read by city staff only
    SupervisionReport.objects.create(
        period="2026-10", language="zh-hans", requested_by=staff("city_printer", Role.CITY_STAFF,
        "河源市"), requested_at=timezone.now(), status="done", pdf=b"%PDF-1.7", size=8,
    )  # fmt: skip
    from casework.history import case_event_record
    from notifications.services import notifications_for_event

    notifications_for_event(event=case_event_record(
        case=longchuan_case, kind="assistance", data={"notify": [importer.pk]}
    ))  # fmt: skip
    from django.utils import timezone

    from supervision.models import Circular, Inspection, Interview

    county, now = longchuan_case.county, timezone.now()
    Circular.objects.create(month="2026-10-01", issued_at=now, rows=[
        {"county_id": county.pk, "county": county.name, "reasons": ["late_report"]}])  # fmt: skip
    Interview.objects.create(county=county, created_at=now)
    Inspection.objects.create(
        county=county, held_on="2026-11-03", inspectors="市局督导组", findings="台账不全",
        recorded_by=importer, recorded_at=now,
    )  # fmt: skip
    # a large export of 龙川县's supervisor: theirs alone
    from casework.models import ExportFile

    ExportFile.objects.create(owner=importer, kind="ledger", filename="ledger.xlsx",
                              description="/cases/ledger.xlsx?", status="done")  # fmt: skip
    return longchuan_case


def test_every_page_with_an_id_is_covered():
    assert set(pages_taking_an_id()) == set(ID_PAGES)
    # ids are `<id:…>`: a number too long for the database is not found, never a 500
    plain = [name for name, pattern in named_patterns()
             if any(isinstance(c, IntConverter) for c in pattern.converters.values())]  # fmt: skip
    assert plain == []


@pytest.mark.parametrize("page", sorted(ID_PAGES))
@pytest.mark.parametrize("who", ["caseworker", "supervisor"])
def test_another_countys_case_answers_404_like_a_missing_id(
    page, who, request, login, longchuan_started
):
    client = login(request.getfixturevalue(who))
    pk = ids_of(longchuan_started)[ID_PAGES[page][1]]
    foreign = request_page(client, page, pk)
    missing = request_page(client, page, pk + 10_000)
    if who == "supervisor" and ID_PAGES[page][1] in READ_BY_EVERY_COUNTY:
        assert (foreign.status_code, missing.status_code) == (200, 404)
        return
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content


CITY_PAGES = sorted(
    page
    for page, (method, kind) in ID_PAGES.items()
    if method == "get" and kind not in ("import", "export")  # an export: its asker's alone
)


@pytest.mark.parametrize("page", CITY_PAGES)
def test_city_staff_open_every_countys_case(page, login, city, longchuan_started):
    client = login(city)
    pk = ids_of(longchuan_started)[ID_PAGES[page][1]]
    assert request_page(client, page, pk).status_code == 200


def test_an_import_is_seen_by_its_county_and_administrators(
    login, administrator, longchuan_started
):
    from casework.models import User

    pk = ids_of(longchuan_started)["import"]
    assert request_page(login(administrator), "casework:import_detail", pk).status_code == 200
    importer = User.objects.get(username="sup_longchuan")
    assert request_page(login(importer), "casework:import_detail", pk).status_code == 200


def test_caseworker_of_another_township_of_the_same_county_gets_404(login, zijin_case):
    from casework.models import Role
    from tests.factories import staff

    client = login(staff("cw_longwo", Role.CASEWORKER, "紫金县/龙窝镇"))
    assert client.get(zijin_case.get_absolute_url()).status_code == 404


def test_village_scoped_caseworker_sees_only_that_village(login, zicheng):
    from casework.models import Role
    from tests.factories import staff

    mine = CaseFactory(region=zicheng)
    neighbour = CaseFactory(region=region("紫金县/紫城镇/上围村"))
    client = login(staff("cw_village", Role.CASEWORKER, "紫金县/紫城镇/新联村"))
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(neighbour.get_absolute_url()).status_code == 404


def test_case_list_holds_only_the_caseworkers_township(login, caseworker, zijin_case):
    CaseFactory(region=region("龙川县/老隆镇/水口村"), name="龙川人")
    CaseFactory(region=region("紫金县/龙窝镇/石坑村"), name="龙窝人")
    response = login(caseworker).get(reverse("casework:case_list"))
    rows = list(response.context["table"].page.object_list.data)
    assert [case.pk for case in rows] == [zijin_case.pk]
    assert "龙川人" not in response.content.decode()


def test_supervisor_list_holds_the_whole_county_only(login, supervisor, zijin_case):
    longwo = CaseFactory(region=region("紫金县/龙窝镇/石坑村"))
    CaseFactory(region=region("龙川县/老隆镇/水口村"))
    response = login(supervisor).get(reverse("casework:case_list"))
    assert {case.pk for case in response.context["table"].data} == {zijin_case.pk, longwo.pk}


def test_a_user_without_regions_sees_nothing(login, zijin_case, django_user_model):
    user = django_user_model.objects.create_user("nobody", password="x-pw-12345")
    response = login(user).get(reverse("casework:case_list"))
    assert response.status_code == 200
    assert len(response.context["table"].data) == 0
    assert login(user).get(zijin_case.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("url", ["/", "/cases/", "/cases/1/", "/admin/casework/region/"])
def test_nothing_is_reachable_without_logging_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].split("?")[0] in ("/accounts/login/", "/admin/login/")


@pytest.mark.parametrize("url", ["/accounts/login/", "/static/casework/casework.css"])
def test_login_and_static_files_need_no_login(client, db, url):
    assert client.get(url).status_code == 200


def test_language_switch_needs_no_login(client, db):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_caseworkers_cannot_open_the_admin(login, caseworker, administrator):
    assert login(caseworker).get("/admin/casework/region/").status_code == 302
    assert login(administrator).get("/admin/casework/region/").status_code == 200
    assert login(administrator).get("/admin/casework/user/").status_code == 200
