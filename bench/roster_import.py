"""Import a 50,000-row xlsx roster on PostgreSQL, workflows started; time and peak memory.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/casework_bench \\
        .venv/bin/python bench/roster_import.py [--rows 50000]

The database named in DATABASE_URL is emptied first. The file is written in a separate step;
the import runs as `manage.py import_roster` in a child process, whose wall time and peak
resident memory are reported.
"""

import argparse
import datetime
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HEADER = ["序号", "县（区）", "乡镇（街道）", "村（社区）", "户编号", "姓名", "性别", "身份证号码",
          "民族", "文化程度", "健康状况", "务工状况", "联系电话"]  # fmt: skip
COUNTIES = {"紫金县": "441621", "龙川县": "441622", "东源县": "441625", "和平县": "441624"}
SURNAMES = "黄李陈张刘钟曾叶邱赖罗温谢朱古骆廖何"
GIVEN = "伟芳娟敏静丽强磊军洋勇艳杰娜涛明超秀英华平辉玲桂金梅海东志国建文春红亮兰凤"


def write_roster(path: Path, rows: int) -> None:
    from openpyxl import Workbook

    from casework.idnumber import make_id_number

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["河源市建档立卡贫困劳动力名单"])
    sheet.append(HEADER)
    counties = list(COUNTIES.items())
    for n in range(rows):
        county, code = counties[n % len(counties)]
        born = datetime.date(1960, 1, 1) + datetime.timedelta(days=n % 15000)
        id_number = make_id_number(code, born, n // 15000 % 999 + 1)
        sheet.append([
            n + 1, county, f"第{n % 12 + 1}镇", f"第{n % 9 + 1}村", f"{code}{n // 3:07d}",
            SURNAMES[n % 18] + GIVEN[n % 37] + GIVEN[(n // 37) % 37],
            "男" if int(id_number[16]) % 2 else "女", id_number, "汉",
            ["小学", "初中", "高中"][n % 3], "健康", "在家务农", f"138{n:08d}",
        ])  # fmt: skip
    book.save(path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("CASEWORK_TESTING", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("flush", "--noinput", verbosity=0)
    import importlib

    importlib.import_module("casework.migrations.0002_heyuan_regions").load(django.apps.apps, None)
    importlib.import_module("workflows.migrations.0002_default_deadlines").load(
        django.apps.apps, None
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.xlsx"
        started = time.perf_counter()
        write_roster(path, args.rows)
        print(f"wrote {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        connection.close()
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "import_roster", str(path)],
            capture_output=True, text=True, env=os.environ, check=False,
        )  # fmt: skip
        seconds = time.perf_counter() - started
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(result.stdout.strip()[:500])
    if result.returncode:
        print(result.stderr[-2000:])
        sys.exit(1)
    from casework.models import Case
    from workflows.models import CaseTask

    print()
    print("| rows | database | seconds | peak memory (MB) | cases | survey tasks |")
    print("|---:|---|---:|---:|---:|---:|")
    surveys = CaseTask.objects.filter(kind="survey").count()
    print(f"| {args.rows:,} | {connection.vendor} | {seconds:.1f} | {peak_mb:.0f} | "
          f"{Case.objects.count():,} | {surveys:,} |")  # fmt: skip


if __name__ == "__main__":
    main()
