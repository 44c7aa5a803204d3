"""Due dates in China's working days: 国庆节, a Spring Festival make-up day, a year the holiday
library does not know (2027) and the warning to the administrator until its days are entered."""

import datetime
import zoneinfo

import pytest
import time_machine

from workflows import services
from workflows.deadlines import WorkCalendar, add_months, calendar_gaps
from workflows.models import CalendarDay, CaseTask, DeadlineRule, TaskKind

D = datetime.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


@pytest.fixture
def calendar(db):
    return WorkCalendar()


def test_national_day_week_is_skipped_and_its_make_up_saturday_counts(calendar):
    # 2026: 1–7 October off; Sunday 20 September and Saturday 10 October are working days
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.is_working_day(D(2026, 10, 10))
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert calendar.is_working_day(D(2026, 9, 20))


def test_survey_deadline_across_national_day(calendar):
    # identified on Friday 25 September 2026: 28, 29, 30 Sept; 8, 9, 10 (make-up Saturday),
    # 12–16, 19–22 October: the fifteenth working day is Thursday 22 October
    assert calendar.due_on(TaskKind.SURVEY, D(2026, 9, 25)) == D(2026, 10, 22)


def test_spring_festival_make_up_saturday_is_a_working_day(calendar):
    # 2026 Spring Festival: 15–23 February off, Saturdays 14 and 28 February worked
    assert calendar.is_working_day(D(2026, 2, 14))
    assert not calendar.is_working_day(D(2026, 2, 16))
    assert calendar.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 14)
    assert calendar.add_working_days(D(2026, 2, 14), 1) == D(2026, 2, 24)


def test_a_year_the_library_does_not_know_falls_back_to_statutory_holidays_and_the_table(db):
    # chinesecalendar 1.11 stops at 2026; 2027's days off come from python-holidays
    assert calendar_gaps(D(2026, 11, 26)) == [2027]
    plain = WorkCalendar()
    assert not plain.is_working_day(D(2027, 1, 1))  # New Year's Day, a Friday
    assert plain.is_working_day(D(2027, 1, 4))  # the Monday after
    assert plain.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)
    # Spring Festival 2027: 正月初一 is Saturday 6 February; the Monday after is 初三
    assert not plain.is_working_day(D(2027, 2, 5))  # 除夕, a Friday, a statutory day since 2025
    assert not plain.is_working_day(D(2027, 2, 6))
    assert not plain.is_working_day(D(2027, 2, 8))
    assert not plain.is_working_day(D(2027, 2, 9))  # the weekend's days made up after it
    assert plain.is_working_day(D(2027, 2, 11))
    assert not plain.is_working_day(D(2027, 2, 13))  # a plain Saturday
    CalendarDay.objects.create(date=D(2027, 1, 4), is_working_day=False, note="元旦调休")
    CalendarDay.objects.create(date=D(2027, 2, 20), is_working_day=True, note="春节调休补班")
    local = WorkCalendar()
    assert local.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 5)
    assert local.is_working_day(D(2027, 2, 20))  # a Saturday the administrator made a working day
    assert local.add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 20)
    assert calendar_gaps(D(2026, 11, 26)) == []


def test_2026_keeps_the_official_schedule_with_its_make_up_days(calendar):
    # 国庆节 2026: 1–7 October off, Saturday 10 October worked (the State Council's schedule,
    # which python-holidays' weekend rule would not give)
    assert calendar.add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)
    assert calendar.add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)


def test_years_of_open_deadlines_are_checked_too(zijin_case):
    services.case_process_start(case=zijin_case)
    CaseTask.objects.filter(case=zijin_case).update(due_on=D(2028, 3, 1))
    assert calendar_gaps(D(2026, 11, 26)) == [2027, 2028]
    CalendarDay.objects.create(date=D(2028, 1, 29), is_working_day=True, note="补班")
    assert calendar_gaps(D(2026, 11, 26)) == [2027]


@time_machine.travel(datetime.datetime(2026, 11, 26, 9, 0, tzinfo=SHANGHAI), tick=False)
def test_the_administrator_is_warned_until_next_years_days_are_entered(
    login, administrator, caseworker
):
    client = login(administrator)
    page = client.get("/").content.decode()
    assert 'data-testid="calendar-gap"' in page and "2027" in page
    assert 'data-testid="calendar-gap"' not in login(caseworker).get("/").content.decode()

    # the administrator enters 2027's first make-up working day in the admin
    client = login(administrator)
    response = client.post(
        "/admin/workflows/calendarday/add/",
        {"date": "2027-02-20", "is_working_day": "on", "note": "春节调休补班"},
    )
    assert response.status_code == 302
    assert 'data-testid="calendar-gap"' not in client.get("/").content.decode()


def test_deadlines_are_editable(db):
    DeadlineRule.objects.filter(kind=TaskKind.SURVEY).update(working_days=5)
    # 28, 29, 30 September, then 8 and 9 October
    assert WorkCalendar().due_on(TaskKind.SURVEY, D(2026, 9, 25)) == D(2026, 10, 9)


def test_follow_up_is_due_a_month_later_on_a_working_day(calendar):
    # 31 August + 1 month = 30 September (a Wednesday); 1 September → 1 October → 8 October
    assert calendar.due_on(TaskKind.FOLLOW_UP, D(2026, 8, 31)) == D(2026, 9, 30)
    assert calendar.due_on(TaskKind.FOLLOW_UP, D(2026, 9, 1)) == D(2026, 10, 8)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
