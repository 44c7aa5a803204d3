"""A constructed October 2026 in two counties whose monthly figures are known by hand.

Built through the services and pages, in the order things happened (time_machine moves "now"),
so that every record has the date and county a real one would. The answers are written out in
the tests, worked out from the story below, not from the code that counts.

紫金县 (Z, caseworker cw_zijin) and 龙川县 (L, caseworker cw_longchuan); D = 2026-10-31.
- A  Z, identified 09-15, surveyed 10-01 (the month's first day) and re-surveyed 10-31 (its
     last), outreach 09-30, enrolled 10-02 in a skill course starting 10-01.
- B  Z, identified 10-01, surveyed 10-05, enrolled 10-06 in an entrepreneurship course
     starting 11-01, placed in a workshop 10-31, followed up 11-02.
- C  Z, identified 08-01, surveyed 08-05, left the list 10-20.
- D  Z, identified 09-01, surveyed 09-02, placed in a public-welfare post 09-10, followed up
     10-20, confirmed with the poverty office 10-25; transferred to L on 11-05.
- E  L, identified 10-10, surveyed 10-11, placed in work 10-12 — a change undone on 11-10.
- F  Z, identified 10-03, surveyed 10-04, then merged into A.
- G  L, identified 09-01, outreach 10-10 (in L); transferred to Z on 10-15; outreach 10-20.
- H  L, identified 09-01, surveyed 09-02, placed through a recruitment event 10-01.
Programmes of Z: workshops founded 05-01 and 10-01; posts 09-01..09-30 (5 posts) and from
10-31 (3 posts). A reconciliation round of Z on 10-25 confirms D (B, not yet employed then,
is refused).
"""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from casework import recording
from casework import services as registry
from casework.models import (
    Case,
    Course,
    PublicPost,
    Reconciliation,
    RecruitmentEvent,
    Role,
    Workshop,
)
from casework.programmes import services as programmes
from tests.factories import CaseFactory, region, staff
from tests.workflows.conftest import open_task, task_url
from workflows import services as processes

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), SHANGHAI), tick=False
    )


def _survey(case, actor, on, status="local"):
    return recording.survey_submit(case=case, actor=actor, surveyed_on=on, employment_status=status)


def _transfer(client_of, case, sending, receiving, to_path):
    client_of(sending).post(
        reverse("workflows:case_transfer", args=[case.pk]),
        {"to_county": region(to_path.split("/")[0]).pk},
    )
    client_of(receiving).post(
        task_url(open_task(case, "transfer_acceptance")),
        {"decision": "approve", "region": region(to_path).pk},
    )


