"""Roster uploads: a size limit that stops keeping the file, a row limit, a limit on what an
xlsx unpacks to (checked before unpacking), any read error ends the import as failed, and the
uploaded file is deleted once it is imported, failed or cancelled."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.urls import reverse

from casework.models import Person, RosterImport
from casework.roster import jobs as roster_jobs
from tests.rosters import person, write_csv, write_xlsx

KB = 1024


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    folder = media / "imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post(reverse("casework:import_upload"), {"file": handle})


def upload_failed(client, path) -> str:
    """Upload a file that must fail: the import's page, which says why."""
    upload(client, path)
    record = RosterImport.objects.get()
    assert record.status == "failed" and record.finished_at is not None
    return client.get(record.get_absolute_url()).content.decode()


class Counting(FileUploadHandler):
    """Placed after the limit: how many bytes of the file reached the handlers that keep it."""

    seen = 0

    def receive_data_chunk(self, raw_data, start):
        Counting.seen = max(Counting.seen, start + len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


@pytest.mark.parametrize(
    "size, kept_at_most",
    [
        (150 * KB, 104_858),  # read in 64 KB chunks until it passed the limit, then dropped
        (300 * KB, 0),  # a request body past the limit: dropped before a byte is kept
    ],
)
def test_a_file_over_the_size_limit_is_refused_and_not_kept(
    login, supervisor, tmp_path, settings, media, size, kept_at_most
):
    settings.CASEWORK_UPLOAD_MAX_MB = 0.1  # 102.4 KB
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1 * KB  # so that the file would go to a temporary file
    settings.FILE_UPLOAD_HANDLERS = [
        "casework.uploads.LimitedUploadHandler",
        "tests.casework.test_uploads.Counting",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    Counting.seen = 0
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * size)
    response = upload(login(supervisor), path)
    assert response.status_code == 200
    assert "文件超过 0.1 MB" in response.content.decode()
    assert not RosterImport.objects.exists() and stored_files(media) == []
    # reading stopped at the limit: no handler after it was given more than 102.4 KB of the file
    assert Counting.seen <= kept_at_most
    assert (Counting.seen > 0) == (kept_at_most > 0)


def test_a_file_under_the_size_limit_is_kept_for_its_preview(login, supervisor, tmp_path, media):
    path = write_csv(tmp_path / "small.csv", [person(1)])
    response = upload(login(supervisor), path)
    record = RosterImport.objects.get()
    assert response.url == record.get_absolute_url()
    assert record.status == "preview" and len(stored_files(media)) == 1


def test_a_file_with_more_rows_than_the_limit_fails_and_nothing_is_written(
    login, supervisor, tmp_path, settings, media
):
    settings.CASEWORK_UPLOAD_MAX_ROWS = 10
    path = write_csv(tmp_path / "long.csv", [person(n) for n in range(1, 11)])  # header + 10 rows
    assert "文件超过 10 行" in upload_failed(login(supervisor), path)
    assert not Person.objects.exists() and stored_files(media) == []


def bomb(path, rows: int) -> None:
    """A workbook whose sheet unpacks to about 60 bytes a row, zipped to almost nothing."""
    sheet = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{"9" * 18}</t></is></c></row>'
        for n in range(1, rows + 1)
    )
    good = io.BytesIO()
    write_xlsx(good, [person(1)])
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, _ = data.decode().partition("<sheetData>")
                data = f"{head}<sheetData>{sheet}</sheetData></worksheet>".encode()
            out.writestr(item.filename, data)


def test_a_workbook_that_unpacks_past_the_limit_is_refused_before_it_is_unpacked(
    login, supervisor, tmp_path, settings, media, monkeypatch
):
    settings.CASEWORK_XLSX_MAX_UNZIPPED_MB = 1
    path = tmp_path / "bomb.xlsx"
    bomb(path, 40_000)  # about 3 MB unpacked
    with zipfile.ZipFile(path) as archive:
        assert sum(item.file_size for item in archive.infolist()) > 2 * 1024 * KB

    def never(*args, **kwargs):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    assert "超过允许的 1 MB" in upload_failed(login(supervisor), path)
    assert stored_files(media) == []


def test_a_malformed_part_ends_the_import_as_failed(login, supervisor, tmp_path, media):
    good = io.BytesIO()
    write_xlsx(good, [person(1)])
    path = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of an element
            out.writestr(item.filename, data)
    assert "不是可读取的 Excel 工作簿" in upload_failed(login(supervisor), path)
    assert not Person.objects.exists() and stored_files(media) == []


def test_an_unforeseen_error_while_reading_fails_the_import(
    login, supervisor, tmp_path, media, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(roster_jobs, "roster_plan", broken)
    upload(login(supervisor), write_csv(tmp_path / "a.csv", [person(1)]))
    record = RosterImport.objects.get()
    assert record.status == "failed" and stored_files(media) == []


def test_the_file_is_deleted_once_imported(login, supervisor, tmp_path, media):
    client = login(supervisor)
    upload(client, write_xlsx(tmp_path / "a.xlsx", [person(1), person(2)]))
    record = RosterImport.objects.get()
    assert len(stored_files(media)) == 1
    client.post(reverse("casework:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "done" and Person.objects.count() == 2
    assert stored_files(media) == []


def test_the_file_is_deleted_once_cancelled(login, supervisor, tmp_path, media):
    client = login(supervisor)
    upload(client, write_xlsx(tmp_path / "a.xlsx", [person(1)]))
    record = RosterImport.objects.get()
    client.post(reverse("casework:import_cancel", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "cancelled" and stored_files(media) == []


@pytest.mark.parametrize("rows, opened", [(25, False), (15, True)])
def test_a_workbook_past_the_row_limit_is_refused_counting_its_rows_first(
    login, supervisor, tmp_path, settings, media, monkeypatch, rows, opened
):
    """More than twice the limit in row elements: refused before openpyxl opens it (which
    would parse a sheet without a <dimension> whole first); between once and twice: read, and
    refused at the limit."""
    settings.CASEWORK_UPLOAD_MAX_ROWS = 10
    path = write_xlsx(tmp_path / "long.xlsx", [person(n) for n in range(1, rows)])  # + header
    load_workbook = openpyxl.load_workbook
    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return load_workbook(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", counted)
    assert "文件超过 10 行" in upload_failed(login(supervisor), path)
    assert bool(calls) == opened
