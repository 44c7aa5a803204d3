"""The county escalation ladder over five months of 2026, run as cron runs it.

The story (every county but 紫金县 sends each report the day after its month ends):
- 紫金县 (Z) sends no report for July or August, September's late (10-20), October's on time
  (11-02), none for November. It has no tasks.
- 龙川县 (L) gets one case on 09-01 (its survey is due 15 working days later, in September)
  and nine more on 10-25 (due in November); nobody works them.

Worked out by hand, month by month (the report due in a month is the month before's):
| assessed | Z: report due, late? | Z level, step | L: open/overdue at end | L level, step |
| Aug | July's, none: late | 0→1 reminder | 0/0 | 0 none |
| Sep | August's, none: late | 1→2 circular | 1/1: 100% > 10% | 0→1 reminder |
| Oct | Sept's, sent 10-20 | 2→3 interview | 10/1: 10%, not more | 1→0 step down |
| Nov | Oct's, sent 11-02: ok | 3→2 step down | 10/10 | 0→1 reminder |
| Dec | Nov's, none: late | 2→3 interview (again) | 10/10 | 1→2 circular |
The year 2026 (assessed Aug–Dec): Z 4 strikes, 4 late reports, 2 interviews; L 3 strikes,
0 late reports; L's ten laborers want work and none is served: 0% < 90%. The rule's defaults
stop the subsidy at 6 strikes, 3 late reports or a target under 90%: Z (late reports) and L
(target) are stopped, the other counties (no laborer, no strike) are not.
"""

import datetime
import importlib
import io
import json
import subprocess
import sys
import threading
import zoneinfo

import pytest
import time_machine
from django.apps import apps
from django.core.management import call_command
from django.db import connection, connections

from casework.contacts.services import county_contacts_save
from casework.models import Region, Role
from notifications.models import CountyMessage, Delivery, Notification
from notifications.wording import notification_text
from reports.models import MonthlyReport
from supervision import ladder
from supervision.models import (
    Circular,
    CountyMonth,
    Interview,
    LadderRule,
    YearEvaluation,
)
from tests.casework.test_periodic import ROOT, subprocess_env
from tests.factories import CaseFactory, region, staff
from workflows import services as processes

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date
COUNTIES = 7  # the city's counties, from the regions migration


def at(day: datetime.date, hour: int = 10):
    return time_machine.travel(
        datetime.datetime.combine(day, datetime.time(hour), SHANGHAI), tick=False
    )


@pytest.fixture
def run_periodic(django_capture_on_commit_callbacks):
    def run(day: datetime.date) -> int:
        """cron's run at 08:00 of `day` (its messages sent as its transactions commit); how
        many county months it assessed."""
        out = io.StringIO()
        with at(day, 8), django_capture_on_commit_callbacks(execute=True):
            call_command("run_periodic", "--json", "--now", f"{day}T08:00", stdout=out)
        return json.loads(out.getvalue())["county_escalations"]

    return run


def submitted(county: Region, year: int, month: int, on: datetime.date) -> None:
    first = datetime.datetime.combine(on, datetime.time(9), SHANGHAI)
    MonthlyReport.objects.create(
        county=county, month=D(year, month, 1), status=MonthlyReport.Status.SUBMITTED,
        first_submitted_at=first,
    )  # fmt: skip


def months_of(county: Region) -> list[tuple[str, int, str, list]]:
    return [
        (f"{row.month:%Y-%m}", row.level, row.step, row.reasons)
        for row in CountyMonth.objects.filter(county=county).order_by("month")
    ]


@pytest.fixture
def world(db):
    zijin, longchuan = region("紫金县"), region("龙川县")
    people = {
        "sup_z": staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县"),
        "sup_l": staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县"),
        "city": staff("city", Role.CITY_STAFF, "河源市"),
        "cw_l": staff("cw_longchuan", Role.CASEWORKER, "龙川县/老隆镇"),
    }
    county_contacts_save(
        county=zijin, actor=people["sup_z"],
        rows={"leader": {"name": "张局长", "email": "leader@zj.example.cn"},
              "liaison": {"name": "刘联络", "email": "liaison@zj.example.cn"}},
    )  # fmt: skip
    others = Region.objects.filter(level=Region.Level.COUNTY).exclude(pk=zijin.pk)
    for county in others:
        for month, sent in ((7, D(2026, 8, 2)), (8, D(2026, 9, 2)), (9, D(2026, 10, 2)),
                            (10, D(2026, 11, 2)), (11, D(2026, 12, 2))):  # fmt: skip
            submitted(county, 2026, month, sent)
    submitted(zijin, 2026, 9, D(2026, 10, 20))
    submitted(zijin, 2026, 10, D(2026, 11, 2))
    return zijin, longchuan, people


