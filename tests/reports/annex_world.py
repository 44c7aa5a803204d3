"""The fixture annex_world: a small 紫金县 whose 附件1 is known by hand (August to October
2026), and 龙川县 with one case.

紫金县, by month (every figure not named is 0):
- 2026-08: 甲 identified (08-10) and surveyed (08-20): 1a 1, 1b 1.
- 2026-09: 乙 identified on the 1st and surveyed on the 30th; 甲 reached by outreach (09-05)
  and enrolled in a skill course starting 09-15; a public-welfare post scheme of 5 posts from
  09-10: 1a 1, 1b 1, 1c 1, 4a 5, 5a 1. September's report is submitted (frozen) on 10-08.
- 2026-10: 乙 re-surveyed (10-02) and reached (10-15); a workshop founded (10-05); 甲 placed in
  a post (10-12: employed), followed up (10-20), confirmed with the poverty office (10-25);
  丙 identified on the 31st: 1a 1, 1b 1, 1c 1, 3a 1, 4b 1, 6a 1, 6b 1, 7 1.
- after September was submitted, an outreach to 乙 dated 09-20 is recorded: the live September
  1c would be 2, the frozen one stays 1.
Cumulative at 2026-10-31: 1a 3, 1b 2, 1c 2, 2 0, 3a 1, 3b 0, 4a 5, 4b 1, 5a 1, 5b 0, 6a 1,
6b 1, 7 1.
"""

import datetime

import pytest

from casework import recording
from casework.models import Case, Course, PublicPost, Reconciliation, Workshop
from casework.programmes import services as programmes
from reports import services as reports
from reports.periods import Month
from tests.factories import CaseFactory, region
from workflows import services as workflow
from workflows.models import CaseTask

D = datetime.date


def surveyed(case, actor, on):
    workflow.case_process_start(case=case)
    workflow.task_execute(
        case_task=CaseTask.objects.get(case=case, kind="survey"), actor=actor,
        perform=lambda c: recording.survey_submit(
            case=c, actor=actor, surveyed_on=on, employment_status="farming", note=""),
    )  # fmt: skip


@pytest.fixture
def annex_world(caseworker, supervisor, laolong):
    zicheng = region("紫金县/紫城镇/新联村")
    county = zicheng.county
    jia = CaseFactory(region=zicheng, name="甲", identified_on=D(2026, 8, 10))
    surveyed(jia, caseworker, D(2026, 8, 20))
    yi = CaseFactory(region=zicheng, name="乙", identified_on=D(2026, 9, 1))
    surveyed(yi, caseworker, D(2026, 9, 30))
    programmes.outreach_record(case=jia, actor=caseworker, on=D(2026, 9, 5))
    course = Course.objects.create(
        county=county, name="电工班", kind="skill", trade="electrician", provider="技校",
        starts_on=D(2026, 9, 15), ends_on=D(2026, 10, 15), created_by=supervisor,
    )  # fmt: skip
    programmes.enrolment_record(case=jia, actor=caseworker, course=course, on=D(2026, 9, 16))
    post = PublicPost.objects.create(
        county=county, name="护林员", post_type="forest", employer="紫金县林业局", positions=5,
        starts_on=D(2026, 9, 10), created_by=supervisor,
    )  # fmt: skip
    reports.report_submit(
        county=county, month=Month(2026, 9), actor=supervisor, remarks="九月无对账",
        no_reconciliation_reason="扶贫办未安排",
        at=datetime.datetime(2026, 10, 8, 10, 0, tzinfo=datetime.UTC),
    )  # fmt: skip
    programmes.outreach_record(case=yi, actor=caseworker, on=D(2026, 9, 20))  # after submitting
    yi, jia = Case.objects.get(pk=yi.pk), Case.objects.get(pk=jia.pk)  # their stages now
    recording.survey_submit(case=yi, actor=caseworker, surveyed_on=D(2026, 10, 2),
                            employment_status="farming", resurvey=True)  # fmt: skip
    programmes.outreach_record(case=yi, actor=caseworker, on=D(2026, 10, 15))
    Workshop.objects.create(
        county=county, name="紫城扶贫车间", township=region("紫金县/紫城镇"), enterprise="龙记制衣",
        founded_on=D(2026, 10, 5), created_by=supervisor,
    )  # fmt: skip
    programmes.placement_record(case=jia, actor=caseworker, programme=post, on=D(2026, 10, 12))
    jia = Case.objects.get(pk=jia.pk)
    recording.follow_up_record(case=jia, actor=caseworker, status="still_working",
                               followed_up_on=D(2026, 10, 20))  # fmt: skip
    round_ = Reconciliation.objects.create(county=county, held_on=D(2026, 10, 25),
                                           recorded_by=supervisor)  # fmt: skip
    programmes.reconciliation_confirm(reconciliation=round_, actor=supervisor, cases=[jia],
                                      on=D(2026, 10, 25))  # fmt: skip
    CaseFactory(region=zicheng, name="丙", identified_on=D(2026, 10, 31))
    reports.report_remarks_save(county=county, month=Month(2026, 10), actor=supervisor,
                                remarks="=十月：扶贫政策宣讲")  # fmt: skip
    CaseFactory(region=laolong, name="丁", identified_on=D(2026, 10, 3))
    return {"county": county, "longchuan": laolong.county, "jia": jia, "yi": yi}
