"""Retention: a case closed past the period loses its laborer's numbers, keeps its records and
every monthly count; old uploaded rosters are deleted."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from casework import jobs
from casework.models import Case, CaseEvent, RetentionRule, RosterImport, Survey, SurveyDraft
from casework.recording import survey_submit
from casework.retention import retention_apply
from reports.figures import figures_by_county
from reports.periods import Month
from tests.factories import CaseFactory

D = datetime.date
ID, PHONE = "441621198507150029", "13912345678"
KEPT_ID = "441621199002280519"  # closed too recently to be erased


def close(case, on):
    Case.objects.filter(pk=case.pk).update(stage="closed", closed_on=on, closed_reason="moved_away")


@pytest.fixture
def closed_long_ago(zicheng, caseworker):
    case = CaseFactory(region=zicheng, id_number=ID, phone=PHONE, identified_on=D(2019, 3, 5))
    survey_submit(
        case=case,
        actor=caseworker,
        surveyed_on=D(2019, 3, 12),
        employment_status="farming",
        answers={"phone": PHONE, "name": case.person.name},
    )
    SurveyDraft.objects.create(case=case, author=caseworker, data={"note": "草稿"})
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ID_CORRECTED,
        data={"old": "441621********0028", "new": "441621********0029"},
    )
    close(case, D(2019, 6, 30))
    recent = CaseFactory(region=zicheng, id_number=KEPT_ID, identified_on=D(2019, 3, 6))
    close(recent, D(2024, 1, 31))
    return case


def figures(months):
    return {str(month): figures_by_county(month) for month in months}


def test_erasure_keeps_every_monthly_figure_and_erases_the_numbers(
    closed_long_ago, login, supervisor
):
    months = [Month(2019, 3), Month(2019, 6), Month(2024, 1)]
    before = figures(months)
    county = closed_long_ago.county_id
    assert (
        before["2019-03"][county]["month_only"]
        != figures([Month(2018, 9)])["2018-09"].get(county, {"month_only": {}})["month_only"]
    )  # March 2019 counts something: the comparison below can fail

    counts = retention_apply(today=D(2026, 11, 27))  # the default rule: five years

    assert counts["cases_erased"] == 1
    assert figures(months) == before
    person = Case.objects.get(pk=closed_long_ago.pk).person
    assert (person.id_number, person.phone, person.birth_date, person.birth_year) == (
        "",
        "",
        None,
        1985,
    )
    assert person.erased_on == D(2026, 11, 27)
    assert Survey.objects.get(case=closed_long_ago).answers["phone"] == ""
    assert not SurveyDraft.objects.filter(case=closed_long_ago).exists()
    corrected = CaseEvent.objects.get(case=closed_long_ago, kind=CaseEvent.Kind.ID_CORRECTED)
    assert corrected.data == {"old": "", "new": ""}
    assert CaseEvent.objects.filter(case=closed_long_ago, kind="numbers_erased").count() == 1
    kept = Case.objects.get(person__id_number=KEPT_ID)
    assert kept.person.erased_on is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number_hash FROM casework_person WHERE id = %s", [person.pk])
        assert cursor.fetchone() == (None,)

    # the same laborer registered again is a new case: the erased one holds no number
    again = CaseFactory(region=closed_long_ago.region, id_number=ID)
    assert Case.objects.get(person__id_number=ID) == again

    page = login(supervisor).get(closed_long_ago.get_absolute_url()).content.decode()
    assert page.count("data-number>已删除</span>") == 2  # the ID number and the phone
    assert "0029" not in page
    assert retention_apply(today=D(2026, 11, 27))["cases_erased"] == 0  # once


def test_the_rule_edited_in_the_admin_sets_the_period(closed_long_ago):
    RetentionRule.objects.create(erase_after_years=8, roster_file_days=30)
    assert retention_apply(today=D(2026, 11, 27))["cases_erased"] == 0
    out = StringIO()
    call_command("retention_apply", "--today", "2027-07-01", stdout=out)  # 8 years after closing
    assert "cases erased: 1" in out.getvalue()


def test_old_roster_files_are_deleted_and_the_periodic_run_counts_them(settings, tmp_path, db):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "imports").mkdir()
    old, new = (tmp_path / "imports" / "old.csv"), (tmp_path / "imports" / "new.csv")
    old.write_bytes(b"x")
    new.write_bytes(b"y")
    now = timezone.now()
    for name, age in (("old.csv", 31), ("new.csv", 29)):
        RosterImport.objects.create(
            file_name=name,
            sha256="0" * 64,
            stored_file=name,
            status="done",
            created_at=now - datetime.timedelta(days=age),
        )
    counts, failed = jobs.periodic_run(now=now)
    assert failed == [] and counts["personal_numbers_erased"] == 1
    assert not old.exists() and new.exists()
    assert RosterImport.objects.get(file_name="old.csv").stored_file == ""


def test_the_admin_edits_the_one_rule(login, administrator):
    client = login(administrator)
    url = reverse("admin:casework_retentionrule_add")
    response = client.post(url, {"erase_after_years": "6", "roster_file_days": "14"})
    assert response.status_code == 302
    assert (
        RetentionRule.current().erase_after_years,
        RetentionRule.current().roster_file_days,
    ) == (6, 14)
    assert client.get(url).status_code == 403  # one rule only
