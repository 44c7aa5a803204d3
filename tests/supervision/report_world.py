"""November 2026 in two counties, whose supervision report is worked out by hand below.

The figures are taken as November ended: at the first moment of 2026-12-01 ("the cut"); a task
is overdue when it was open then and due before that day. Every case was identified on
2026-09-01 and never surveyed, so each wants work and none is served or covered.

紫金县 (caseworker cw_zijin):
- 钟秀英 紫城镇/新联村  survey task created 10-01, due 11-10, open, held by cw_zijin: overdue,
  21 days (11-10 → 12-01)
- 黄志强 紫城镇/新联村  created 10-01, due 11-20, done 12-02 (after the cut), unclaimed: overdue,
  11 days
- 李美玲 紫城镇/新联村  created 10-01, due 11-05, done 11-25: not overdue (done before the cut)
- 陈国华 紫城镇/新联村  created 11-20, due 12-01: open but not overdue (due on the cut's day)
- 张小燕 紫城镇/新联村  created 12-02, due 11-01: made after the cut, not counted
- 曾德明 龙窝镇/石坑村  created 10-01, due 10-15, open, unclaimed: overdue, 47 days
龙川县 (caseworker cw_longchuan):
- 刘建国 老隆镇/水口村  created 10-01, due 11-29, open, held by cw_longchuan: overdue, 2 days

So as November ended: 紫金县 4 open tasks, 3 overdue (75.0%), by township 紫城镇 2 and 龙窝镇
1, by caseworker 未认领 2 and cw_zijin 1; 龙川县 1 open, 1 overdue (100.0%). The targets: 紫金县
6 want work, 龙川县 1, none served (0.0%). The stage funnel at the end of 11-30: 7 cases 已识别
(张小燕 too: identified before). The ladder's November: every county of 河源市 strikes (the October
report due in November never came), 紫金县 and 龙川县 for too many overdue tasks as well; each
climbs from level 0 to 1, a reminder. Ranking: the
five other counties of 河源市 have no open task (0.0%) and nobody to serve, so they come first
by code; then 紫金县 (75.0%) 6th and 龙川县 (100.0%) 7th. Inspections: 紫金县 on 11-18 in the
period; 龙川县 on 10-20, before it.
"""

import datetime
import zoneinfo

import pytest
from viewflow.workflow.models import Task

from casework.idnumber import make_id_number
from casework.models import Region, Role
from supervision.ladder import county_escalations_run
from supervision.models import Inspection
from tests.factories import CaseFactory, region, staff
from workflows import services
from workflows.models import CaseTask

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 12, 5, 10, 0, tzinfo=SHANGHAI)
D = datetime.date

# name, place, id number, created, due, finished, holder
CASES = [
    ("钟秀英", "紫金县/紫城镇/新联村", make_id_number("441621", D(1975, 3, 8), 121),
     D(2026, 10, 1), D(2026, 11, 10), None, "cw_zijin"),
    ("黄志强", "紫金县/紫城镇/新联村", make_id_number("441621", D(1980, 7, 19), 233),
     D(2026, 10, 1), D(2026, 11, 20), D(2026, 12, 2), None),
    ("李美玲", "紫金县/紫城镇/新联村", make_id_number("441621", D(1969, 1, 30), 342),
     D(2026, 10, 1), D(2026, 11, 5), D(2026, 11, 25), None),
    ("陈国华", "紫金县/紫城镇/新联村", make_id_number("441621", D(1990, 12, 1), 455),
     D(2026, 11, 20), D(2026, 12, 1), None, None),
    ("张小燕", "紫金县/紫城镇/新联村", make_id_number("441621", D(1985, 5, 5), 562),
     D(2026, 12, 2), D(2026, 11, 1), None, None),
    ("曾德明", "紫金县/龙窝镇/石坑村", make_id_number("441621", D(1972, 9, 9), 671),
     D(2026, 10, 1), D(2026, 10, 15), None, None),
    ("刘建国", "龙川县/老隆镇/水口村", make_id_number("441622", D(1978, 3, 12), 451),
     D(2026, 10, 1), D(2026, 11, 29), None, "cw_longchuan"),
]  # fmt: skip
OVERDUE = {"钟秀英": 21, "黄志强": 11, "曾德明": 47, "刘建国": 2}


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)


@pytest.fixture
def november(db, city):
    """The story above, with the ladder's November assessed; returns the cases by name."""
    holders = {
        "cw_zijin": staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇"),
        "cw_longchuan": staff("cw_longchuan", Role.CASEWORKER, "龙川县/老隆镇"),
    }
    cases = {}
    for name, place, number, created, due, finished, holder in CASES:
        case = CaseFactory(region=region(place), name=name, id_number=number,
                           identified_on=D(2026, 9, 1))  # fmt: skip
        services.case_process_start(case=case)
        case_task = CaseTask.objects.get(case=case)
        CaseTask.objects.filter(pk=case_task.pk).update(due_on=due)
        change = {"created": at(created)}
        if finished:
            change.update(status="DONE", finished=at(finished, 12))
        if holder:
            change.update(owner=holders[holder])
            change.setdefault("status", "ASSIGNED")
        Task.objects.filter(pk=case_task.pk).update(**change)
        # the lists' copies of owner and status, as the services keep them
        copies = {key: value for key, value in change.items() if key in ("status", "owner")}
        CaseTask.objects.filter(pk=case_task.pk).update(**copies)
        cases[name] = case
    zijin, longchuan = (Region.objects.get(name=name) for name in ("紫金县", "龙川县"))
    Inspection.objects.create(
        county=zijin, held_on=D(2026, 11, 18), inspectors="王督导、李科长",
        findings="台账登记不全", follow_up="补齐入户调查台账", follow_up_due=D(2026, 12, 15),
        recorded_by=city, recorded_at=at(D(2026, 11, 18), 17),
    )  # fmt: skip
    Inspection.objects.create(
        county=longchuan, held_on=D(2026, 10, 20), inspectors="王督导", findings="十月检查发现",
        recorded_by=city, recorded_at=at(D(2026, 10, 20), 17),
    )  # fmt: skip
    county_escalations_run(at(D(2026, 12, 1), 8))
    return cases