def start_cases(n: int, on: datetime.date) -> None:
    place = region("龙川县/老隆镇/水口村")
    with at(on):
        for _ in range(n):
            processes.case_process_start(case=CaseFactory(region=place))


def test_the_ladder_climbs_steps_down_and_climbs_again_each_step_once(world, run_periodic):
    zijin, longchuan, people = world
    assert run_periodic(D(2026, 9, 1)) == COUNTIES  # the first run: August only
    assert run_periodic(D(2026, 9, 1)) == 0  # a second run that day finds it done
    start_cases(1, D(2026, 9, 1))
    assert run_periodic(D(2026, 10, 1)) == COUNTIES
    start_cases(9, D(2026, 10, 25))
    assert run_periodic(D(2026, 11, 1)) == COUNTIES
    assert run_periodic(D(2026, 11, 15)) == 0  # mid-month: nothing has ended
    assert run_periodic(D(2026, 12, 1)) == COUNTIES
    assert run_periodic(D(2027, 1, 4)) == COUNTIES  # a late run assesses December all the same

    assert months_of(zijin) == [
        ("2026-08", 1, "reminder", ["late_report"]),
        ("2026-09", 2, "circular", ["late_report"]),
        ("2026-10", 3, "interview", ["late_report"]),
        ("2026-11", 2, "step_down", []),
        ("2026-12", 3, "interview", ["late_report"]),
    ]
    assert months_of(longchuan) == [
        ("2026-08", 0, "none", []),
        ("2026-09", 1, "reminder", ["overdue"]),
        ("2026-10", 0, "step_down", []),
        ("2026-11", 1, "reminder", ["overdue"]),
        ("2026-12", 2, "circular", ["overdue"]),
    ]
    october = CountyMonth.objects.get(county=longchuan, month=D(2026, 10, 1))
    assert (october.open_tasks, october.overdue_tasks) == (10, 1)
    others = CountyMonth.objects.exclude(county__in=[zijin, longchuan])
    assert set(others.values_list("step", flat=True)) == {"none"}

    # a circular for September naming 紫金县, one for December naming 龙川县
    circulars = {f"{c.month:%Y-%m}": [row["county"] for row in c.rows]
                 for c in Circular.objects.all()}  # fmt: skip
    assert circulars == {"2026-09": ["紫金县"], "2026-12": ["龙川县"]}
    assert Interview.objects.filter(county=zijin).count() == 2
    assert not Interview.objects.exclude(county=zijin).exists()


def test_who_is_told_at_each_step(world, run_periodic):
    zijin, longchuan, people = world
    run_periodic(D(2026, 9, 1))  # Z: reminder
    reminder = CountyMonth.objects.get(county=zijin, month=D(2026, 8, 1))
    assert reminder.notified["users"] == [people["sup_z"].pk]
    assert reminder.notified["counties"] == [zijin.pk]
    assert reminder.notified["people"] == [
        ["sup_zijin", "county_supervisor"], ["张局长", "leader"], ["刘联络", "liaison"]
    ]  # fmt: skip
    told = Notification.objects.filter(kind="county_ladder")
    assert list(told.values_list("recipient__username", flat=True)) == ["sup_zijin"]
    message = CountyMessage.objects.get(kind="county_ladder")
    assert message.county == zijin
    mail = Delivery.objects.get(county_message=message, channel="email")
    assert mail.address == "leader@zj.example.cn, liaison@zj.example.cn"
    assert mail.subject == "【就业扶贫个案管理系统】提醒：紫金县工作滞后"
    assert mail.body.startswith(
        "紫金县在2026-08被警示一次（月报逾期），目前处于督导第1级。详见 /supervision/"
    )
    (reminded,) = told
    assert notification_text(reminded, "en") == (
        "Reminder: 紫金县 is behind",
        "紫金县 earned a strike for 2026-08 (Monthly report late) and stands at level 1 of the "
        "escalation ladder. See /supervision/",
    )

    run_periodic(D(2026, 10, 1))  # Z: circular (to everyone); L: reminder
    circular = Circular.objects.get()
    told = Notification.objects.filter(kind="county_ladder", data__step="circular")
    assert sorted(told.values_list("recipient__username", flat=True)) == [
        "city", "sup_longchuan", "sup_zijin"
    ]  # fmt: skip
    assert all(n.data["circular_id"] == circular.pk for n in told)
    # every county's channel gets the circular once (only Z has contacts with an address)
    assert CountyMessage.objects.filter(data__step="circular").count() == COUNTIES

    run_periodic(D(2026, 11, 1))  # Z: interview, to city staff and Z's supervisor
    told = Notification.objects.filter(kind="county_ladder", data__step="interview")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["city", "sup_zijin"]