@pytest.fixture
def october(db, client):
    def client_of(user):
        client.force_login(user)
        return client

    z_place, l_place = region("紫金县/紫城镇/新联村"), region("龙川县/老隆镇/水口村")
    zijin, longchuan = region("紫金县"), region("龙川县")
    cw_z = staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇")
    cw_l = staff("cw_longchuan", Role.CASEWORKER, "龙川县/老隆镇")
    sup_z = staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县")
    sup_l = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    cases = {}
    with at(D(2026, 10, 15)):
        g = cases["G"] = CaseFactory(region=l_place, name="G", identified_on=D(2026, 9, 1))
        programmes.outreach_record(case=g, actor=cw_l, on=D(2026, 10, 10))
        _transfer(client_of, g, sup_l, sup_z, "紫金县/紫城镇/新联村")
    with at(D(2026, 11, 5)):
        a = cases["A"] = CaseFactory(region=z_place, name="A", identified_on=D(2026, 9, 15))
        b = cases["B"] = CaseFactory(region=z_place, name="B", identified_on=D(2026, 10, 1))
        c = cases["C"] = CaseFactory(region=z_place, name="C", identified_on=D(2026, 8, 1))
        d = cases["D"] = CaseFactory(region=z_place, name="D", identified_on=D(2026, 9, 1))
        e = cases["E"] = CaseFactory(region=l_place, name="E", identified_on=D(2026, 10, 10))
        f = cases["F"] = CaseFactory(region=z_place, name="F", identified_on=D(2026, 10, 3))
        h = cases["H"] = CaseFactory(region=l_place, name="H", identified_on=D(2026, 9, 1))
        skill = Course.objects.create(
            county=zijin,
            name="电工",
            kind="skill",
            provider="技校",
            starts_on=D(2026, 10, 1),
            ends_on=D(2026, 10, 30),
            created_by=sup_z,
        )
        startup = Course.objects.create(
            county=zijin,
            name="创业",
            kind="startup",
            provider="技校",
            starts_on=D(2026, 11, 1),
            ends_on=D(2026, 11, 30),
            created_by=sup_z,
        )
        Workshop.objects.create(
            county=zijin,
            name="旧车间",
            township=region("紫金县/紫城镇"),
            enterprise="甲",
            founded_on=D(2026, 5, 1),
            created_by=sup_z,
        )
        workshop = Workshop.objects.create(
            county=zijin,
            name="新车间",
            township=region("紫金县/紫城镇"),
            enterprise="乙",
            founded_on=D(2026, 10, 1),
            created_by=sup_z,
        )
        post = PublicPost.objects.create(
            county=zijin,
            name="保洁",
            post_type="cleaning",
            positions=5,
            employer="镇政府",
            starts_on=D(2026, 9, 1),
            ends_on=D(2026, 9, 30),
            created_by=sup_z,
        )
        PublicPost.objects.create(
            county=zijin,
            name="护林",
            post_type="forest",
            positions=3,
            employer="林业站",
            starts_on=D(2026, 10, 31),
            created_by=sup_z,
        )
        event = RecruitmentEvent.objects.create(
            county=longchuan,
            name="春风行动",
            campaign="spring_breeze",
            held_on=D(2026, 10, 1),
            created_by=sup_l,
        )

        _survey(a, cw_z, D(2026, 10, 1), status="farming")
        programmes.outreach_record(case=a, actor=cw_z, on=D(2026, 9, 30))
        programmes.enrolment_record(case=a, actor=cw_z, course=skill, on=D(2026, 10, 2))
        _survey(b, cw_z, D(2026, 10, 5), status="farming")
        programmes.enrolment_record(case=b, actor=cw_z, course=startup, on=D(2026, 10, 6))
        programmes.placement_record(case=b, actor=cw_z, programme=workshop, on=D(2026, 10, 31))
        _survey(c, cw_z, D(2026, 8, 5), status="farming")
        Case.objects.filter(pk=c.pk).update(left_list_on=D(2026, 10, 20))
        _survey(d, cw_z, D(2026, 9, 2), status="farming")
        programmes.placement_record(case=d, actor=cw_z, programme=post, on=D(2026, 9, 10))
        recording.follow_up_record(
            case=Case.objects.get(pk=d.pk),
            actor=cw_z,
            status="still_working",
            followed_up_on=D(2026, 10, 20),
        )
        round_ = Reconciliation.objects.create(
            county=zijin, held_on=D(2026, 10, 25), recorded_by=sup_z
        )
        done, refused = programmes.reconciliation_confirm(
            reconciliation=round_,
            actor=sup_z,
            on=D(2026, 10, 25),
            cases=Case.objects.filter(pk__in=[b.pk, d.pk]).select_related("person"),
        )
        assert (done, len(refused)) == (1, 1)
        _survey(e, cw_l, D(2026, 10, 11), status="farming")
        processes.place_in_work(
            case=Case.objects.get(pk=e.pk),
            actor=cw_l,
            employment={
                "on": D(2026, 10, 12),
                "started_on": D(2026, 10, 12),
                "employer": "某厂",
                "form": "employee",
            },
        )
        _survey(f, cw_z, D(2026, 10, 4))
        Case.objects.filter(pk=f.pk).update(merged_into=a)
        programmes.outreach_record(case=Case.objects.get(pk=g.pk), actor=cw_z, on=D(2026, 10, 20))
        _survey(h, cw_l, D(2026, 9, 2), status="farming")
        programmes.placement_record(
            case=h, actor=cw_l, programme=event, on=D(2026, 10, 1), employer="某电子厂"
        )
        _survey(Case.objects.get(pk=a.pk), cw_z, D(2026, 10, 31), status="farming")
        _transfer(client_of, d, sup_z, sup_l, "龙川县/老隆镇/水口村")
    with at(D(2026, 11, 10)):
        recording.follow_up_record(
            case=Case.objects.get(pk=b.pk),
            actor=cw_z,
            status="still_working",
            followed_up_on=D(2026, 11, 2),
        )
        registry.case_undo_last_change(case=Case.objects.get(pk=e.pk), actor=sup_l, reason="录错")
    staff_ = {"cw_z": cw_z, "cw_l": cw_l, "sup_z": sup_z, "sup_l": sup_l}
    return {
        "cases": {k: Case.objects.get(pk=v.pk) for k, v in cases.items()},
        "zijin": zijin,
        "longchuan": longchuan,
        "staff": staff_,
        "round": round_,
    }
