"""The one way the project writes a workbook: text stays text, and every export is recorded.

A name, village or note from a roster may begin with `=`, `+`, `-` or `@`; spreadsheet programs
take such a cell for a formula (a `=HYPERLINK(...)` can send a row's ID number away). Every
string is therefore written as a text cell, exactly as given: nothing is quoted, masked or
unmasked here, so a masked number stays masked and a full one appears only where the caller
put it.
"""

import datetime
import io
from collections.abc import Iterable, Sequence
from typing import BinaryIO, NamedTuple

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from .idnumber import mask_numbers_in_text
from .models import ExportLog, User

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


def xlsx_write(sheets: Iterable[Sheet], target: BinaryIO | str) -> int:
    """Write the sheets; returns how many rows the first sheet has under its header(s)."""
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
        for row in sheet.footer:
            worksheet.append(_cells(worksheet, row, heading))
        counted = count if counted is None else counted
    book.save(target)
    return counted or 0


def _cells(worksheet, values: Sequence, alignment: Alignment | None = None) -> list:
    return [_cell(worksheet, value, alignment) for value in values]


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
