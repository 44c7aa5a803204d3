"""附件1 in its official layout: one county's months up to a month, or the city's counties for
a month, as a workbook (through casework.exports) or an A4 landscape PDF (casework.pdf).

The layout is the form's (seed text of the notice): the title, 填报单位, three header rows (序号
with the column numbers; the groups, with 2 and 7 titled over two rows; the column titles),
the first column 日期, then the rows and 备注 as the footer. Both the workbook and the PDF are
drawn from the same `Annex`, so they hold the same numbers.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Min, QuerySet

from casework import exports, pdf
from casework.models import Case, Region, User

from . import figures, selectors
from .periods import FIRST_MONTH, Month

TITLE = "河源市就业技能精准扶贫组织化程度工作月报表"
NUMBER_HEADING = "序号"
DATE_HEADING = "日期"
COUNTY_HEADING = "县（区）"
CUMULATIVE_LABEL = "累计"
TOTAL_LABEL = "合计"
REMARKS_HEADING = "备注（其它需要说明的情况。例：扶贫相关政策等）"
CITY = "河源市"
WIDTH = 1 + len(figures.FIGURES)  # the first column, then one per figure
HEADER_TOP = 3  # the header's first row in the workbook: under the title and 填报单位
EXPORT_KIND = "monthly_report"


@dataclass(frozen=True)
class HeaderCell:
    row: int  # 0, 1, 2: the form's three header rows
    column: int  # 0: the first column (日期)
    text: str
    rowspan: int = 1
    colspan: int = 1


@dataclass
class Annex:
    """What the form holds: who reports, for which month, the rows (a label and one number
    per figure, in the form's column order) and the remarks."""

    reporter: str  # 填报单位
    month: Month
    first_heading: str  # 日期, or 县（区） for the city's totals
    rows: list[tuple[str, list[int]]]
    remarks: str

    @property
    def header(self) -> list[HeaderCell]:
        return header_cells(self.first_heading)

    @property
    def filename_stem(self) -> str:
        return f"附件1-{self.reporter}-{self.month}"


def month_label(month: Month) -> str:
    return f"{month.year}年{month.month}月"


def header_cells(first_heading: str = DATE_HEADING) -> list[HeaderCell]:
    """The form's three header rows: 序号 over the numbers, 日期 under it over two rows; each
    number over its columns; a group heading over its titles, or (2 and 7) the title itself
    over the last two rows."""
    cells = [HeaderCell(0, 0, NUMBER_HEADING), HeaderCell(1, 0, first_heading, rowspan=2)]
    column = 1
    for number, group, columns in _groups():
        cells.append(HeaderCell(0, column, number, colspan=len(columns)))
        if group:
            cells.append(HeaderCell(1, column, group, colspan=len(columns)))
            cells += [HeaderCell(2, column + i, f.title) for i, f in enumerate(columns)]
        else:
            (figure,) = columns
            cells.append(HeaderCell(1, column, figure.title, rowspan=2))
        column += len(columns)
    return cells


def _groups() -> list[tuple[str, str, list[figures.Figure]]]:
    groups: list[tuple[str, str, list[figures.Figure]]] = []
    for figure in figures.FIGURES:
        if groups and groups[-1][0] == figure.number:
            groups[-1][2].append(figure)
        else:
            groups.append((figure.number, figure.group, [figure]))
    return groups


def _values(counts: dict) -> list[int]:
    return [counts[key] for key in figures.KEYS]


# --- the data -------------------------------------------------------------------------------


def first_month(county: Region, month: Month) -> Month:
    """The county's first month with a case (its earliest identification), not before
    September 2018 and not after the month asked for; the month itself for a county without
    a case."""
    earliest = Case.objects.filter(county=county, merged_into__isnull=True).aggregate(
        first=Min("identified_on")
    )["first"]
    if earliest is None:  # no case yet: the month alone
        return month
    return min(max(Month(*FIRST_MONTH), Month.of(earliest)), month)


def county_annex(county: Region, month: Month, *, today: datetime.date | None = None) -> Annex:
    """One county: a row per month from its first month with a case to the month, each holding
    that month's own figures (the frozen ones of a submitted or accepted report), then 累计 with
    the cumulative figures at the month's last day, and the month's remarks."""
    counties = Region.objects.filter(pk=county.pk)
    (row,) = selectors.report_rows(counties, month, today)
    start = first_month(county, month)
    live = figures.month_only_by_month(start, month, [county.pk]).get(county.pk, {})
    frozen = {m: values for (_county, m), values
              in selectors.frozen_month_only(counties, start, month).items()}  # fmt: skip
    zeros = dict.fromkeys(figures.KEYS, 0)
    rows = [
        (month_label(m), _values(frozen.get(m) or live.get(m, zeros))) for m in start.until(month)
    ]
    rows.append((CUMULATIVE_LABEL, _values(row.figures[figures.CUMULATIVE])))
    return Annex(county.name, month, DATE_HEADING, rows, row.remarks)


def city_annex(counties: QuerySet[Region], month: Month, *, today=None) -> Annex:
    """The counties of a month: each county's month row and its 累计 row, then 合计 (both rows
    summed); the remarks are the counties', each under its name."""
    report_rows = selectors.report_rows(counties, month, today)
    label = month_label(month)
    rows = []
    for row in report_rows:
        rows.append((f"{row.county.name} {label}", _values(row.figures[figures.MONTH_ONLY])))
        rows.append((f"{row.county.name} {CUMULATIVE_LABEL}",
                     _values(row.figures[figures.CUMULATIVE])))  # fmt: skip
    totals = selectors.totals(report_rows)
    rows.append((f"{TOTAL_LABEL} {label}", _values(totals[figures.MONTH_ONLY])))
    rows.append((f"{TOTAL_LABEL} {CUMULATIVE_LABEL}", _values(totals[figures.CUMULATIVE])))
    remarks = "\n".join(f"{row.county.name}：{row.remarks}" for row in report_rows if row.remarks)
    reporter = report_rows[0].county.name if len(report_rows) == 1 else CITY
    return Annex(reporter, month, COUNTY_HEADING, rows, remarks)


# --- the workbook ---------------------------------------------------------------------------


def sheet(annex: Annex) -> exports.Sheet:
    """附件1 as a worksheet: the title and 填报单位 (each across the form), the three header
    rows with the form's merged cells, the rows, and 备注 as the footer (its text across the
    figures' columns)."""
    last = exports.column_letter(WIDTH)
    header = [[""] * WIDTH for _row in range(3)]
    merged = [f"A1:{last}1", f"A2:{last}2"]
    for cell in annex.header:
        header[cell.row][cell.column] = cell.text
        if cell.rowspan > 1 or cell.colspan > 1:
            top = HEADER_TOP + cell.row
            merged.append(
                f"{exports.column_letter(cell.column + 1)}{top}:"
                f"{exports.column_letter(cell.column + cell.colspan)}{top + cell.rowspan - 1}"
            )
    footer_row = HEADER_TOP + len(header) + len(annex.rows)
    merged.append(f"B{footer_row}:{last}{footer_row}")
    preamble = [[TITLE], [f"填报单位：{annex.reporter}（加盖公章）"], *header]
    return exports.Sheet(
        title="附件1", header=[], rows=[[label, *values] for label, values in annex.rows],
        widths=[16 if annex.first_heading == COUNTY_HEADING else 12, *[11] * (WIDTH - 1)],
        preamble=preamble, merged=merged, footer=[[REMARKS_HEADING, annex.remarks]],
        centered=True, heights=[(1, 30), (HEADER_TOP + 1, 30), (HEADER_TOP + 2, 60),
                                (footer_row, 60)],
    )  # fmt: skip


def description(annex: Annex) -> str:
    return f"附件1 {annex.reporter} {annex.month}"


def xlsx_write(annex: Annex, target, *, actor: User | None) -> int:
    """The workbook written to target (a path or a file), recorded as an export."""
    return exports.xlsx_export([sheet(annex)], target, actor=actor, kind=EXPORT_KIND,
                               description=description(annex))  # fmt: skip


# --- the PDF --------------------------------------------------------------------------------


def header_rows(annex: Annex) -> list[list[HeaderCell]]:
    """The header cells row by row, for an HTML table (rowspan, colspan)."""
    return [[cell for cell in annex.header if cell.row == row] for row in range(3)]


def pdf_render(annex: Annex, *, actor: User | None, request=None) -> bytes:
    """附件1 as an A4 landscape PDF with the signature and seal area, recorded as an export;
    casework.pdf.FontMissing when no CJK font is installed."""
    context = {
        "annex": annex,
        "title": TITLE,
        "header_rows": header_rows(annex),
        "remarks_heading": REMARKS_HEADING,
        "width": WIDTH,
        "month_label": month_label(annex.month),
    }
    content = pdf.render_pdf("reports/annex1_pdf.html", context, request=request)
    exports.export_logged(actor=actor, kind=EXPORT_KIND, description=description(annex),
                          rows=len(annex.rows))  # fmt: skip
    return content
