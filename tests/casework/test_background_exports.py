"""Exports of more rows than CASEWORK_EXPORT_INLINE_MAX_ROWS: the same URL starts a background
job and sends its asker to a progress page, then a download link; smaller ones keep answering
the file. The file is kept encrypted, for its asker only, and deleted after a time."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework import exports
from casework.models import ExportFile, ExportLog, Role
from casework.retention import retention_apply
from tests.casework.test_needs import COOK, surveyed
from tests.factories import CaseFactory, region, staff

# the ledger's first five columns: county, township, village, masked ID number, name
LEDGER_HEADER = ("县（区）", "乡镇（街道）", "村（社区）", "身份证号码", "姓名")


@pytest.fixture(autouse=True)
def small_threshold(settings, tmp_path):
    """Three rows answer within the request; a fourth sends the export to the background."""
    settings.CASEWORK_EXPORT_INLINE_MAX_ROWS = 3
    settings.MEDIA_ROOT = tmp_path / "media"


def four_cases(zicheng):
    names = ["甲一", "乙二", "丙三", "丁四"]
    numbers = ["441621198507150029", "441621199001010015", "441621197203040045",
               "44162119661212005X"]  # fmt: skip
    return [CaseFactory(region=zicheng, name=name, id_number=number)
            for name, number in zip(names, numbers, strict=True)]  # fmt: skip


def workbook_rows(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_three_rows_still_answer_the_workbook_directly(login, supervisor, zicheng):
    cases = four_cases(zicheng)
    cases[3].delete()
    response = login(supervisor).get(reverse("casework:ledger_export"))
    assert response.status_code == 200
    rows = workbook_rows(response.content)
    assert rows[0][:5] == LEDGER_HEADER
    assert sorted(row[4] for row in rows[1:]) == ["丙三", "乙二", "甲一"]
    assert ExportFile.objects.count() == 0
    assert ExportLog.objects.get().rows == 3


def test_a_large_ledger_is_written_in_the_background_for_its_asker_only(
    login, supervisor, city, zicheng
):
    four_cases(zicheng)
    client = login(supervisor)
    with CaptureQueriesContext(connection) as asked:
        response = client.get(reverse("casework:ledger_export"), {"stage": "identified"})
    record = ExportFile.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exports/{record.pk}/"
    # deciding took a count capped at the threshold + 1, not a count of every case
    counts = [q["sql"] for q in asked.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 4" in sql for sql in counts[:1])

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'data-testid="export-download"' in page.content.decode()
    assert ExportLog.objects.count() == 0  # asked, not yet downloaded

    download = client.get(reverse("export_download", args=[record.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "no-store"
    rows = workbook_rows(download.content)
    assert [row[:5] for row in rows] == [
        LEDGER_HEADER,
        ("紫金县", "紫城镇", "新联村", "441621********0029", "甲一"),
        ("紫金县", "紫城镇", "新联村", "441621********0015", "乙二"),
        ("紫金县", "紫城镇", "新联村", "441621********0045", "丙三"),
        ("紫金县", "紫城镇", "新联村", "441621********005X", "丁四"),
    ]
    log = ExportLog.objects.get()
    assert (log.actor, log.kind, log.rows) == (supervisor, "ledger", 4)
    assert log.description == "/cases/ledger.xlsx?stage=identified"
    # at rest the file is encrypted: no zip archive, no name in it
    stored = exports.export_file_path(record.stored_file).read_bytes()
    assert not stored.startswith(b"PK") and "甲一".encode() not in stored

    # anyone else: 404, the same bytes as an id nobody has
    other = login(city)
    for name in ("export_progress", "export_download"):
        theirs = other.get(reverse(name, args=[record.pk]))
        missing = other.get(reverse(name, args=[record.pk + 1000]))
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
    assert ExportLog.objects.count() == 1


def test_the_progress_page_answers_its_script_and_a_failure_is_shown(login, supervisor):
    record = ExportFile.objects.create(owner=supervisor, kind="ledger", filename="ledger.xlsx",
                                       description="/cases/ledger.xlsx?")  # fmt: skip
    client = login(supervisor)
    state = client.get(reverse("export_progress", args=[record.pk]),
                       headers={"Accept": "application/json"}).json()  # fmt: skip
    assert state == {"status": "pending", "progress": 0, "working": True}
    assert client.get(reverse("export_download", args=[record.pk])).status_code == 404
    ExportFile.objects.filter(pk=record.pk).update(status="failed", error="disk full")
    page = client.get(reverse("export_progress", args=[record.pk])).content.decode()
    assert 'data-testid="export-error"' in page and "disk full" in page


def test_a_large_needs_list_keeps_the_pages_filter_and_columns(login, caseworker, zicheng):
    client = login(caseworker)
    for _ in range(4):
        surveyed(client, zicheng, **COOK)
    surveyed(client, region("紫金县/紫城镇/上围村"), **COOK)  # filtered out below
    village = region("紫金县/紫城镇/新联村")
    response = client.get(reverse("needs"), {"_export": "xlsx", "village": village.pk})
    record = ExportFile.objects.get()
    assert response["Location"] == f"/exports/{record.pk}/"
    rows = workbook_rows(client.get(reverse("export_download", args=[record.pk])).content)
    assert rows[0][:5] == ("姓名", "身份证号", "乡镇（街道）", "村（社区）", "阶段")
    assert len(rows) == 5
    assert {row[3] for row in rows[1:]} == {"新联村"}
    assert {row[9] for row in rows[1:]} == {"中式烹调师"}
    log = ExportLog.objects.get()
    assert (log.kind, log.rows, log.actor) == ("needs", 4, caseworker)


def test_a_large_audit_export_is_written_in_the_background(login, city, supervisor):
    for n in range(5):
        exports.export_logged(actor=supervisor, kind="ledger", description=f"导出{n}", rows=n)
    client = login(city)
    response = client.get(reverse("audit_export"), {"kind": "ledger"})
    assert response.status_code == 302
    record = ExportFile.objects.get()
    rows = workbook_rows(client.get(reverse("export_download", args=[record.pk])).content)
    assert rows[0] == ("时间", "操作人", "事项", "县（区）", "个案", "详情", "行数")
    assert [row[6] for row in rows[1:]] == [4, 3, 2, 1, 0]  # newest first
    assert ExportLog.objects.filter(kind="audit", actor=city).get().rows == 5


def ledger_job(owner, count, zicheng):
    for _ in range(count):
        CaseFactory(region=zicheng)
    return ExportFile.objects.create(
        owner=owner,
        kind="ledger",
        params={"query": ""},
        filename="ledger.xlsx",
        description="/cases/ledger.xlsx?",
    )


@pytest.mark.parametrize("count", [1, 40])
def test_the_ledger_job_reads_its_rows_in_a_fixed_number_of_queries(
    count, supervisor, zicheng, django_assert_max_num_queries
):
    record = ledger_job(supervisor, count, zicheng)
    # the user's scope, the capped count, the ids' chunk with its 11 record kinds, the counties,
    # the status updates
    with django_assert_max_num_queries(24):
        exports.export_file_write(record.pk)
    record.refresh_from_db()
    assert (record.status, record.rows) == ("done", count)


def test_the_ledger_job_reads_each_chunk_of_cases_in_eleven_queries(
    monkeypatch, supervisor, zicheng
):
    """Chunks of 10 cases: 40 cases take 3 chunks more than 10 cases, and each chunk one query
    per kind of record (stage changes, transfers, surveys, outreach, benefits, placements,
    trainings, employments, follow-ups, help, confirmations), whatever its cases hold."""
    monkeypatch.setattr("casework.ledger.rows.CHUNK", 10)
    queries = {}
    for count in (10, 30):
        record = ledger_job(supervisor, count, zicheng)
        with CaptureQueriesContext(connection) as read:
            exports.export_file_write(record.pk)
        record.refresh_from_db()
        assert record.status == "done"
        queries[record.rows] = len(read.captured_queries)
    assert list(queries) == [10, 40]
    assert queries[40] - queries[10] == 3 * 11


@pytest.mark.parametrize("count", [1, 30])
def test_the_needs_job_reads_its_rows_in_a_fixed_number_of_queries(
    count, login, caseworker, zicheng, django_assert_max_num_queries
):
    client = login(caseworker)
    for _ in range(count):
        surveyed(client, zicheng, **COOK)
    record = ExportFile.objects.create(
        owner=caseworker, kind="needs", params={"query": ""}, filename="需求清单.xlsx",
        description="/needs/?",
    )  # fmt: skip
    with django_assert_max_num_queries(8):
        exports.export_file_write(record.pk)
    record.refresh_from_db()
    assert (record.status, record.rows) == ("done", count)


def test_export_files_are_deleted_after_their_hours(settings, supervisor, zicheng):
    settings.CASEWORK_EXPORT_KEEP_HOURS = 24
    old, new = ledger_job(supervisor, 1, zicheng), ledger_job(supervisor, 0, zicheng)
    for record in (old, new):
        exports.export_file_write(record.pk)
    ExportFile.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=25)
    )
    old_path = exports.export_file_path(ExportFile.objects.get(pk=old.pk).stored_file)
    assert old_path.is_file()
    counts = retention_apply(today=timezone.localdate())
    assert counts["export_files_deleted"] == 1
    assert not old_path.exists()
    assert list(ExportFile.objects.values_list("pk", flat=True)) == [new.pk]


def test_the_ledger_command_streams_json_as_json_dumps_would_write_it(zicheng, tmp_path):
    target = tmp_path / "ledger.json"
    call_command("export_ledger", "--format", "json", "-o", str(target), stderr=io.StringIO())
    assert target.read_text(encoding="utf-8") == "[]"
    for name, number in (("甲一", "441621198507150029"), ("乙二", "441621199001010015")):
        CaseFactory(region=zicheng, name=name, id_number=number)
    call_command("export_ledger", "--format", "json", "-o", str(target), stderr=io.StringIO())
    text = target.read_text(encoding="utf-8")
    rows = json.loads(text)
    assert [(row["name"], row["id_number"]) for row in rows] == [
        ("甲一", "441621********0029"), ("乙二", "441621********0015"),
    ]  # fmt: skip
    assert text == json.dumps(rows, ensure_ascii=False, indent=1)  # the format it always had
    out = io.StringIO()
    call_command("export_ledger", "--format", "json", stdout=out)
    assert json.loads(out.getvalue()) == rows
    assert ExportLog.objects.filter(kind="ledger").count() == 3


def test_a_caseworker_of_another_county_gets_404_for_a_supervisors_export(
    login, supervisor, zicheng
):
    four_cases(zicheng)
    login(supervisor).get(reverse("casework:ledger_export"))
    record = ExportFile.objects.get()
    stranger = login(staff("cw_laolong", Role.CASEWORKER, "龙川县/老隆镇"))
    assert stranger.get(reverse("export_download", args=[record.pk])).status_code == 404
