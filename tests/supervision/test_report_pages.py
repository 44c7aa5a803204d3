"""The supervision report's pages: city staff ask for a period, follow its printing (the job runs
inline in tests: CASEWORK_JOBS is "sync") and download it, recorded as an export; each role's
answer on each page (403 on the form for a role that may not print, 404 on any report's page
for anyone who may not read it, as for a missing one)."""

import subprocess

import pytest
import time_machine
from django.urls import reverse

from casework.models import ExportLog, Role
from supervision import jobs as supervision_jobs
from supervision.models import SupervisionReport
from supervision.periods import Period
from tests.factories import staff

from .report_world import NOW, november  # noqa: F401


def form_url():
    return reverse("supervision:report")


def progress_url(pk):
    return reverse("supervision:report_progress", args=[pk])


def download_url(pk):
    return reverse("supervision:report_download", args=[pk])


def pdf_text(content: bytes, tmp_path) -> str:
    target = tmp_path / "downloaded.pdf"
    target.write_bytes(content)
    return subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


@pytest.mark.usefixtures("november")
@time_machine.travel(NOW, tick=False)
def test_city_staff_print_a_report_in_the_background_and_download_it(login, city, tmp_path):
    client = login(city)
    page = client.get(form_url())
    assert page.status_code == 200
    assert 'value="2026Q3"' in page.content.decode()  # the last quarter ended is offered
    response = client.post(form_url(), {"period": "2026-11"})
    record = SupervisionReport.objects.get()
    assert response.status_code == 302 and response["Location"] == progress_url(record.pk)
    assert (record.period, record.requested_by, record.language) == ("2026-11", city, "zh-hans")
    assert record.status == "done" and record.annex_rows == 4 and record.size > 10_000
    assert not ExportLog.objects.exists()  # printing is not a download
    state = client.get(progress_url(record.pk), HTTP_ACCEPT="application/json").json()
    assert state == {"status": "done", "progress": 100, "working": False}
    page = client.get(progress_url(record.pk)).content.decode()
    assert download_url(record.pk) in page and 'data-testid="annex-rows">4<' in page
    assert "2026-11" in client.get(form_url()).content.decode()  # in the recent reports
    download = client.get(download_url(record.pk))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "no-store"
    assert "attachment" in download["Content-Disposition"]
    text = pdf_text(download.content, tmp_path)
    assert "河源市就业技能扶贫督导报告" in text
    assert "生成人\ncity" in text or "city" in text.split("生成人", 1)[1][:40]
    export = ExportLog.objects.get()
    assert (export.actor, export.kind, export.rows) == (city, "supervision_report", 4)
    assert "2026-11" in export.description


@time_machine.travel(NOW, tick=False)
def test_a_report_still_printing_shows_a_bar_that_refreshes(login, city, db):
    record = SupervisionReport.objects.create(period="2026-11", language="zh-hans",
                                              requested_by=city, requested_at=NOW)  # fmt: skip
    client = login(city)
    page = client.get(progress_url(record.pk)).content.decode()
    assert f'data-progress-url="{progress_url(record.pk)}"' in page and "<progress" in page
    state = client.get(progress_url(record.pk), HTTP_ACCEPT="application/json").json()
    assert state == {"status": "pending", "progress": 0, "working": True}
    assert client.get(download_url(record.pk)).status_code == 404  # not ready


@time_machine.travel(NOW, tick=False)
def test_the_same_period_asked_again_while_printing_is_the_same_report(login, city, db):
    printing = SupervisionReport.objects.create(period="2026-11", language="zh-hans",
                                                requested_by=city, requested_at=NOW)  # fmt: skip
    response = login(city).post(reverse("supervision:report"), {"period": "2026-11"})
    assert response.status_code == 302 and response["Location"] == progress_url(printing.pk)
    assert SupervisionReport.objects.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_bad_or_future_period_is_refused_on_the_form(login, city, db):
    client = login(city)
    page = client.post(form_url(), {"period": "2026Q5"}).content.decode()
    assert "“2026Q5”不是有效的期间：季度请写作 2026Q4，月份请写作 2026-11。" in page
    page = client.post(form_url(), {"period": "2027Q1"}).content.decode()
    assert "期间 2027Q1 尚未开始。" in page
    client.cookies["django_language"] = "en"
    page = client.post(form_url(), {"period": "Q4"}).content.decode()
    assert "“Q4” is not a period: write a quarter as 2026Q4 or a month as 2026-11." in page
    assert not SupervisionReport.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_period_of_year_zero_is_refused_with_a_message_not_an_error(login, city, db):
    response = login(city).post(form_url(), {"period": "0000Q1"})
    assert response.status_code == 200
    assert "报表自 2018-09 起：请选择更晚的期间。" in response.content.decode()
    assert not SupervisionReport.objects.exists()


@time_machine.travel(NOW, tick=False)
def test_a_failed_printing_is_kept_with_its_reason(login, city, db, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(supervision_jobs.report, "report_render", broken)
    client = login(city)
    response = client.post(form_url(), {"period": "2026-11"}, follow=True)
    record = SupervisionReport.objects.get()
    assert record.status == "failed" and record.error == "the disk is full"
    assert "报告生成失败。 the disk is full" in response.content.decode()
    assert client.get(download_url(record.pk)).status_code == 404


@pytest.fixture
def asked(city):
    """A report city staff asked for and printed."""
    with time_machine.travel(NOW, tick=False):
        return supervision_jobs.report_request(actor=city, period=_period("2026-11"))


def _period(text):
    return Period.parse(text, today=NOW.date())


@pytest.mark.parametrize(
    "role, form, its_pages",
    [
        ("caseworker", 403, 404),
        ("supervisor", 403, 404),
        ("other_city", 200, 200),  # a report is the city's: other city staff read it
        ("administrator", 200, 200),
    ],
)
def test_each_role_on_the_report_pages(role, form, its_pages, request, login, asked, db):
    user = (
        staff("city2", Role.CITY_STAFF, "河源市") if role == "other_city"
        else request.getfixturevalue(role)
    )  # fmt: skip
    client = login(user)
    assert client.get(form_url()).status_code == form
    assert client.post(form_url(), {"period": "2026-11"}).status_code in (form, 302)
    assert client.get(progress_url(asked.pk)).status_code == its_pages
    assert client.get(download_url(asked.pk)).status_code == its_pages
    # a missing report is not found for everyone
    assert client.get(progress_url(asked.pk + 100)).status_code == 404


def test_a_post_by_a_role_that_may_not_print_starts_nothing(login, supervisor, db):
    assert login(supervisor).post(form_url(), {"period": "2026-11"}).status_code == 403
    assert not SupervisionReport.objects.exists()


def test_the_report_pages_need_a_login(client, asked):
    for url in (form_url(), progress_url(asked.pk), download_url(asked.pk)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
