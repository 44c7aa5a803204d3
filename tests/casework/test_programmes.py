"""Programmes through their pages: placing laborers, enrolling them, outreach and benefits."""

import datetime

import pytest
from django.urls import reverse

from casework.models import Case, Course, Placement, PublicPost, RecruitmentEvent, Stage, Workshop
from tests.factories import CaseFactory, region
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services

TODAY = datetime.date.today


def surveyed_case(client, village, **answers):
    case = CaseFactory(region=village, identified_on=datetime.date(2026, 9, 1))
    services.case_process_start(case=case)
    client.post(task_url(open_task(case, "survey")), survey_form(case, **answers))
    return case


def test_a_supervisor_adds_a_public_post_and_places_laborers(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    ready = surveyed_case(worker, zicheng)
    unsurveyed = CaseFactory(region=zicheng)
    services.case_process_start(case=unsurveyed)
    boss = login(supervisor)
    response = boss.post(reverse("programmes:list", args=["posts"]), {
        "county": region("紫金县").pk, "name": "紫城镇农村保洁", "post_type": "cleaning",
        "positions": 10, "employer": "紫城镇人民政府", "monthly_subsidy": "1500",
        "starts_on": TODAY().isoformat(),
    })  # fmt: skip
    post = PublicPost.objects.get()
    assert response.status_code == 302
    detail = reverse("programmes:detail", args=["posts", post.pk])
    candidates = [case.pk for case in boss.get(detail).context["candidates"]]
    assert ready.pk in candidates and unsurveyed.pk not in candidates
    boss.post(detail, {"on": TODAY().isoformat(), "case": [ready.pk, unsurveyed.pk]})
    ready = Case.objects.get(pk=ready.pk)
    assert ready.stage == Stage.EMPLOYED
    placement = Placement.objects.get(case=ready)
    assert (placement.kind, placement.public_post, placement.employment.form) == (
        "public_post", post, "public_post",
    )  # fmt: skip
    assert Case.objects.get(pk=unsurveyed.pk).stage == Stage.IDENTIFIED  # not a candidate


def test_an_unsurveyed_case_cannot_be_placed_and_is_told_why(
    login, supervisor, caseworker, zicheng
):
    from casework.programmes.services import placement_record
    from casework.services import ServiceError

    workshop = Workshop.objects.create(
        county=region("紫金县"), name="紫城扶贫车间", township=region("紫金县/紫城镇"),
        enterprise="宝山电子", founded_on=TODAY(), created_by=supervisor,
    )  # fmt: skip
    case = CaseFactory(region=zicheng, name="钟未调查")
    services.case_process_start(case=case)
    try:
        placement_record(case=case, actor=caseworker, programme=workshop, on=TODAY())
    except ServiceError as error:
        assert "钟未调查" in str(error.message) and "调查" in str(error.message)
    else:
        raise AssertionError("an unsurveyed case was placed")
    assert not Placement.objects.exists()


def test_enrolment_and_completion_of_a_course(login, caseworker, supervisor, zicheng):
    worker = login(caseworker)
    case = surveyed_case(worker, zicheng, training_wish="yes", training_kind="skill",
                         training_trade="cook")  # fmt: skip
    course = Course.objects.create(
        county=region("紫金县"), name="中式烹调师培训班", kind="skill", trade="cook",
        provider="紫金县职业技术学校", starts_on=TODAY(), ends_on=TODAY(), created_by=supervisor,
    )  # fmt: skip
    detail = reverse("programmes:detail", args=["courses", course.pk])
    worker.post(detail, {"on": TODAY().isoformat(), "case": [case.pk]})
    enrolment = course.enrolments.get()
    assert Case.objects.get(pk=case.pk).stage == Stage.ASSISTED
    worker.post(reverse("programmes:enrolment_complete", args=[enrolment.pk]),
                {"on": TODAY().isoformat()})  # fmt: skip
    enrolment.refresh_from_db()
    assert enrolment.completed_on == TODAY()
    assert case.pk not in [c.pk for c in worker.get(detail).context["candidates"]]


def test_outreach_and_benefits_are_dated_records_on_the_case(login, caseworker, zicheng):
    client = login(caseworker)
    case = surveyed_case(client, zicheng)
    client.post(reverse("casework:case_outreach", args=[case.pk]),
                {"on": "2026-10-01", "note": "宣讲就业扶持政策"})  # fmt: skip
    client.post(reverse("casework:case_benefit", args=[case.pk]),
                {"kind": "transport", "on": "2026-10-02", "amount": "200"})  # fmt: skip
    assert str(case.outreach.get().on) == "2026-10-01"
    benefit = case.benefits.get()
    assert (benefit.kind, str(benefit.amount)) == ("transport", "200.00")
    page = client.get(case.get_absolute_url()).content.decode()
    assert "宣讲就业扶持政策" in page and "交通补贴" in page


def test_programmes_of_another_county_answer_404_and_caseworkers_do_not_create(login, caseworker):
    from casework.models import Role
    from tests.factories import staff

    boss = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    course = Course.objects.create(
        county=region("龙川县"), name="龙川电工班", kind="skill", trade="electrician",
        provider="龙川技校", starts_on=TODAY(), ends_on=TODAY(), created_by=boss,
    )  # fmt: skip
    client = login(caseworker)
    assert client.get(reverse("programmes:detail", args=["courses", course.pk])).status_code == 404
    response = client.post(reverse("programmes:list", args=["courses"]), {"name": "x"})
    assert response.status_code == 403
    assert not Course.objects.filter(name="x").exists()


def test_matching_invites_the_laborers_whose_wishes_fit(login, caseworker, supervisor, zicheng):
    from casework.models import Invitation, Vacancy

    worker = login(caseworker)
    fits = surveyed_case(worker, zicheng, wished_location="in_county", wished_form="employee",
                         wage_expectation="2000-3000")  # fmt: skip
    too_dear = surveyed_case(worker, zicheng, wished_location="in_county",
                             wished_form="employee", wage_expectation="5000+")  # fmt: skip
    far = surveyed_case(worker, zicheng, wished_location="outside_province")
    boss = login(supervisor)
    boss.post(reverse("programmes:list", args=["vacancies"]), {
        "county": region("紫金县").pk, "name": "普工", "employer": "紫金县宝山电子厂",
        "post": "装配工", "positions": 20, "wage": "3000-4000", "suits_poor_laborers": "on",
    })  # fmt: skip
    vacancy = Vacancy.objects.get()
    page = reverse("programmes:detail", args=["vacancies", vacancy.pk])
    matches = {case.pk for case in boss.get(page).context["matches"]}
    assert fits.pk in matches and too_dear.pk not in matches and far.pk not in matches
    boss.post(page, {"action": "invite", "on": TODAY().isoformat(), "case": [fits.pk]})
    invitation = Invitation.objects.get()
    assert (invitation.case, invitation.programme) == (fits, vacancy)


def test_a_course_matches_those_wishing_its_trade(login, caseworker, supervisor, zicheng):
    worker = login(caseworker)
    cook = surveyed_case(worker, zicheng, training_wish="yes", training_kind="skill",
                         training_trade="cook")  # fmt: skip
    welder = surveyed_case(worker, zicheng, training_wish="yes", training_kind="skill",
                           training_trade="welder")  # fmt: skip
    course = Course.objects.create(
        county=region("紫金县"), name="厨师班", kind="skill", trade="cook", provider="技校",
        starts_on=TODAY(), ends_on=TODAY(), created_by=supervisor,
    )  # fmt: skip
    matches = login(supervisor).get(reverse("programmes:detail", args=["courses", course.pk]))
    found = {case.pk for case in matches.context["matches"]}
    assert cook.pk in found and welder.pk not in found


def test_a_placement_from_the_assistance_task(login, caseworker, supervisor, zicheng):
    worker = login(caseworker)
    case = surveyed_case(worker, zicheng)
    event = RecruitmentEvent.objects.create(
        county=region("紫金县"), name="就业援助月招聘会", campaign="aid_month", held_on=TODAY(),
        created_by=supervisor,
    )  # fmt: skip
    assistance = open_task(case, "assistance")
    response = worker.post(task_url(assistance), {
        "on": TODAY().isoformat(), "placed_in": f"event:{event.pk}", "employer": "宝山电子",
        "post": "装配工",
    })  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.stage == Stage.EMPLOYED
    placement = Placement.objects.get(case=case)
    assert (placement.event, placement.employer, placement.post) == (event, "宝山电子", "装配工")


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("events", {"name": "春风行动", "campaign": "spring_breeze", "held_on": "2026-03-01"}),
        ("workshops", {"name": "紫城车间", "township": "紫城镇", "enterprise": "龙记制衣",
                       "founded_on": "2026-01-05", "rent_subsidy": "1000", "utility_subsidy": "0"}),
        ("posts", {"name": "保洁岗", "post_type": "cleaning", "positions": "5",
                   "employer": "紫城镇政府", "monthly_subsidy": "1500", "starts_on": "2026-02-01"}),
        ("courses", {"name": "创业培训班", "kind": "startup", "provider": "人社局",
                     "starts_on": "2026-04-01", "ends_on": "2026-04-10"}),
        ("vacancies", {"name": "普工", "employer": "宝山电子", "post": "装配", "positions": "3",
                       "wage": "2000-3000"}),
    ],
)  # fmt: skip
def test_a_supervisor_adds_each_kind_of_programme(login, supervisor, zicheng, kind, data):
    from casework.programmes.services import KINDS

    if "township" in data:
        data["township"] = region("紫金县/紫城镇").pk
    response = login(supervisor).post(
        reverse("programmes:list", args=[kind]), {"county": region("紫金县").pk, **data}
    )
    assert response.status_code == 302, response.context["form"].errors
    assert KINDS[kind].model.objects.get().created_by == supervisor


def test_the_workshop_list_runs_the_same_queries_for_1_and_40_workshops(login, city, supervisor):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    townships = [region("紫金县/紫城镇"), region("紫金县/龙窝镇"), region("龙川县/老隆镇")]

    def add(n):
        for i in range(n):
            township = townships[i % 3]
            Workshop.objects.create(
                county=township.county, name=f"车间{i}", township=township,
                enterprise="宝山电子", founded_on=TODAY(), created_by=supervisor,
            )  # fmt: skip

    def queries():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("programmes:list", args=["workshops"]))
        assert response.status_code == 200
        return len(captured), response.content.decode().count("车间")

    client = login(city)
    add(1)
    few, shown = queries()
    assert shown >= 1
    add(39)
    many, shown = queries()
    assert shown >= 40 and many == few, (few, many)
