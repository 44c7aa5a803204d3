"""A roster-shaped zip bomb: what reading it costs without the upload limits and with them.

    .venv/bin/python bench/zip_bomb.py    # builds /tmp/bomb.xlsx and /tmp/bomb-under.xlsx

The workbook is a real roster's header and one real row, then the same row again and again
(rows without a row number, so that they zip to almost nothing). Each reading runs in a fresh
process, which reports its wall time and its peak memory (ru_maxrss).

- "unlimited": what the import did before the limits: openpyxl in read-only mode, every row
  kept as text (casework.tabular before issue 15).
- "limited": casework.tabular.read_rows with the default limits (CASEWORK_XLSX_MAX_UNZIPPED_MB
  100, CASEWORK_UPLOAD_MAX_ROWS 100,000).

Two bombs: one of about 790 KB that unpacks to 177 MB (refused from the sizes it declares,
before anything is unpacked), and the largest under the unpacked limit (read until the row
limit stops it; openpyxl first scans a sheet without a <dimension> whole, which is the time).
"""

import json
import os
import re
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BOMB = Path("/tmp/bomb.xlsx")
UNDER = Path("/tmp/bomb-under.xlsx")
HEADER = ["县（区）", "乡镇（街道）", "村（社区）", "姓名", "性别", "身份证号码"]
ROW = ["紫金县", "紫城镇", "新联村", "黄新来", "男", "441621198507150029"]
ROWS = 640_000  # zips to about 790 KB
ROWS_UNDER = 350_000  # unpacks to just under 100 MB


def cells(values) -> str:
    return "".join(f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in values)


def build(path: Path, rows: int) -> None:
    """Write the workbook part by part, streaming the sheet (it never sits in memory whole)."""
    from io import BytesIO

    from openpyxl import Workbook

    model = BytesIO()
    book = Workbook()
    book.active.append(HEADER)
    book.save(model)
    with zipfile.ZipFile(model) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item.filename, source.read(item.filename))
                continue
            head = source.read(item.filename).decode().partition("<sheetData>")[0]
            # without a <dimension>, a reader cannot know the size before reading the rows
            head = re.sub(r"<dimension [^>]*/>", "", head)
            row = f"<row>{cells(ROW)}</row>".encode()
            with out.open(item.filename, "w", force_zip64=True) as sheet:
                sheet.write(f"{head}<sheetData><row>{cells(HEADER)}</row>".encode())
                block = row * 10_000
                for _ in range(rows // 10_000):
                    sheet.write(block)
                sheet.write(b"</sheetData></worksheet>")


def unlimited(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    rows = []
    for values in workbook.worksheets[0].iter_rows(values_only=True):
        cells_ = ["" if value is None else str(value).strip() for value in values]
        if any(cells_):
            rows.append(cells_)
    return len(rows)


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()


def limited(path: Path) -> str:
    from casework.tabular import UnreadableFile, read_rows

    try:
        return f"{len(read_rows(path))} rows"
    except UnreadableFile as error:
        return f"refused: {error}"


def measure(how: str, path: Path) -> None:
    if how == "limited":
        django_setup()  # not timed: the web process and the job runner have it done already
    start = time.perf_counter()
    result = {"unlimited": unlimited, "limited": limited}[how](path)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    measured = {"file": path.name, "how": how, "seconds": round(seconds, 2),
                "peak_mb": round(peak), "result": result}  # fmt: skip
    print(json.dumps(measured, ensure_ascii=False))


def main() -> None:
    if len(sys.argv) > 3 and sys.argv[1] == "--measure":
        measure(sys.argv[2], Path(sys.argv[3]))
        return
    for path, rows in ((BOMB, ROWS), (UNDER, ROWS_UNDER)):
        build(path, rows)
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
        print(
            f"{path}: {path.stat().st_size / 1024:,.0f} KB, unpacks to {unpacked / 2**20:,.0f} MB"
        )
    for how, path in (("unlimited", BOMB), ("limited", BOMB), ("limited", UNDER)):
        command = [sys.executable, __file__, "--measure", how, str(path)]
        subprocess.run(command, check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
