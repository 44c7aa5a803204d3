"""The one way the project writes a workbook: text stays text, and every export is recorded.

A name, village or note from a roster may begin with `=`, `+`, `-` or `@`; spreadsheet programs
take such a cell for a formula (a `=HYPERLINK(...)` can send a row's ID number away). Every
string is therefore written as a text cell, exactly as given: nothing is quoted, masked or
unmasked here, so a masked number stays masked and a full one appears only where the caller
put it.

An export of more than CASEWORK_EXPORT_INLINE_MAX_ROWS rows is written in the background
(`export_answer`): its maker, registered by name (`@maker("ledger")`), makes it again in the job
from the asker and the parameters kept on its `ExportFile`; the workbook is written a row at a
time (openpyxl's write-only mode), kept encrypted for its asker, and recorded when downloaded.
"""

import datetime
import io
import json
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, BinaryIO, NamedTuple

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from . import crypto, jobs
from .idnumber import mask_numbers_in_text
from .models import ExportFile, ExportLog, User

logger = logging.getLogger(__name__)

WRAP = Alignment(wrap_text=True, vertical="top")
CENTRED = Alignment(wrap_text=True, horizontal="center", vertical="center")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Sheet(NamedTuple):
    """One worksheet: its title, its header row (empty for none), its rows and, if given, the
    widths of its first columns (in characters), rows written above the header (an official
    form's title and header rows), the cell ranges merged ("A1:O1"), rows written under the
    rows and not counted (a form's 备注), whether the preamble, header and footer are centred
    and wrapped (an official form's headings in narrow columns) and the heights of some rows
    ((row number, points): wrapped headings)."""

    title: str
    header: Sequence
    rows: Iterable[Sequence]
    widths: Sequence[int] = ()
    preamble: Sequence[Sequence] = ()
    merged: Sequence[str] = ()
    footer: Sequence[Sequence] = ()
    centered: bool = False
    heights: Sequence[tuple[int, float]] = ()


def column_letter(index: int) -> str:
    """The letter of the 1-based column index (1 -> A, 15 -> O)."""
    return get_column_letter(index)


PROGRESS_EVERY = 1000  # rows between two reports of progress


