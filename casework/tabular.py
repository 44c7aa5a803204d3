"""Read the rows of an xlsx or csv file (UTF-8 with or without BOM, or GB18030) as text."""

import csv
import io
import re
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext, gettext_noop


class UnreadableFile(ValueError):
    """A file that is not a spreadsheet we can read; the message says why, in the language of
    whoever reads it (a background job keeps `data()` and words it when shown)."""

    def __init__(self, msgid: str, **params):
        self.msgid, self.params = msgid, {key: str(value) for key, value in params.items()}
        super().__init__(msgid)

    def __str__(self) -> str:
        return unreadable_text(self.data())

    def data(self) -> dict:
        return {"msgid": self.msgid, "params": self.params}


def unreadable_text(data: dict) -> str:
    """Why a file could not be read, in the active language, from UnreadableFile.data()."""
    text = gettext(data["msgid"])
    return text % data["params"] if data.get("params") else text


CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# Cells beyond this column are not read: a sheet that claims column XFD would otherwise pad
# every row to 16,384 cells.
MAX_COLUMNS = 64
MB = 1024 * 1024


def read_rows(path: str | Path) -> list[tuple[int, list[str]]]:
    """Every non-empty row with its own row number: the sheet's for xlsx, the line for csv.

    Reading stops with UnreadableFile at the limits (settings CASEWORK_UPLOAD_MAX_ROWS, and
    CASEWORK_XLSX_MAX_UNZIPPED_MB checked before anything is decompressed)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt"):
        return _read_csv(path.read_bytes())
    raise UnreadableFile(gettext_noop("Only .xlsx and .csv files can be read."))


class _Rows(list):
    """The rows read so far; refuses the one past the limit."""

    def __init__(self):
        super().__init__()
        self.limit = settings.CASEWORK_UPLOAD_MAX_ROWS

    def add(self, number: int, cells: list[str]) -> None:
        if len(self) >= self.limit:
            raise UnreadableFile(
                gettext_noop("The file has more than %(limit)s rows: split it into smaller files."),
                limit=self.limit,
            )
        self.append((number, cells))


def _check_unzipped_size(path: Path) -> None:
    """Refuse a workbook that would unzip to more than the limit, from the sizes it declares
    (zipfile never inflates a member beyond its declared size: a lie fails its CRC check)."""
    limit = settings.CASEWORK_XLSX_MAX_UNZIPPED_MB
    try:
        with zipfile.ZipFile(path) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile(gettext_noop("The file is not a readable Excel workbook.")) from error
    if total > limit * MB:
        raise UnreadableFile(
            gettext_noop(
                "The workbook would unpack to %(size)s MB, more than the %(limit)s MB allowed: "
                "save it again as a plain .xlsx or split it."
            ),
            size=f"{total / MB:,.0f}",
            limit=f"{limit:g}",
        )
    _check_row_elements(path)


ROW_ELEMENT = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _check_row_elements(path: Path) -> None:
    """Refuse a workbook whose sheets hold more than twice the row limit in row elements,
    counted in the raw XML as it unpacks (about a second for 100 MB): openpyxl would otherwise
    parse a sheet without a <dimension> whole before yielding its first row. Twice, because
    a formatted but empty row is an element too."""
    limit = settings.CASEWORK_UPLOAD_MAX_ROWS
    rows = 0
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                continue
            with archive.open(name) as part:
                tail = b""
                while chunk := part.read(1 << 20):
                    data = tail + chunk
                    # an element cut by the chunk's end is counted with the next chunk
                    cut = max(0, len(data) - 16)
                    rows += sum(1 for found in ROW_ELEMENT.finditer(data) if found.start() < cut)
                    tail = data[cut:]
                rows += len(ROW_ELEMENT.findall(tail))
            if rows > 2 * limit:
                raise UnreadableFile(
                    gettext_noop(
                        "The file has more than %(limit)s rows: split it into smaller files."
                    ),
                    limit=limit,
                )


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    _check_unzipped_size(path)
    # Whatever a malformed part raises (XML syntax, a missing member, a bad CRC), the file is
    # unreadable: a reason to show, never a job left half-way.
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFile(gettext_noop("The file is not a readable Excel workbook.")) from error
    try:
        sheet = workbook.worksheets[0]
        rows = _Rows()
        for number, values in enumerate(
            sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1
        ):
            cells = [cell_text(value) for value in values]
            if any(cells):
                rows.add(number, cells)
        return list(rows)
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(gettext_noop("The file is not a readable Excel workbook.")) from error
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise UnreadableFile(gettext_noop("The file is not a text CSV file."))
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(gettext_noop("The CSV file is neither UTF-8 nor GB18030 text."))


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = _Rows()
    line = 1
    try:
        for record in reader:
            cells = [cell.strip() for cell in record[:MAX_COLUMNS]]
            if any(cells):
                rows.add(line, cells)
            line = reader.line_num + 1
    except csv.Error as error:
        malformed = gettext_noop("The CSV file is malformed: %(error)s")
        raise UnreadableFile(malformed, error=error) from None
    return list(rows)


_HEADER_NOISE = re.compile(r"[\s()（）\[\]【】]")


def header_key(text: str) -> str:
    """Compare headers forgiving full/half-width brackets and spaces: 县（区） == 县(区)."""
    return _HEADER_NOISE.sub("", text or "").lower()


def find_header(
    rows: list[tuple[int, list[str]]], aliases: dict[str, set[str]], required: set[str]
) -> tuple[int, dict[str, int]] | None:
    """The first row (index into rows) naming every required column, and each column's index."""
    keyed = {field: {header_key(alias) for alias in names} for field, names in aliases.items()}
    for index, (_number, cells) in enumerate(rows[:20]):
        columns: dict[str, int] = {}
        for position, cell in enumerate(cells):
            key = header_key(cell)
            for field, names in keyed.items():
                if key in names and field not in columns:
                    columns[field] = position
        if required <= columns.keys():
            return index, columns
    return None
