"""Real-looking rosters (valid ID numbers, Chinese names and places) written as xlsx or csv."""

import csv
import datetime

from openpyxl import Workbook

from casework.idnumber import make_id_number

HEADER = ["序号", "县（区）", "乡镇（街道）", "村（社区）", "户编号", "姓名", "性别", "身份证号码",
          "民族", "文化程度", "健康状况", "务工状况", "联系电话"]  # fmt: skip
SURNAMES = "黄李陈张刘钟曾叶邱赖罗温谢朱古骆廖何"
GIVEN = "伟芳娟敏静丽强磊军洋勇艳杰娜涛明超秀英华平辉玲桂金梅海东志国建文春红亮兰凤"
PLACES = {
    "紫金县": [("紫城镇", ["新联村", "上围村"]), ("龙窝镇", ["石坑村"])],
    "龙川县": [("老隆镇", ["水口村"])],
}
CODES = {"紫金县": "441621", "龙川县": "441622"}


def person(n: int, county="紫金县", township=None, village=None, born=None, **override) -> dict:
    """The n-th laborer of a roster, as the columns of HEADER."""
    townships = PLACES[county]
    township_name, villages = townships[n % len(townships)]
    born = born or datetime.date(1962, 3, 1) + datetime.timedelta(days=(n * 397) % 14000)
    id_number = make_id_number(CODES[county], born, n % 997 + 1)
    row = {
        "序号": str(n),
        "县（区）": county,
        "乡镇（街道）": township or township_name,
        "村（社区）": village if village is not None else villages[n % len(villages)],
        "户编号": f"{CODES[county]}{n // 3:06d}",
        "姓名": SURNAMES[n % len(SURNAMES)]
        + GIVEN[(n * 7) % len(GIVEN)]
        + GIVEN[(n * 3) % len(GIVEN)],
        "性别": "男" if int(id_number[16]) % 2 else "女",
        "身份证号码": id_number,
        "民族": "汉",
        "文化程度": ["初中", "小学", "高中", "文盲"][n % 4],
        "健康状况": "健康",
        "务工状况": "在家务农",
        "联系电话": f"13{n % 10}{n:08d}"[:11],
    }
    row.update(override)
    return row


def write_xlsx(path, rows, *, title_rows=1, header=HEADER):
    book = Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["河源市紫金县建档立卡贫困劳动力名单"])
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    book.save(path)
    return path


def write_csv(path, rows, *, encoding="utf-8-sig", header=HEADER):
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow([row.get(column, "") for column in header])
    return path