def xlsx_write(sheets: Iterable[Sheet], target: BinaryIO | str,
               progress: Callable[[int], None] | None = None) -> int:  # fmt: skip
    """Write the sheets a row at a time (openpyxl's write-only mode: a row is not kept once
    written); returns how many rows the first sheet has under its header(s). `progress` is
    told the rows written so far, every PROGRESS_EVERY rows."""
    book = Workbook(write_only=True)
    counted = None
    for sheet in sheets:
        worksheet = book.create_sheet(str(sheet.title))
        for index, width in enumerate(sheet.widths, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = width
        for row_number, height in sheet.heights:
            worksheet.row_dimensions[row_number].height = height
        for cell_range in sheet.merged:
            worksheet.merged_cells.add(cell_range)
        heading = CENTRED if sheet.centered else None
        for row in sheet.preamble:
            worksheet.append(_cells(worksheet, row, heading))
        if sheet.header:
            worksheet.append(_cells(worksheet, sheet.header, heading))
        count = 0
        for row in sheet.rows:
            worksheet.append(_cells(worksheet, row))
            count += 1
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
        for row in sheet.footer:
            worksheet.append(_cells(worksheet, row, heading))
        counted = count if counted is None else counted
    book.save(target)
    return counted or 0


def _cells(worksheet, values: Sequence, alignment: Alignment | None = None) -> list:
    """The row's values for openpyxl. A value that needs no cell of its own (text openpyxl
    writes as text unstyled, a number) is given as it is: openpyxl binds it to a cell it
    reuses (a fresh one after a styled cell), at a fraction of a cell's cost; an empty string
    is left out like None (the same empty cell to a reader)."""
    if alignment is not None:
        return [_cell(worksheet, value, alignment) for value in values]
    return [
        None if value is None or value == ""
        else value if (type(value) is str and _plain_text(value)) or type(value) in NUMBERS
        else _cell(worksheet, value)
        for value in values
    ]  # fmt: skip


NUMBERS = (int, float)


def _plain_text(value: str) -> bool:
    """Whether openpyxl writes the string as text (not a formula nor an error) unwrapped."""
    return "\n" not in value and not value.startswith("=") and value not in ERROR_CODES


def _cell(worksheet, value, alignment: Alignment | None = None):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        value = timezone.make_naive(value)  # local time: Excel has no time zones
    cell = WriteOnlyCell(worksheet, value=value)
    if isinstance(value, str):
        # openpyxl reads "=..." as a formula and "#N/A" as an error; a string is text.
        cell.data_type = "s"
        if alignment is not None:
            cell.alignment = alignment
        elif "\n" in value:  # one record a line (the ledger): shown as lines
            cell.alignment = WRAP
    return cell


def export_logged(*, actor: User | None, kind: str, description: str, rows: int,
                  full_id_numbers: bool = False) -> ExportLog:  # fmt: skip
    """Record an export of case data: who, what, how many rows, whether full ID numbers. The
    one writer of ExportLog rows: any ID or mobile number in the description is masked."""
    return ExportLog.objects.create(
        actor=actor, kind=kind, description=mask_numbers_in_text(description)[:200], rows=rows,
        full_id_numbers=full_id_numbers,
    )  # fmt: skip


def xlsx_export(sheets: Iterable[Sheet], target: BinaryIO | str, *, actor: User | None,
                kind: str, description: str, full_id_numbers: bool = False) -> int:  # fmt: skip
    """Write the workbook to target and record the export; returns the rows written."""
    rows = xlsx_write(sheets, target)
    export_logged(actor=actor, kind=kind, description=description, rows=rows,
                  full_id_numbers=full_id_numbers)  # fmt: skip
    return rows


def xlsx_response(sheets: Iterable[Sheet], *, filename: str, actor: User, kind: str,
                  description: str, full_id_numbers: bool = False) -> HttpResponse:  # fmt: skip
    """The workbook as a download (UTF-8 file names allowed), recorded."""
    buffer = io.BytesIO()
    xlsx_export(sheets, buffer, actor=actor, kind=kind, description=description,
                full_id_numbers=full_id_numbers)  # fmt: skip
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def json_write(rows: Iterable, target: IO[str]) -> int:
    """Write the rows as one JSON array, a row at a time (the text json.dumps(list(rows),
    ensure_ascii=False, indent=1) would make, without holding the list); returns the rows."""
    count = 0
    for row in rows:
        text = json.dumps(row, ensure_ascii=False, indent=1)
        # the array's indent: every line of the row one space in (a string holds no newline)
        target.write(("[\n " if count == 0 else ",\n ") + text.replace("\n", "\n "))
        count += 1
    target.write("\n]" if count else "[]")
    return count


# --- exports too large for their request ------------------------------------------------


class Export(NamedTuple):
    """An export as its maker makes it, in the request and again in the background: the kind
    it is recorded as, the file's name, the description recorded, its sheets (their rows read
    while written), the rows to count (a queryset, counted only up to the limit to choose the
    request or the background) and whether it holds full ID numbers."""

    kind: str
    filename: str
    description: str
    sheets: Callable[[], list[Sheet]]
    counted: QuerySet | None = None
    full_id_numbers: bool = False


# makers by name: a function (user, params) -> Export, registered where the export's page is
MAKERS: dict[str, Callable[[User, dict], Export]] = {}

EXPORTS = "exports"  # the folder of background exports under MEDIA_ROOT


def maker(name: str):
    """Register the decorated function (user, params) -> Export as the export `name`."""

    def register(function: Callable[[User, dict], Export]) -> Callable[[User, dict], Export]:
        if MAKERS.setdefault(name, function) is not function:
            raise ValueError(f"Two exports are named {name!r}.")
        return function

    return register


def rows_at_most(rows: QuerySet, limit: int) -> bool:
    """Whether the queryset has at most `limit` rows, counting no further than limit + 1."""
    return rows[: limit + 1].count() <= limit


def export_answer(request, name: str, params: dict | None = None) -> HttpResponse:
    """The export `name` for the user: its workbook within the request when it has at most
    CASEWORK_EXPORT_INLINE_MAX_ROWS rows (recorded), otherwise written in the background and
    answered by a redirect to its progress page."""
    params = params or {}
    made = MAKERS[name](request.user, params)
    limit = settings.CASEWORK_EXPORT_INLINE_MAX_ROWS
    if made.counted is None or rows_at_most(made.counted, limit):
        return xlsx_response(made.sheets(), filename=made.filename, actor=request.user,
                             kind=made.kind, description=made.description,
                             full_id_numbers=made.full_id_numbers)  # fmt: skip
    return redirect(export_file_request(actor=request.user, name=name, params=params, made=made))


def export_file_request(*, actor: User, name: str, params: dict, made: Export) -> ExportFile:
    """Ask for the export `name` to be written in the background, in the asker's language."""
    record = ExportFile.objects.create(
        owner=actor, kind=name, params=params, language=translation.get_language() or "zh-hans",
        filename=made.filename[:200], description=mask_numbers_in_text(made.description)[:200],
        full_id_numbers=made.full_id_numbers,
    )  # fmt: skip
    jobs.submit("exports.write", pk=record.pk)
    return record


def export_file_path(name: str) -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORTS / name


def progress_key(pk: int) -> str:
    return f"export-{pk}"


@jobs.job("exports.write")
def export_file_write(pk: int) -> None:
    """Write a background export's workbook, reporting progress, and keep it encrypted; a
    failure is kept on the record with its reason."""
    record = ExportFile.objects.select_related("owner").get(pk=pk)
    started = ExportFile.objects.filter(pk=pk, status=ExportFile.Status.PENDING).update(
        status=ExportFile.Status.RUNNING
    )
    if not started:  # written (or being written) already
        return
    try:
        with translation.override(record.language):
            made = MAKERS[record.kind](record.owner, record.params)
            total = made.counted.count() if made.counted is not None else 0

            def progress(done: int) -> None:
                if total:
                    jobs.set_progress(progress_key(pk), min(done / total, 0.99))

            with tempfile.TemporaryFile() as plain:
                rows = xlsx_write(made.sheets(), plain, progress)
                plain.seek(0)
                content = crypto.encrypt_bytes(plain.read())
        name = f"{uuid.uuid4().hex}.xlsx.enc"
        path = export_file_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    except Exception as error:  # kept on the record and shown on its page, not lost in a log
        logger.exception("export %s failed", pk)
        ExportFile.objects.filter(pk=pk).update(
            status=ExportFile.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return
    ExportFile.objects.filter(pk=pk).update(
        status=ExportFile.Status.DONE, rows=rows, stored_file=name, size=len(content),
        finished_at=timezone.now(),
    )  # fmt: skip
    jobs.set_progress(progress_key(pk), 1.0)


def export_file_response(record: ExportFile, *, actor: User) -> HttpResponse:
    """A background export's workbook as a download, recorded as an export of its kind."""
    content = crypto.decrypt_bytes(export_file_path(record.stored_file).read_bytes())
    export_logged(actor=actor, kind=record.kind, description=record.description,
                  rows=record.rows, full_id_numbers=record.full_id_numbers)  # fmt: skip
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, record.filename)
    response["Cache-Control"] = "no-store"
    return response


def export_files_delete(*, now: datetime.datetime) -> int:
    """Delete background exports older than CASEWORK_EXPORT_KEEP_HOURS, their files first."""
    before = now - datetime.timedelta(hours=settings.CASEWORK_EXPORT_KEEP_HOURS)
    old = ExportFile.objects.filter(created_at__lt=before)
    deleted = 0
    for pk, name in old.values_list("pk", "stored_file"):
        if name:
            export_file_path(name).unlink(missing_ok=True)
        deleted += ExportFile.objects.filter(pk=pk).delete()[0]
    return deleted
