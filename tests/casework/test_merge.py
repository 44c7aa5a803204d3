"""Correcting an ID number to another case's number merges the two: every record moves."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from casework.models import (
    Assistance,
    Benefit,
    Case,
    CaseEvent,
    Confirmation,
    Course,
    Employment,
    Enrolment,
    FollowUp,
    Invitation,
    LeftListCandidate,
    Outreach,
    Placement,
    Reconciliation,
    RecruitmentEvent,
    RegistrationConflict,
    RosterImport,
    Stage,
    StageChange,
    Survey,
    SurveyDraft,
    Transfer,
)
from casework.roster.corrections import MERGE_LEAVES, MERGE_MERGES, MERGE_MOVES, case_relations
from tests.factories import CaseFactory, region
from workflows import services
from workflows.models import CaseTask

D = datetime.date


def test_every_kind_of_record_hanging_off_a_case_has_a_merge_rule():
    # A new model pointing at Case fails here until case_merge_records decides what to do
    # with it (and lists it in one of the three sets).
    assert case_relations() == {
        "casework.Case", "casework.StageChange", "casework.CaseEvent", "casework.Survey",
        "casework.SurveyDraft", "casework.Employment", "casework.FollowUp",
        "casework.LeftListCandidate", "casework.RegistrationConflict", "casework.Placement",
        "casework.Enrolment", "casework.Outreach", "casework.Benefit", "casework.Reconciliation",
        "casework.Confirmation", "casework.Assistance", "casework.Transfer",
        "casework.Invitation", "workflows.CaseTask", "workflows.QuarterlyCheck",
        "casework.ChangeRecord",
    }  # fmt: skip
    assert case_relations() == MERGE_MOVES | MERGE_MERGES | MERGE_LEAVES
    assert {
        "casework.StageChange", "casework.Transfer", "workflows.CaseTask",
        "workflows.QuarterlyCheck", "casework.ChangeRecord",
    } == MERGE_LEAVES  # fmt: skip


def survey(case, day, surveyor):
    return Survey.objects.create(case=case, surveyed_on=day, surveyor=surveyor,
                                 employment_status="farming")  # fmt: skip


def test_a_merge_moves_every_record_and_fixes_the_latest_survey(
    login, supervisor, caseworker, zicheng
):
    wrong = CaseFactory(region=zicheng, id_number="441621198507150029",
                        identified_on=D(2026, 1, 5))  # fmt: skip
    right = CaseFactory(region=region("紫金县/龙窝镇/石坑村"), id_number="441621199002280519",
                        identified_on=D(2026, 1, 5))  # fmt: skip
    services.case_process_start(case=wrong)
    county = region("紫金县")
    by = {"recorded_by": caseworker}
    # the right case has an older survey; the wrong one's, newer, becomes the latest
    old_survey = survey(right, D(2026, 2, 1), caseworker)
    Case.objects.filter(pk=right.pk).update(latest_survey=old_survey)
    new_survey = survey(wrong, D(2026, 3, 1), caseworker)
    Case.objects.filter(pk=wrong.pk).update(latest_survey=new_survey)
    CaseEvent.objects.create(case=wrong, kind="assistance", data={"note": "招聘会推荐"})
    job = Employment.objects.create(case=wrong, started_on=D(2026, 3, 5), employer="宝山电子",
                                    form="employee", recorded_by=caseworker)  # fmt: skip
    FollowUp.objects.create(case=wrong, followed_up_on=D(2026, 4, 5), status="still_working",
                            recorded_by=caseworker)  # fmt: skip
    fair = RecruitmentEvent.objects.create(county=county, name="春风行动招聘会",
                                           campaign="spring_breeze", held_on=D(2026, 3, 3),
                                           created_by=supervisor)  # fmt: skip
    Placement.objects.create(case=wrong, kind="event", event=fair, placed_on=D(2026, 3, 4),
                             employment=job, **by)  # fmt: skip
    course = Course.objects.create(county=county, name="电工班", kind="skill", provider="技校",
                                   starts_on=D(2026, 4, 1), ends_on=D(2026, 4, 30),
                                   created_by=supervisor)  # fmt: skip
    # both cases enrolled in the course: the earlier enrolment stays, with the completion
    Enrolment.objects.create(case=wrong, course=course, enrolled_on=D(2026, 3, 20), **by)
    Enrolment.objects.create(case=right, course=course, enrolled_on=D(2026, 3, 25),
                             completed_on=D(2026, 4, 30), **by)  # fmt: skip
    Outreach.objects.create(case=wrong, on=D(2026, 2, 10), note="政策宣传", **by)
    Benefit.objects.create(case=wrong, kind="transport", on=D(2026, 3, 6), amount=200, **by)
    Assistance.objects.create(case=wrong, measure="referral", on=D(2026, 2, 20), **by)
    # both confirmed in the same round: the earlier confirmation stays
    round_ = Reconciliation.objects.create(county=county, held_on=D(2026, 5, 1),
                                           recorded_by=supervisor)  # fmt: skip
    Confirmation.objects.create(reconciliation=round_, case=wrong, confirmed_on=D(2026, 5, 2),
                                confirmed_by=supervisor)  # fmt: skip
    Confirmation.objects.create(reconciliation=round_, case=right, confirmed_on=D(2026, 5, 3),
                                confirmed_by=supervisor)  # fmt: skip
    Invitation.objects.create(case=wrong, invited_on=D(2026, 2, 25), invited_by=caseworker,
                              programme_type=ContentType.objects.get_for_model(Course),
                              programme_id=course.pk)  # fmt: skip
    SurveyDraft.objects.create(case=wrong, author=caseworker, data={"note": "草稿"})
    roster = RosterImport.objects.create(file_name="紫金县.xlsx", sha256="0" * 64, county=county)
    candidate = LeftListCandidate.objects.create(roster_import=roster, case=wrong)
    elsewhere = RosterImport.objects.create(file_name="龙川县.xlsx", sha256="1" * 64,
                                            county=region("龙川县"))  # fmt: skip
    RegistrationConflict.objects.create(roster_import=elsewhere, row=3, case=wrong,
                                        county=region("龙川县"))  # fmt: skip
    earlier = CaseFactory(region=zicheng)
    Case.objects.filter(pk=earlier.pk).update(merged_into=wrong)
    Transfer.objects.create(case=wrong, on=D(2026, 1, 10), from_county=region("龙川县"),
                            from_township=region("龙川县/老隆镇"), to_county=county,
                            to_township=region("紫金县/紫城镇"))  # fmt: skip

    url = reverse("casework:case_correct_id", args=[wrong.pk])
    preview = login(supervisor).post(url, {"id_number": "441621199002280519"})
    assert preview.status_code == 200 and Case.objects.get(pk=wrong.pk).merged_into_id is None
    response = login(supervisor).post(url, {"merge_into": right.pk})
    assert response.url == right.get_absolute_url()

    def of(case):
        return {
            "surveys": list(Survey.objects.filter(case=case).order_by("surveyed_on")
                            .values_list("surveyed_on", flat=True)),
            "events": CaseEvent.objects.filter(case=case, kind="assistance").count(),
            "employments": list(Employment.objects.filter(case=case)
                                .values_list("employer", flat=True)),
            "follow_ups": FollowUp.objects.filter(case=case).count(),
            "placements": list(Placement.objects.filter(case=case)
                               .values_list("event__name", "employment__employer")),
            "enrolments": list(Enrolment.objects.filter(case=case)
                               .values_list("enrolled_on", "completed_on")),
            "outreach": Outreach.objects.filter(case=case).count(),
            "benefits": Benefit.objects.filter(case=case).count(),
            "help": list(Assistance.objects.filter(case=case).values_list("measure", flat=True)),
            "confirmations": list(Confirmation.objects.filter(case=case)
                                  .values_list("confirmed_on", flat=True)),
            "invitations": Invitation.objects.filter(case=case).count(),
            "drafts": SurveyDraft.objects.filter(case=case).count(),
            "left_list": list(LeftListCandidate.objects.filter(case=case)
                              .values_list("status", flat=True)),
            "conflicts": RegistrationConflict.objects.filter(case=case).count(),
            "merged_cases": sorted(Case.objects.filter(merged_into=case)
                                   .values_list("pk", flat=True)),
        }  # fmt: skip

    assert of(right) == {
        "surveys": [D(2026, 2, 1), D(2026, 3, 1)],
        "events": 1,
        "employments": ["宝山电子"],
        "follow_ups": 1,
        "placements": [("春风行动招聘会", "宝山电子")],
        "enrolments": [(D(2026, 3, 20), D(2026, 4, 30))],
        "outreach": 1,
        "benefits": 1,
        "help": ["referral"],
        "confirmations": [D(2026, 5, 2)],
        "invitations": 1,
        "drafts": 1,
        "left_list": ["dismissed"],  # the roster missed the wrong number, not the laborer
        "conflicts": 1,
        "merged_cases": sorted([earlier.pk, wrong.pk]),
    }
    assert of(wrong) == {
        "surveys": [], "events": 0, "employments": [], "follow_ups": 0, "placements": [],
        "enrolments": [], "outreach": 0, "benefits": 0, "help": [], "confirmations": [],
        "invitations": 0, "drafts": 0, "left_list": [], "conflicts": 0, "merged_cases": [],
    }  # fmt: skip
    assert LeftListCandidate.objects.get(pk=candidate.pk).decided_by == supervisor
    # the records keep where they happened: 紫城镇, not the surviving case's 龙窝镇
    assert {
        (record.county.name, record.township.name)
        for model in (Survey, Employment, FollowUp, Placement, Outreach, Benefit, Assistance)
        for record in model.objects.filter(case=right).exclude(pk=old_survey.pk)
    } == {("紫金县", "紫城镇")}
    right, wrong = Case.objects.get(pk=right.pk), Case.objects.get(pk=wrong.pk)
    assert right.latest_survey_id == new_survey.pk
    assert wrong.latest_survey_id is None
    # the corrected case keeps its stage history and its transfer, its tasks cancelled
    assert wrong.stage == Stage.CLOSED and wrong.merged_into_id == right.pk
    assert StageChange.objects.filter(case=wrong, to_stage="closed").exists()
    assert Transfer.objects.filter(case=wrong).count() == 1
    assert list(CaseTask.objects.filter(case=wrong).values_list("task__status", flat=True)) == [
        "CANCELED"
    ]
    # the surviving case's page shows the moved records
    page = login(supervisor).get(right.get_absolute_url()).content.decode()
    assert "宝山电子" in page and "2026-03-01" in page


def test_the_surviving_case_keeps_its_own_latest_survey_when_it_is_newer(
    login, supervisor, caseworker, zicheng
):
    wrong = CaseFactory(region=zicheng, id_number="441621198507150029")
    right = CaseFactory(region=zicheng, id_number="441621199002280519")
    survey(wrong, D(2026, 1, 1), caseworker)
    newer = survey(right, D(2026, 6, 1), caseworker)
    Case.objects.filter(pk=right.pk).update(latest_survey=newer)
    login(supervisor).post(
        reverse("casework:case_correct_id", args=[wrong.pk]), {"merge_into": right.pk}
    )
    assert Case.objects.get(pk=right.pk).latest_survey_id == newer.pk
    assert Survey.objects.filter(case=right).count() == 2
