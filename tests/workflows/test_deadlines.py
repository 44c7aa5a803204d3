"""Due dates in China's working days: 国庆节, a Spring Festival make-up day, an unknown year."""

import datetime

import pytest

from workflows.deadlines import WorkCalendar, add_months, calendar_gaps
from workflows.models import CalendarDay, DeadlineRule, TaskKind

D = datetime.date


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


def test_a_year_the_library_does_not_know_falls_back_to_weekends_and_the_table(db):
    assert calendar_gaps(D(2026, 11, 26)) == [2027]
    plain = WorkCalendar()
    assert plain.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)  # Friday → Monday
    CalendarDay.objects.create(date=D(2027, 1, 4), is_working_day=False, note="元旦调休")
    CalendarDay.objects.create(date=D(2027, 1, 9), is_working_day=True, note="补班")
    local = WorkCalendar()
    assert local.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 5)
    assert local.is_working_day(D(2027, 1, 9))


def test_administrators_are_warned_that_next_years_schedule_is_missing(
    login, administrator, caseworker, monkeypatch
):
    from casework import views

    monkeypatch.setattr(views.timezone, "localdate", lambda: D(2026, 11, 26))
    page = login(administrator).get("/").content.decode()
    assert 'data-testid="calendar-gap"' in page and "2027" in page
    assert 'data-testid="calendar-gap"' not in login(caseworker).get("/").content.decode()


def test_deadlines_are_editable(db):
    DeadlineRule.objects.filter(kind=TaskKind.SURVEY).update(working_days=5)
    # 28, 29, 30 September, then 8 and 9 October
    assert WorkCalendar().due_on(TaskKind.SURVEY, D(2026, 9, 25)) == D(2026, 10, 9)


def test_follow_up_is_due_a_month_later_on_a_working_day(calendar):
    # 31 August + 1 month = 30 September (a Wednesday); 1 September → 1 October → 8 October
    assert calendar.due_on(TaskKind.FOLLOW_UP, D(2026, 8, 31)) == D(2026, 9, 30)
    assert calendar.due_on(TaskKind.FOLLOW_UP, D(2026, 9, 1)) == D(2026, 10, 8)
    assert add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
