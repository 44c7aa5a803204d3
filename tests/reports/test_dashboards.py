"""The home pages' dashboards: each role sees the two 100% targets, the stage funnel, overdue
tasks week by week and the month's figures against the month before, for its own scope only,
as SVG charts that carry their numbers.

Every chart test runs twice (`counted`): once counted live (no summary taken yet) and once
from the summaries the periodic job takes (reports.snapshots), taken just before the page is
read; the expected numbers, written out by hand, are the same for both."""

import datetime
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from viewflow.workflow.models import Task

from casework import recording
from casework.models import Benefit, Outreach
from reports import charts, snapshots
from reports.models import MonthlyReport, OverdueAt, Submission
from tests.factories import CaseFactory, region
from workflows import services
from workflows.models import CaseTask

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
NOW = datetime.datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)  # a Friday
D = datetime.date


def svg(page: str, testid: str) -> str:
    """One chart of the page, from its <svg> to its </svg>."""
    found = re.search(rf'<svg[^>]*data-testid="{testid}".*?</svg>', page, re.S)
    assert found, testid
    return found.group(0)


def texts(chart: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", chart)]


def surveyed(case, actor, reasons=(), status="farming"):
    recording.survey_submit(
        case=case, actor=actor, surveyed_on=D(2026, 9, 2), employment_status=status,
        answers={"reasons": list(reasons)},
    )  # fmt: skip


def outreach(case, actor, on=None):
    Outreach.objects.create(case=case, on=on or D(2026, 9, 3), recorded_by=actor)


def benefit(case, actor):
    Benefit.objects.create(case=case, kind="transport", on=D(2026, 9, 4), amount=200,
                           recorded_by=actor)  # fmt: skip


@pytest.fixture(params=["live", "taken"])
def login(request, login):
    """The test client's login, which in "taken" mode first has the periodic job take the
    dashboards' summaries (as of the test's now), so that the page reads them."""
    if request.param == "live":
        return login

    def taken_then_login(user):
        snapshots.dashboards_refresh(timezone.now())
        return login(user)

    return taken_then_login


@pytest.fixture
def laborers(caseworker, zicheng, laolong):
    """紫城镇: 3 want work (one served and covered, one served only, one never surveyed) and
    one unable to work; 龙窝镇: 1 wants work, served (a benefit is a service) and covered;
    龙川县: 1 wants work, served, not covered."""
    shikeng = region("紫金县/龙窝镇/石坑村")
    first = D(2026, 9, 1)
    a, b, c, d = (CaseFactory(region=zicheng, identified_on=first) for _ in range(4))
    f = CaseFactory(region=shikeng, identified_on=first)
    g = CaseFactory(region=laolong, identified_on=first)
    surveyed(a, caseworker, reasons=["skills"])
    outreach(a, caseworker)
    benefit(a, caseworker)
    surveyed(b, caseworker, status="local")
    outreach(b, caseworker)
    surveyed(d, caseworker, reasons=["unable"])
    outreach(d, caseworker)
    surveyed(f, caseworker)
    benefit(f, caseworker)
    surveyed(g, caseworker)
    outreach(g, caseworker)
    return c


@time_machine.travel(NOW, tick=False)
def test_a_supervisor_sees_the_two_targets_by_township_of_their_county_only(
    login, supervisor, laborers
):
    page = login(supervisor).get(reverse("home")).content.decode()
    shown = texts(svg(page, "chart-targets"))
    # 紫城镇: 3 want work, 2 served, 1 covered; 龙窝镇: 1, 1, 1; the county: 4, 3, 2
    assert shown[shown.index("紫城镇") :][:3] == ["紫城镇", "66.7% (2/3)", "33.3% (1/3)"]
    assert shown[shown.index("龙窝镇") :][:3] == ["龙窝镇", "100.0% (1/1)", "100.0% (1/1)"]
    assert shown[shown.index("合计") :][:3] == ["合计", "75.0% (3/4)", "50.0% (2/4)"]
    assert "龙川县" not in shown and "老隆镇" not in shown


@time_machine.travel(NOW, tick=False)
def test_city_staff_see_the_two_targets_of_every_county(login, city, laborers):
    page = login(city).get(reverse("home")).content.decode()
    shown = texts(svg(page, "chart-targets"))
    assert shown[shown.index("紫金县") :][:3] == ["紫金县", "75.0% (3/4)", "50.0% (2/4)"]
    assert shown[shown.index("龙川县") :][:3] == ["龙川县", "100.0% (1/1)", "0.0% (0/1)"]
    assert shown[shown.index("合计") :][:3] == ["合计", "80.0% (4/5)", "40.0% (2/5)"]


@time_machine.travel(NOW, tick=False)
def test_a_caseworker_sees_the_targets_by_village_of_their_township_and_no_month_comparison(
    login, caseworker, laborers
):
    page = login(caseworker).get(reverse("home")).content.decode()
    shown = texts(svg(page, "chart-targets"))
    assert shown[shown.index("新联村") :][:3] == ["新联村", "66.7% (2/3)", "33.3% (1/3)"]
    assert "石坑村" not in shown and "龙窝镇" not in shown
    assert 'data-testid="chart-months"' not in page


@time_machine.travel(NOW, tick=False)
def test_the_funnel_counts_the_cases_in_each_stage_and_links_to_them(login, supervisor, laborers):
    page = login(supervisor).get(reverse("home")).content.decode()
    funnel = svg(page, "chart-funnel")
    # 紫金县: one never surveyed, four surveyed (龙川县's is not counted)
    assert texts(funnel) == [
        "已识别 1", "已调查 4", "已帮扶 0", "已就业 0", "已跟踪服务 0", "已结案 0"
    ]  # fmt: skip
    assert f'href="{reverse("casework:case_list")}?stage=surveyed"' in funnel
    assert 'aria-label="已调查: 4"' in funnel and "<title" in funnel


def task_at(place, *, created, due, finished=None):
    """A case whose survey task was created, falls due and (perhaps) was done on these days."""
    case = CaseFactory(region=place, identified_on=D(2026, 9, 1))
    services.case_process_start(case=case)
    case_task = CaseTask.objects.get(case=case)
    CaseTask.objects.filter(pk=case_task.pk).update(due_on=due)
    at = datetime.datetime.combine(created, datetime.time(9), tzinfo=SHANGHAI)
    done = {}
    if finished:
        noon = datetime.datetime.combine(finished, datetime.time(12), SHANGHAI)
        done = {"status": "DONE", "finished": noon}
    Task.objects.filter(pk=case_task.pk).update(created=at, **done)
    if finished:  # the lists' copy of the status, as the services keep it
        CaseTask.objects.filter(pk=case_task.pk).update(status="DONE")


@time_machine.travel(NOW, tick=False)
def test_overdue_tasks_are_counted_at_the_end_of_each_of_the_last_twelve_weeks(
    login, supervisor, zicheng, laolong
):
    task_at(zicheng, created=D(2026, 10, 1), due=D(2026, 10, 20))  # still open
    task_at(zicheng, created=D(2026, 10, 1), due=D(2026, 10, 5), finished=D(2026, 11, 10))
    task_at(zicheng, created=D(2026, 11, 15), due=D(2026, 11, 16))
    task_at(zicheng, created=D(2026, 11, 1), due=D(2026, 11, 20))  # not overdue on the 20th
    task_at(laolong, created=D(2026, 10, 1), due=D(2026, 10, 2))  # another county's
    page = login(supervisor).get(reverse("home")).content.decode()
    line = svg(page, "chart-overdue")
    days = re.findall(r">(\d\d-\d\d)</text>", line)
    assert days == ["09-11", "09-18", "09-25", "10-02", "10-09", "10-16", "10-23", "10-30",
                    "11-06", "11-13", "11-20", "11-27"]  # fmt: skip
    values = re.findall(r"<circle[^>]*/>\s*<text[^>]*>(\d+)</text>", line)
    assert [int(v) for v in values] == [0, 0, 0, 0, 1, 1, 2, 2, 2, 1, 2, 3]
    # the last point is now: the overdue tile's number
    assert re.search(r'data-testid="tile-overdue"><strong>3</strong>', page)


@time_machine.travel(NOW, tick=False)
def test_last_months_figures_stand_against_the_month_before_for_the_users_counties(
    login, supervisor, city, caseworker, zicheng, laolong
):
    zijin = CaseFactory(region=zicheng, identified_on=D(2026, 8, 1))
    longchuan = CaseFactory(region=laolong, identified_on=D(2026, 8, 1))
    outreach(zijin, caseworker, on=D(2026, 10, 1))
    outreach(zijin, caseworker, on=D(2026, 9, 30))
    outreach(longchuan, caseworker, on=D(2026, 10, 31))

    def outreach_bars(user):
        page = login(user).get(reverse("home")).content.decode()
        shown = texts(svg(page, "chart-months"))
        assert shown[:2] == ["2026-09", "2026-10"]  # the legend: the month before, last month
        at = next(n for n, text in enumerate(shown) if text.startswith("1c "))
        return int(shown[at + 1]), int(shown[at + 2])

    assert outreach_bars(supervisor) == (1, 1)  # 紫金县 only
    assert outreach_bars(city) == (1, 2)  # every county
    # a submitted report's month-only figures stand as submitted
    report = MonthlyReport.objects.create(county=region("紫金县"), month=D(2026, 9, 1),
                                          status="submitted")  # fmt: skip
    Submission.objects.create(
        report=report, submitted_by=supervisor, submitted_at=NOW,
        figures={"cumulative": {}, "month_only": {"1c": 7}}, members={},
    )  # fmt: skip
    assert outreach_bars(supervisor) == (7, 1)


def test_axis_steps_are_round_numbers_reaching_the_largest_value():
    assert charts.nice_ticks(0) == [0, 1]
    assert charts.nice_ticks(3) == [0, 1, 2, 3]
    assert charts.nice_ticks(343) == [0, 100, 200, 300, 400]
    assert charts.nice_ticks(48) == [0, 20, 40, 60]


def test_the_summaries_stand_until_retaken_and_the_page_says_when_they_were_counted(
    login, city, caseworker, laborers
):
    never_covered = (
        Outreach.objects.filter(case__region__name="新联村")
        .exclude(case__benefits__isnull=False)
        .first()
        .case
    )  # laborer b: surveyed and served, no benefit
    with time_machine.travel(NOW, tick=False):
        assert snapshots.dashboards_refresh(timezone.now()) >= 2  # targets and months
        benefit(never_covered, caseworker)
        page = login(city).get(reverse("home")).content.decode()
        shown = texts(svg(page, "chart-targets"))
        assert shown[shown.index("紫金县") :][:3] == ["紫金县", "75.0% (3/4)", "50.0% (2/4)"]
        assert "2026-11-27 10:00" in page.split('data-testid="dashboard-taken"')[1][:300]
        # within the interval nothing is taken again
        assert snapshots.dashboards_refresh(timezone.now()) == 0
    with time_machine.travel(NOW + datetime.timedelta(minutes=16), tick=False):
        assert snapshots.dashboards_refresh(timezone.now()) == 2  # targets and months again
        page = login(city).get(reverse("home")).content.decode()
        shown = texts(svg(page, "chart-targets"))
        assert shown[shown.index("紫金县") :][:3] == ["紫金县", "75.0% (3/4)", "75.0% (3/4)"]
        assert "2026-11-27 10:16" in page


@time_machine.travel(NOW, tick=False)
def test_a_past_day_of_the_overdue_history_is_counted_once(zicheng):
    task_at(zicheng, created=D(2026, 10, 1), due=D(2026, 10, 20))
    assert snapshots.overdue_take(timezone.now()) == 11  # the eleven past week-end days
    assert snapshots.overdue_take(timezone.now()) == 0
    assert sorted(OverdueAt.objects.values_list("day", "n")) == [
        (D(2026, 10, 23), 1), (D(2026, 10, 30), 1), (D(2026, 11, 6), 1), (D(2026, 11, 13), 1),
        (D(2026, 11, 20), 1),
    ]  # fmt: skip
    with time_machine.travel(NOW + datetime.timedelta(days=7), tick=False):
        assert snapshots.overdue_take(timezone.now()) == 1  # 11-27 became a past day
        assert OverdueAt.objects.filter(day__lt=D(2026, 9, 18)).count() == 0
