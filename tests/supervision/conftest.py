"""Three months of the escalation ladder in the seven counties, assessed by the periodic job at
the start of each month (time_machine moves "now"); the levels are worked out by hand.

Reports due: July's by 2026-08-03, August's by 09-03, September's by 10-08 (reports.periods).
- 和平县 submits July's, August's and September's reports on the 1st after each month: no strike.
- 紫金县 submits August's only: strikes in August and October, none in September.
- 龙川县 and the four other counties submit nothing: a strike every month.
No county has open tasks, so only late reports earn strikes. So, month by month (level, step):
            August        September        October
  和平县    0 none        0 none           0 none
  紫金县    1 reminder    0 stepped down   1 reminder
  龙川县 …  1 reminder    2 circular       3 interview
The September circular names the five counties at level 2; October calls five interviews.
紫金县 has one laborer registered and never served: its refined-service rate is 0.0%.
"""

import datetime
import zoneinfo

import pytest
import time_machine

from casework.models import Region, Role
from reports.models import MonthlyReport
from supervision import ladder
from tests.factories import CaseFactory, region, staff

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = datetime.date(2026, 11, 15)


def moment(day: datetime.date, hour: int = 8) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), SHANGHAI)


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(moment(day, hour), tick=False)


def report_submitted(county: Region, month: datetime.date, on: datetime.date) -> None:
    MonthlyReport.objects.create(
        county=county, month=month, status="submitted", first_submitted_at=moment(on, 10)
    )


def ladder_run(day: datetime.date) -> int:
    with at(day, 8):
        return ladder.county_escalations_run(moment(day, 8))


@pytest.fixture
def ladder_world(db):
    """The story above, assessed up to October; pages are then read on 2026-11-15."""
    zijin, longchuan, heping = region("紫金县"), region("龙川县"), region("和平县")
    users = {
        "city": staff("city", Role.CITY_STAFF, "河源市"),
        "admin": staff("admin", Role.ADMIN, "河源市"),
        "supervisor": staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县"),
        "supervisor_elsewhere": staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县"),
        "caseworker": staff("cw_zijin", Role.CASEWORKER, "紫金县/紫城镇"),
    }
    CaseFactory(region=region("紫金县/紫城镇/新联村"), name="钟未服务")
    D = datetime.date
    for month, on in ((D(2026, 7, 1), D(2026, 8, 1)), (D(2026, 8, 1), D(2026, 9, 1)),
                      (D(2026, 9, 1), D(2026, 10, 1))):  # fmt: skip
        report_submitted(heping, month, on)
    report_submitted(zijin, D(2026, 8, 1), D(2026, 9, 1))
    assessed = [ladder_run(D(2026, month, 1)) for month in (9, 10, 11)]
    assert assessed == [7, 7, 7]
    return {"users": users, "zijin": zijin, "longchuan": longchuan, "heping": heping}


@pytest.fixture
def on_the_15th():
    with at(TODAY):
        yield
