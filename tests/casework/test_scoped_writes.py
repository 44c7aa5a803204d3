"""A county's writes stay in the county: roster imports and ID corrections never reach, name or
link a case of another county; lists of cases and tasks hold only the user's regions."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework import recording
from casework.models import Case, Person, RegistrationConflict, Role, RosterImport
from tests.factories import CaseFactory, region, staff
from tests.rosters import person, write_xlsx
from workflows import services as workflow
from workflows.models import CaseTask

LONGCHUAN_NUMBER = "441622197803124513"  # the longchuan_case fixture's, valid (check digit 3)


def upload(client, path):
    with open(path, "rb") as handle:
        client.post(reverse("casework:import_upload"), {"file": handle})
    return RosterImport.objects.latest("pk")


def test_a_zijin_import_naming_a_longchuan_laborer_changes_nothing_and_names_no_county(
    login, supervisor, city, longchuan_case, tmp_path
):
    before = Person.objects.values().get(pk=longchuan_case.person_id)
    rows = [
        person(1),
        person(
            2, 姓名="改过的名字", 身份证号码=LONGCHUAN_NUMBER, 性别="男", 联系电话="13912345678"
        ),
    ]
    client = login(supervisor)
    record = upload(client, write_xlsx(tmp_path / "紫金县.xlsx", rows))
    assert (record.status, record.created, record.updated, record.rejected) == (
        "preview", 1, 0, 1,
    )  # fmt: skip
    assert record.report["rejected"][0]["codes"] == ["registered_elsewhere"]
    page = client.get(record.get_absolute_url()).content.decode()
    # the reason in words (the row report keeps the code)
    assert "此身份证号码已在其他区域登记；请联系市级部门安排转移个案。" in page
    assert "龙川" not in page and longchuan_case.get_absolute_url() not in page

    client.post(reverse("casework:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert (record.status, record.created, record.updated) == ("done", 1, 0)
    assert Person.objects.values().get(pk=longchuan_case.person_id) == before
    assert Case.objects.get(pk=longchuan_case.pk).county.name == "龙川县"
    report = client.get(reverse("casework:import_report", args=[record.pk]))
    cells = [
        str(value) for sheet in load_workbook(io.BytesIO(report.content)).worksheets
        for row in sheet.iter_rows(values_only=True) for value in row
    ]  # fmt: skip
    assert "registered_elsewhere" in cells and not any("龙川" in cell for cell in cells)

    # the city sees the conflict and can arrange the transfer; the county cannot open the list
    conflict = RegistrationConflict.objects.get()
    assert (conflict.case_id, conflict.county.name, conflict.row) == (
        longchuan_case.pk, "紫金县", 4,  # a title row, the header, then the rows
    )  # fmt: skip
    listing = login(city).get(reverse("casework:registration_conflicts"))
    assert longchuan_case.get_absolute_url() in listing.content.decode()
    assert login(supervisor).get(reverse("casework:registration_conflicts")).status_code == 403


def test_a_conflict_leaves_the_citys_list_once_the_case_has_moved(
    login, supervisor, city, longchuan_case, tmp_path
):
    rows = [person(2, 身份证号码=LONGCHUAN_NUMBER, 性别="男")]
    upload(login(supervisor), write_xlsx(tmp_path / "紫金县.xlsx", rows))
    assert RegistrationConflict.objects.count() == 1
    Case.objects.filter(pk=longchuan_case.pk).update(
        county=region("紫金县/紫城镇").county, township=region("紫金县/紫城镇"),
        region=region("紫金县/紫城镇"),
    )  # fmt: skip
    listing = login(city).get(reverse("casework:registration_conflicts")).content.decode()
    assert longchuan_case.get_absolute_url() not in listing


def test_a_city_wide_import_may_update_any_county(db, administrator, longchuan_case, tmp_path):
    from casework.roster import roster_import

    rows = [person(2, county="龙川县", 姓名="刘建国", 身份证号码=LONGCHUAN_NUMBER, 性别="男",
                   联系电话="13912345678")]  # fmt: skip
    record, plan = roster_import(path=write_xlsx(tmp_path / "全市.xlsx", rows), actor=administrator)
    assert (record.updated, record.rejected) == (1, 0)
    assert Person.objects.get(pk=longchuan_case.person_id).phone == "13912345678"


def test_an_id_correction_never_merges_into_another_countys_case(
    login, supervisor, zijin_case, longchuan_case
):
    client = login(supervisor)
    response = client.post(
        reverse("casework:case_correct_id", args=[zijin_case.pk]),
        {"id_number": LONGCHUAN_NUMBER}, follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == zijin_case.get_absolute_url()
    assert [str(message) for message in response.context["messages"]] == [
        "此身份证号码已在其他区域登记；请联系市级部门安排转移个案。"
    ]
    assert longchuan_case.get_absolute_url() not in response.content.decode()
    assert Case.objects.get(pk=zijin_case.pk).merged_into_id is None
    assert Case.objects.get(pk=longchuan_case.pk).person.id_number == LONGCHUAN_NUMBER


def test_an_id_correction_merges_within_the_county(login, supervisor, zicheng):
    wrong = CaseFactory(region=zicheng, id_number="441621198507150029")
    right = CaseFactory(region=region("紫金县/龙窝镇/石坑村"), id_number="441621199002280519")
    url = reverse("casework:case_correct_id", args=[wrong.pk])
    preview = login(supervisor).post(url, {"id_number": right.person.id_number})
    assert preview.status_code == 200 and Case.objects.get(pk=wrong.pk).merged_into_id is None
    response = login(supervisor).post(url, {"merge_into": right.pk})
    assert response.url == right.get_absolute_url()
    assert Case.objects.get(pk=wrong.pk).merged_into_id == right.pk


# --- lists hold the user's regions only ------------------------------------------------------


@pytest.fixture
def two_townships(zicheng, supervisor):
    """A course, a public post and a reconciliation round of 紫金县 with laborers of 紫城镇 and
    龙窝镇, each enrolled, placed and confirmed."""
    from casework.models import Course, PublicPost, Reconciliation
    from casework.programmes import services as programmes

    longwo = region("紫金县/龙窝镇/石坑村")
    mine = CaseFactory(region=zicheng, name="紫城人", identified_on=date(2026, 10, 1))
    theirs = CaseFactory(region=longwo, name="龙窝人", identified_on=date(2026, 10, 1))
    county = zicheng.county
    course = Course.objects.create(
        county=county, name="电工班", kind="skill", trade="electrician", provider="技校",
        starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30), created_by=supervisor,
    )  # fmt: skip
    post = PublicPost.objects.create(
        county=county, name="护林员", post_type="forest", employer="紫金县林业局", positions=5,
        starts_on=date(2026, 1, 1), created_by=supervisor,
    )  # fmt: skip
    round_ = Reconciliation.objects.create(county=county, held_on=date(2026, 11, 3),
                                           recorded_by=supervisor)  # fmt: skip
    for case in (mine, theirs):
        workflow.case_process_start(case=case)
        survey = CaseTask.objects.get(case=case, kind="survey")
        workflow.task_execute(case_task=survey, actor=supervisor, perform=lambda c: (
            recording.survey_submit(case=c, actor=supervisor, surveyed_on=date(2026, 11, 2),
                                   employment_status="farming", note="")))  # fmt: skip
        programmes.enrolment_record(
            case=case, actor=supervisor, course=course, on=date(2026, 11, 2)
        )
        programmes.placement_record(
            case=case, actor=supervisor, programme=post, on=date(2026, 11, 4)
        )
        programmes.reconciliation_confirm(
            reconciliation=round_, actor=supervisor, cases=[case], on=date(2026, 11, 4)
        )
    return {"course": course, "post": post, "round": round_}


def test_a_caseworker_sees_only_the_own_townships_laborers_on_programme_pages(
    login, caseworker, two_townships
):
    client = login(caseworker)
    pages = [
        reverse("programmes:detail", args=["courses", two_townships["course"].pk]),
        reverse("programmes:detail", args=["posts", two_townships["post"].pk]),
        reverse("programmes:reconciliation", args=[two_townships["round"].pk]),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert "紫城人" in body, url
        assert "龙窝人" not in body, url


def test_a_transferred_case_leaves_the_caseworkers_archive(login, caseworker, supervisor, zicheng):
    zijin_case = CaseFactory(region=zicheng, name="钟秀英", identified_on=date(2026, 10, 1))
    workflow.case_process_start(case=zijin_case)
    survey = CaseTask.objects.get(case=zijin_case, kind="survey")
    workflow.task_execute(case_task=survey, actor=caseworker, perform=lambda c: (
        recording.survey_submit(case=c, actor=caseworker, surveyed_on=date(2026, 11, 2),
                               employment_status="farming", note="")))  # fmt: skip
    client = login(caseworker)
    assert "钟秀英" in client.get(reverse("workflows:archive")).content.decode()

    laolong = region("龙川县/老隆镇/水口村")
    receiver = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    workflow.transfer_request(case=zijin_case, actor=supervisor, to_county=laolong.county)
    acceptance = CaseTask.objects.get(case=zijin_case, kind="transfer_acceptance")
    workflow.transfer_decide(case_task=acceptance, actor=receiver, accept=True, region=laolong)

    assert "钟秀英" not in client.get(reverse("workflows:archive")).content.decode()
    assert "钟秀英" not in client.get(reverse("workflows:inbox")).content.decode()
    assert client.get(reverse("workflows:task_detail", args=[survey.pk])).status_code == 404
