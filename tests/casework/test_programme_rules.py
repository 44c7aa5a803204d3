"""The programme rules through their pages: who hired at an event, a public post's number of
posts and period, a course completion's date, a reconciliation confirmation per laborer on its
date, and back-dated help counted on its own date and place (issue 9)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from casework.models import (
    Benefit,
    Case,
    Confirmation,
    Course,
    Employment,
    Enrolment,
    Outreach,
    Placement,
    PublicPost,
    Reconciliation,
    RecruitmentEvent,
    Role,
    Stage,
    Vacancy,
    Workshop,
)
from tests.factories import CaseFactory, region, staff
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows import services as workflow
from workflows.models import CaseTask


def tomorrow() -> str:
    return (timezone.localdate() + datetime.timedelta(days=1)).isoformat()


def surveyed(client, village, name, *, identified="2026-09-01", surveyed_on="2026-09-10"):
    """A laborer identified and surveyed (not in work) on those past days, through the task."""
    case = CaseFactory(
        region=village, name=name, identified_on=datetime.date.fromisoformat(identified)
    )
    workflow.case_process_start(case=case)
    client.post(
        task_url(open_task(case, "survey")), survey_form(case, surveyed_on=surveyed_on), follow=True
    )  # following the redirect shows (and so clears) the survey's message
    assert Case.objects.get(pk=case.pk).stage == Stage.SURVEYED
    return case


def said(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def stage_of(case) -> str:
    return Case.objects.get(pk=case.pk).stage


# --- 1. a placement through an event names the employer and post that hired ----------------


def test_a_placement_at_an_event_records_the_employer_and_post_that_hired(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    listed = surveyed(worker, zicheng, "钟秀英")
    from_vacancy = surveyed(worker, zicheng, "黄志明")
    typed = surveyed(worker, zicheng, "刘春梅")
    nobody = surveyed(worker, zicheng, "陈国强")
    boss = login(supervisor)
    boss.post(reverse("programmes:list", args=["events"]), {
        "county": region("紫金县").pk, "name": "就业援助月招聘会", "campaign": "aid_month",
        "held_on": "2026-10-20", "employers": "宝山电子、龙记制衣",
    })  # fmt: skip
    boss.post(reverse("programmes:list", args=["vacancies"]), {
        "county": region("紫金县").pk, "name": "普工", "employer": "紫金县宝山电子厂",
        "post": "装配工", "positions": 20, "wage": "3000-4000",
    })  # fmt: skip
    event, vacancy = RecruitmentEvent.objects.get(), Vacancy.objects.get()
    page = reverse("programmes:detail", args=["events", event.pk])

    body = boss.get(page).content.decode()
    assert 'value="employer:宝山电子"' in body and 'value="employer:龙记制衣"' in body
    assert f'value="vacancy:{vacancy.pk}"' in body and "紫金县宝山电子厂 · 装配工" in body

    placed = [
        boss.post(page, {"on": "2026-10-20", "case": [listed.pk], "hirer": "employer:龙记制衣",
                         "post": "缝纫工"}, follow=True),
        boss.post(page, {"on": "2026-10-20", "case": [from_vacancy.pk],
                         "hirer": f"vacancy:{vacancy.pk}"}, follow=True),
        boss.post(page, {"on": "2026-10-21", "case": [typed.pk], "hirer": "",
                         "employer": "河源市富华物流", "post": "仓管员"}, follow=True),
    ]  # fmt: skip
    assert [said(answer) for answer in placed] == [["已记录 1 人。"]] * 3
    refused = boss.post(page, {"on": "2026-10-21", "case": [nobody.pk]}, follow=True)

    rows = {
        placement.case.person.name: (placement.employer, placement.post, placement.vacancy,
                                     placement.employment.employer, placement.employment.post)
        for placement in Placement.objects.select_related("case__person", "employment")
    }  # fmt: skip
    assert rows == {
        "钟秀英": ("龙记制衣", "缝纫工", None, "龙记制衣", "缝纫工"),
        "黄志明": ("紫金县宝山电子厂", "装配工", vacancy, "紫金县宝山电子厂", "装配工"),
        "刘春梅": ("河源市富华物流", "仓管员", None, "河源市富华物流", "仓管员"),
    }
    assert said(refused) == ["请选择或填写录用陈国强的用人单位。"]
    assert stage_of(nobody) == Stage.SURVEYED
    shown = boss.get(page).content.decode()
    assert "龙记制衣 缝纫工" in shown and "河源市富华物流 仓管员" in shown


def test_an_event_offers_no_vacancy_of_another_county(login, caseworker, supervisor, zicheng):
    worker = login(caseworker)
    case = surveyed(worker, zicheng, "钟秀英")
    longchuan_boss = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    elsewhere = Vacancy.objects.create(
        county=region("龙川县"), name="普工", employer="龙川五金厂", post="冲压工", positions=5,
        wage="3000-4000", created_by=longchuan_boss,
    )  # fmt: skip
    event = RecruitmentEvent.objects.create(
        county=region("紫金县"), name="春风行动", campaign="spring_breeze",
        held_on=datetime.date(2026, 10, 1), employers="宝山电子", created_by=supervisor,
    )  # fmt: skip
    page = reverse("programmes:detail", args=["events", event.pk])
    boss = login(supervisor)
    assert "龙川五金厂" not in boss.get(page).content.decode()
    boss.post(page, {"on": "2026-10-02", "case": [case.pk], "hirer": f"vacancy:{elsewhere.pk}"})
    assert not Placement.objects.exists() and stage_of(case) == Stage.SURVEYED


def test_workshop_and_public_post_placements_keep_their_own_employer(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    first, second = surveyed(worker, zicheng, "钟秀英"), surveyed(worker, zicheng, "黄志明")
    post = PublicPost.objects.create(
        county=region("紫金县"), name="紫城镇护林员", post_type="forest", positions=3,
        employer="紫金县林业局", starts_on=datetime.date(2026, 9, 1), created_by=supervisor,
    )  # fmt: skip
    shop = Workshop.objects.create(
        county=region("紫金县"), name="紫城扶贫车间", township=region("紫金县/紫城镇"),
        enterprise="龙记制衣", founded_on=datetime.date(2026, 9, 1), created_by=supervisor,
    )  # fmt: skip
    boss = login(supervisor)
    boss.post(reverse("programmes:detail", args=["posts", post.pk]),
              {"on": "2026-10-05", "case": [first.pk], "employer": "别的单位"})  # fmt: skip
    boss.post(reverse("programmes:detail", args=["workshops", shop.pk]),
              {"on": "2026-10-06", "case": [second.pk]})  # fmt: skip
    employers = dict(Placement.objects.values_list("case__person__name", "employer"))
    assert employers == {"钟秀英": "紫金县林业局", "黄志明": "紫城扶贫车间（龙记制衣）"}


# --- 2. a public-welfare post: its number of posts and its period -------------------------


def test_a_public_post_refuses_laborers_beyond_its_posts_and_outside_its_period(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    first, second = surveyed(worker, zicheng, "钟秀英"), surveyed(worker, zicheng, "黄志明")
    early, late = surveyed(worker, zicheng, "刘春梅"), surveyed(worker, zicheng, "陈国强")
    post = PublicPost.objects.create(
        county=region("紫金县"), name="紫城镇保洁员", post_type="cleaning", positions=1,
        employer="紫城镇人民政府", starts_on=datetime.date(2026, 10, 1),
        ends_on=datetime.date(2026, 10, 31), created_by=supervisor,
    )  # fmt: skip
    page = reverse("programmes:detail", args=["posts", post.pk])
    boss = login(supervisor)

    full = boss.post(page, {"on": "2026-10-10", "case": [first.pk, second.pk]}, follow=True)
    assert said(full) == ["已记录 1 人。", "黄志明无法安置到紫城镇保洁员：该岗位共 1 个，已满。"]
    before = boss.post(page, {"on": "2026-09-30", "case": [early.pk]}, follow=True)
    after = boss.post(page, {"on": "2026-11-01", "case": [late.pk]}, follow=True)
    assert said(before) == [
        "刘春梅无法于2026-09-30安置到紫城镇保洁员：该岗位期限为2026-10-01至2026-10-31。"
    ]
    assert said(after) == [
        "陈国强无法于2026-11-01安置到紫城镇保洁员：该岗位期限为2026-10-01至2026-10-31。"
    ]
    assert list(Placement.objects.values_list("case__person__name", flat=True)) == ["钟秀英"]
    assert [stage_of(c) for c in (first, second, early, late)] == [
        Stage.EMPLOYED, Stage.SURVEYED, Stage.SURVEYED, Stage.SURVEYED,
    ]  # fmt: skip
    assert not Employment.objects.filter(case__in=[second, early, late]).exists()

    # the first laborer's employment ends: the post is free again
    Employment.objects.filter(case=first).update(ended_on=datetime.date(2026, 10, 20))
    boss.post(page, {"on": "2026-10-25", "case": [second.pk]})
    assert stage_of(second) == Stage.EMPLOYED
    assert Placement.objects.get(case=second).placed_on == datetime.date(2026, 10, 25)


# --- 3. a course completion is dated ----------------------------------------------------


def test_a_course_completion_is_dated_and_not_before_the_course_or_the_enrolment(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    case = surveyed(worker, zicheng, "钟秀英")
    course = Course.objects.create(
        county=region("紫金县"), name="中式烹调师培训班", kind="skill", trade="cook",
        provider="紫金县职业技术学校", starts_on=datetime.date(2026, 11, 10),
        ends_on=datetime.date(2026, 11, 20), created_by=supervisor,
    )  # fmt: skip
    page = reverse("programmes:detail", args=["courses", course.pk])
    worker.post(page, {"on": "2026-11-12", "case": [case.pk]})
    enrolment = Enrolment.objects.get()
    url = reverse("programmes:enrolment_complete", args=[enrolment.pk])

    body = worker.get(page).content.decode()
    assert "今天结业" not in body and 'name="on"' in body and "记录结业" in body
    answers = {
        day: said(worker.post(url, {"on": day} if day else {}, follow=True))
        for day in ("2026-11-09", "2026-11-11", tomorrow(), "")
    }
    too_early = "钟秀英不可能于{}结业：培训班于2026-11-10开班，钟秀英于2026-11-12报名。"
    assert answers == {
        "2026-11-09": [too_early.format("2026-11-09")],
        "2026-11-11": [too_early.format("2026-11-11")],
        tomorrow(): [f"日期 {tomorrow()} 是将来的日期。"],
        "": ["请填写日期。"],
    }
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None

    assert said(worker.post(url, {"on": "2026-11-20"}, follow=True)) == ["已记录。"]
    enrolment.refresh_from_db()
    assert enrolment.completed_on == datetime.date(2026, 11, 20)


# --- 4. a reconciliation confirms, per laborer, who was in work on that day ----------------


def test_a_reconciliation_confirms_only_laborers_in_work_on_its_date(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    placed_early = surveyed(worker, zicheng, "钟秀英")
    placed_late = surveyed(worker, zicheng, "黄志明")
    post = PublicPost.objects.create(
        county=region("紫金县"), name="紫城镇护林员", post_type="forest", positions=5,
        employer="紫金县林业局", starts_on=datetime.date(2026, 9, 1), created_by=supervisor,
    )  # fmt: skip
    boss = login(supervisor)
    posts = reverse("programmes:detail", args=["posts", post.pk])
    boss.post(posts, {"on": "2026-10-10", "case": [placed_early.pk]})
    boss.post(posts, {"on": "2026-11-20", "case": [placed_late.pk]})
    boss.post(reverse("programmes:reconciliations"),
              {"county": region("紫金县").pk, "held_on": "2026-11-15"})  # fmt: skip
    round_ = Reconciliation.objects.get()
    page = reverse("programmes:reconciliation", args=[round_.pk])
    assert 'value="2026-11-15"' in boss.get(page).content.decode()  # the round's date

    future = boss.post(page, {"on": tomorrow(), "case": [placed_early.pk]}, follow=True)
    assert (
        said(future) == [f"日期 {tomorrow()} 是将来的日期。"] and not Confirmation.objects.exists()
    )

    both = boss.post(page, {"on": "2026-11-15", "case": [placed_early.pk, placed_late.pk]},
                     follow=True)  # fmt: skip
    assert said(both) == ["已记录 1 人。", "黄志明在2026-11-15未就业，未予确认。"]
    later = boss.post(page, {"on": "2026-11-21", "case": [placed_late.pk]}, follow=True)
    assert said(later) == ["已记录 1 人。"]

    confirmed = {
        c.case.person.name: (c.confirmed_on, c.confirmed_by, c.county.name, c.township.name)
        for c in Confirmation.objects.select_related("case__person", "county", "township")
    }
    assert confirmed == {
        "钟秀英": (datetime.date(2026, 11, 15), supervisor, "紫金县", "紫城镇"),
        "黄志明": (datetime.date(2026, 11, 21), supervisor, "紫金县", "紫城镇"),
    }
    shown = boss.get(page).content.decode()
    assert "2026-11-15" in shown and "2026-11-21" in shown and str(supervisor) in shown


def test_a_caseworker_sees_the_confirmations_but_cannot_confirm(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    case = surveyed(worker, zicheng, "钟秀英")
    post = PublicPost.objects.create(
        county=region("紫金县"), name="护林员", post_type="forest", positions=5,
        employer="紫金县林业局", starts_on=datetime.date(2026, 9, 1), created_by=supervisor,
    )  # fmt: skip
    worker.post(reverse("programmes:detail", args=["posts", post.pk]),
                {"on": "2026-10-10", "case": [case.pk]})  # fmt: skip
    round_ = Reconciliation.objects.create(
        county=region("紫金县"), held_on=datetime.date(2026, 11, 15), recorded_by=supervisor
    )
    page = reverse("programmes:reconciliation", args=[round_.pk])
    assert worker.post(page, {"on": "2026-11-15", "case": [case.pk]}).status_code == 403
    assert not Confirmation.objects.exists()
    login(supervisor).post(page, {"on": "2026-11-15", "case": [case.pk]})
    assert "钟秀英" in login(caseworker).get(page).content.decode()


# --- 5. back-dated help is counted on its own date and place ---------------------------------


def test_back_dated_help_is_dated_and_placed_on_its_own_day(login, caseworker, supervisor, zicheng):
    worker = login(caseworker)
    helped = surveyed(worker, zicheng, "钟秀英")
    trained = surveyed(worker, zicheng, "黄志明")
    post = PublicPost.objects.create(
        county=region("紫金县"), name="护林员", post_type="forest", positions=5,
        employer="紫金县林业局", starts_on=datetime.date(2026, 9, 1), created_by=supervisor,
    )  # fmt: skip
    course = Course.objects.create(
        county=region("紫金县"), name="电工班", kind="skill", trade="electrician", provider="技校",
        starts_on=datetime.date(2026, 9, 20), ends_on=datetime.date(2026, 10, 20),
        created_by=supervisor,
    )  # fmt: skip
    worker.post(reverse("casework:case_outreach", args=[helped.pk]),
                {"on": "2026-09-12", "note": "宣讲就业扶持政策"})  # fmt: skip
    worker.post(reverse("casework:case_benefit", args=[helped.pk]),
                {"kind": "transport", "on": "2026-09-14", "amount": "200"})  # fmt: skip
    worker.post(reverse("programmes:detail", args=["posts", post.pk]),
                {"on": "2026-09-16", "case": [helped.pk]})  # fmt: skip
    worker.post(reverse("programmes:detail", args=["courses", course.pk]),
                {"on": "2026-09-18", "case": [trained.pk]})  # fmt: skip

    def where(record):
        return (record.county.name, record.township.name)

    outreach, benefit = Outreach.objects.get(), Benefit.objects.get()
    placement, enrolment = Placement.objects.get(), Enrolment.objects.get()
    assert (outreach.on, where(outreach)) == (datetime.date(2026, 9, 12), ("紫金县", "紫城镇"))
    assert (benefit.on, where(benefit)) == (datetime.date(2026, 9, 14), ("紫金县", "紫城镇"))
    assert (placement.placed_on, where(placement)) == (
        datetime.date(2026, 9, 16), ("紫金县", "紫城镇"),
    )  # fmt: skip
    assert (enrolment.enrolled_on, where(enrolment)) == (
        datetime.date(2026, 9, 18), ("紫金县", "紫城镇"),
    )  # fmt: skip
    assert placement.employment.started_on == datetime.date(2026, 9, 16)


def test_help_dated_before_identification_or_in_the_future_is_refused(
    login, caseworker, supervisor, zicheng
):
    worker = login(caseworker)
    case = surveyed(worker, zicheng, "钟秀英")
    post = PublicPost.objects.create(
        county=region("紫金县"), name="护林员", post_type="forest", positions=5,
        employer="紫金县林业局", starts_on=datetime.date(2026, 8, 1), created_by=supervisor,
    )  # fmt: skip
    course = Course.objects.create(
        county=region("紫金县"), name="电工班", kind="skill", trade="electrician", provider="技校",
        starts_on=datetime.date(2026, 8, 1), ends_on=datetime.date(2026, 12, 20),
        created_by=supervisor,
    )  # fmt: skip
    before = "日期 2026-08-31 早于个案识别日期（2026-09-01）。"
    for day, refusal in (("2026-08-31", before), (tomorrow(), f"日期 {tomorrow()} 是将来的日期。")):
        answers = [
            worker.post(reverse("casework:case_outreach", args=[case.pk]),
                        {"on": day, "note": "宣讲"}, follow=True),
            worker.post(reverse("casework:case_benefit", args=[case.pk]),
                        {"kind": "transport", "on": day, "amount": "200"}, follow=True),
            worker.post(reverse("programmes:detail", args=["posts", post.pk]),
                        {"on": day, "case": [case.pk]}, follow=True),
            worker.post(reverse("programmes:detail", args=["courses", course.pk]),
                        {"on": day, "case": [case.pk]}, follow=True),
        ]  # fmt: skip
        assert [said(answer) for answer in answers] == [[refusal]] * 4, day
    assert not Outreach.objects.exists() and not Benefit.objects.exists()
    assert not Placement.objects.exists() and not Enrolment.objects.exists()
    assert not Employment.objects.exists() and stage_of(case) == Stage.SURVEYED


def test_help_back_dated_before_a_transfer_counts_for_the_sending_county(
    login, caseworker, supervisor, zicheng, laolong, other_caseworker
):
    case = surveyed(login(caseworker), zicheng, "钟秀英")
    receiver = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    workflow.transfer_request(case=case, actor=supervisor, to_county=laolong.county)
    acceptance = CaseTask.objects.get(case=case, kind="transfer_acceptance")
    workflow.transfer_decide(case_task=acceptance, actor=receiver, accept=True, region=laolong)
    moved_on = case.transfers.get().on

    client = login(other_caseworker)
    url = reverse("casework:case_outreach", args=[case.pk])
    client.post(url, {"on": "2026-10-01", "note": "转出前的宣讲"})
    client.post(url, {"on": moved_on.isoformat(), "note": "转入后的宣讲"})
    places = {
        outreach.note: (outreach.county.name, outreach.township.name)
        for outreach in Outreach.objects.select_related("county", "township")
    }
    assert places == {"转出前的宣讲": ("紫金县", "紫城镇"), "转入后的宣讲": ("龙川县", "老隆镇")}