def test_the_year_end_evaluation_is_frozen_when_december_is_assessed(world, run_periodic):
    zijin, longchuan, _people = world
    start_cases(1, D(2026, 9, 1))
    start_cases(9, D(2026, 10, 25))
    for day in (D(2026, 9, 1), D(2026, 10, 1), D(2026, 11, 1), D(2026, 12, 1)):
        run_periodic(day)
    assert not YearEvaluation.objects.exists()
    run_periodic(D(2027, 1, 4))
    rows = {row.county.name: row for row in YearEvaluation.objects.select_related("county")}
    assert len(rows) == COUNTIES
    z, lc = rows["紫金县"], rows["龙川县"]
    assert (z.strikes, z.late_reports, z.interviews, z.subsidy_stopped) == (4, 4, 2, True)
    assert (lc.strikes, lc.late_reports, lc.eligible, lc.served) == (3, 0, 10, 0)
    assert lc.subsidy_stopped is True
    assert sorted(name for name, row in rows.items() if row.subsidy_stopped) == ["紫金县", "龙川县"]


def test_the_rule_edited_in_the_admin_applies_to_the_next_assessment(world, run_periodic):
    zijin, longchuan, _people = world
    LadderRule.objects.create(overdue_percent=100, late_report_strikes=False)
    start_cases(1, D(2026, 9, 1))
    run_periodic(D(2026, 9, 1))
    run_periodic(D(2026, 10, 1))
    # no late report counts, and 100% overdue is not more than 100%
    assert set(CountyMonth.objects.values_list("step", flat=True)) == {"none"}
    assert (
        CountyMonth.objects.filter(county=longchuan, month=D(2026, 9, 1))
        .get()
        .rule["overdue_percent"]
        == "100.0"
    )


@pytest.mark.parametrize(
    ("before", "strike", "after"),
    [(0, True, (1, "reminder")), (1, True, (2, "circular")), (2, True, (3, "interview")),
     (3, True, (3, "interview")), (3, False, (2, "step_down")), (1, False, (0, "step_down")),
     (0, False, (0, "none"))],
)  # fmt: skip
def test_each_level_and_step(before, strike, after):
    assert ladder.next_level(before, strike, LadderRule()) == after


@pytest.mark.parametrize(
    ("n_open", "n_overdue", "strike"),
    [(10, 1, False), (10, 2, True), (0, 0, False), (9, 1, True), (1000, 100, False)],
)
def test_more_than_ten_percent_overdue_is_a_strike(n_open, n_overdue, strike):
    reasons = ladder.strike_reasons(late=False, n_open=n_open, n_overdue=n_overdue,
                                    rule=LadderRule())  # fmt: skip
    assert bool(reasons) is strike


on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="two runners at once need real connections"
)


@pytest.fixture
def regions():
    """Transactional tests run in flushed databases, which also empties the regions that a
    data migration loads: they are loaded again."""
    importlib.import_module("casework.migrations.0002_heyuan_regions").load(apps, None)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_runners_at_once_assess_each_county_month_once(regions):
    zijin = region("紫金县")
    staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县")
    staff("city", Role.CITY_STAFF, "河源市")
    # July was assessed, 紫金县 at level 1: August's missing report makes a circular
    for county in Region.objects.filter(level=Region.Level.COUNTY):
        CountyMonth.objects.create(
            county=county, month=D(2026, 7, 1), level=int(county == zijin),
            assessed_at=datetime.datetime(2026, 8, 1, 8, tzinfo=SHANGHAI),
        )  # fmt: skip
    now = datetime.datetime(2026, 9, 1, 8, tzinfo=SHANGHAI)
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def runner():
        try:
            barrier.wait(timeout=30)
            counts.append(ladder.county_escalations_run(now))
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=runner) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(counts) == [0, COUNTIES]  # one took every county, the other none
    assert CountyMonth.objects.filter(month=D(2026, 8, 1)).count() == COUNTIES
    assert Circular.objects.count() == 1
    assert Notification.objects.filter(kind="county_ladder", data__step="circular").count() == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_cron_hosts_at_once_assess_each_county_month_once(regions):
    staff("sup_zijin", Role.COUNTY_SUPERVISOR, "紫金县")
    command = [sys.executable, "manage.py", "run_periodic", "--json", "--now", "2026-09-01T08:00"]
    hosts = [subprocess.Popen(command, cwd=ROOT, env=subprocess_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]  # fmt: skip
    outputs = [host.communicate(timeout=300) for host in hosts]
    assessed = []
    for host, (out, err) in zip(hosts, outputs, strict=True):
        assert host.returncode == 0, err
        assessed.append(json.loads(out)["county_escalations"])
    assert sorted(assessed) == [0, COUNTIES]
    assert CountyMonth.objects.filter(month=D(2026, 8, 1)).count() == COUNTIES
    assert Notification.objects.filter(kind="county_ladder").count() == 1  # 紫金县's reminder
