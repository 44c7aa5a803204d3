"""附件1 as the county and the city download it: the workbook cell by cell against the form
(its title, 填报单位, three header rows and their merged cells, 日期, a row per month, 累计,
备注), the PDF read back with pdftotext and pdffonts, and who may download which file.

The data set and its figures, worked out by hand, are described in tests/reports/conftest.py.
"""

import datetime
import io
import re
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from casework import pdf
from casework.models import ExportLog, Region, Role
from reports import figures
from reports.periods import Month
from tests.factories import CaseFactory, staff

OCTOBER = "2026-10"
TITLE = "河源市就业技能精准扶贫组织化程度工作月报表"
NUMBERS_ROW = ["序号", "1", "", "", "2", "3", "", "4", "", "5", "", "6", "", "7"]
GROUPS_ROW = [
    "日期", "建档立卡贫困劳动力", "", "", "通过举办专项招聘活动解决贫困劳动力就业人数",
    "建立乡镇（村）就业扶贫车间", "", "公益性岗位安置", "", "培训贫困劳动力", "",
    "已转移就业贫困劳动力跟踪服务", "", "与扶贫部门确认更新贫困劳动力就业工作信息人数",
]  # fmt: skip
TITLES_ROW = [
    "", "与扶贫办核对建档人数", "已上门调查人数", "政策宣传人数", "", "建立车间数量",
    "安置贫困劳动力就业人数", "岗位设置数", "安置贫困劳动力就业人数", "技能培训人数",
    "创业培训人数", "已就业人数", "进行跟踪服务人数", "",
]  # fmt: skip
ALL_TITLES = [
    "与扶贫办核对建档人数", "已上门调查人数", "政策宣传人数",
    "通过举办专项招聘活动解决贫困劳动力就业人数", "建立车间数量", "安置贫困劳动力就业人数",
    "岗位设置数", "安置贫困劳动力就业人数", "技能培训人数", "创业培训人数", "已就业人数",
    "进行跟踪服务人数", "与扶贫部门确认更新贫困劳动力就业工作信息人数",
]  # fmt: skip
HEADER_MERGES = {
    "A1:N1", "A2:N2",  # the title, 填报单位
    "B3:D3", "F3:G3", "H3:I3", "J3:K3", "L3:M3",  # 1, 3, 4, 5, 6 over their columns
    "A4:A5",  # 日期
    "B4:D4", "F4:G4", "H4:I4", "J4:K4", "L4:M4",  # the groups
    "E4:E5", "N4:N5",  # 2 and 7: their titles over two rows
}  # fmt: skip
REMARKS_HEADING = "备注（其它需要说明的情况。例：扶贫相关政策等）"
#            1a 1b 1c  2 3a 3b 4a 4b 5a 5b 6a 6b  7
AUGUST = [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
SEPTEMBER = [1, 1, 1, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0]  # frozen: 1c stays 1
OCTOBER_ROW = [1, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1]
CUMULATIVE = [3, 2, 2, 0, 1, 0, 5, 1, 1, 0, 1, 1, 1]
LONGCHUAN_OCTOBER = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]


def text(value) -> str:
    return "" if value is None else value


def workbook(response):
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))["附件1"]


def row(sheet, number: int) -> list:
    return [cell.value for cell in sheet[number]][:14]


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "annex.pdf"
    path.write_bytes(content)
    extracted = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return re.sub(r"\s", "", extracted.stdout)


def pdf_fonts(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    listed = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    return listed.splitlines()[2:]


def county_url(name, world, month=OCTOBER):
    return reverse(f"reports:{name}", args=[world["county"].pk, Month.parse(month)])


def test_the_county_workbook_is_the_form_cell_by_cell(login, supervisor, annex_world):
    sheet = workbook(login(supervisor).get(county_url("county_xlsx", annex_world)))
    assert row(sheet, 1)[0] == TITLE
    assert row(sheet, 2)[0] == "填报单位：紫金县（加盖公章）"
    assert [text(v) for v in row(sheet, 3)] == NUMBERS_ROW
    assert [text(v) for v in row(sheet, 4)] == GROUPS_ROW
    assert [text(v) for v in row(sheet, 5)] == TITLES_ROW
    # one row per month from the first case's (甲, August) to October: each its own figures
    assert row(sheet, 6) == ["2026年8月", *AUGUST]
    assert row(sheet, 7) == ["2026年9月", *SEPTEMBER]
    assert row(sheet, 8) == ["2026年10月", *OCTOBER_ROW]
    assert row(sheet, 9) == ["累计", *CUMULATIVE]
    assert [text(v) for v in row(sheet, 10)] == [REMARKS_HEADING, "=十月：扶贫政策宣讲", *[""] * 12]
    assert sheet["B10"].data_type == "s"  # the remarks stay text, not a formula
    assert sheet.max_row == 10
    assert {str(r) for r in sheet.merged_cells.ranges} == HEADER_MERGES | {"B10:N10"}
    log = ExportLog.objects.get()
    assert (log.actor, log.kind, log.description, log.rows) == (
        supervisor, "monthly_report", "附件1 紫金县 2026-10", 4,
    )  # fmt: skip


def test_an_earlier_month_ends_the_rows_there(login, supervisor, annex_world):
    sheet = workbook(login(supervisor).get(county_url("county_xlsx", annex_world, "2026-09")))
    assert row(sheet, 6) == ["2026年8月", *AUGUST]
    assert row(sheet, 7) == ["2026年9月", *SEPTEMBER]
    # September's report is submitted: its frozen 累计 (乙's late outreach left out)
    assert row(sheet, 8) == ["累计", 2, 2, 1, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0]
    assert text(row(sheet, 9)[1]) == "九月无对账"


def test_the_month_rows_equal_the_months_own_figures(annex_world):
    """The grouped query (every month at once) against figures_by_county month by month."""
    county = annex_world["county"].pk
    grouped = figures.month_only_by_month(Month(2018, 9), Month(2026, 10), [county])[county]
    assert sorted(grouped) == [Month(2026, 8), Month(2026, 9), Month(2026, 10)]
    for month in Month(2026, 7).until(Month(2026, 10)):
        by_month = figures.figures_by_county(month, [county])[county]["month_only"]
        assert grouped.get(month, dict.fromkeys(figures.KEYS, 0)) == by_month
    # live September: 乙's outreach recorded after the submission counts (1c 2)
    assert list(grouped[Month(2026, 9)].values()) == [1, 1, 2, 0, 0, 0, 5, 0, 1, 0, 0, 0, 0]


def test_the_county_workbook_takes_a_fixed_number_of_queries(
    login, supervisor, annex_world, django_assert_max_num_queries
):
    client = login(supervisor)
    with django_assert_max_num_queries(55):  # 47: one grouped query per figure and part
        assert client.get(county_url("county_xlsx", annex_world)).status_code == 200


def test_the_city_workbook_has_each_county_and_the_totals(login, city, annex_world):
    url = reverse("reports:city_xlsx", args=[Month(2026, 10)])
    sheet = workbook(login(city).get(url))
    assert row(sheet, 2)[0] == "填报单位：河源市（加盖公章）"
    assert [text(v) for v in row(sheet, 3)] == NUMBERS_ROW
    assert [text(v) for v in row(sheet, 4)] == ["县（区）", *GROUPS_ROW[1:]]
    assert [text(v) for v in row(sheet, 5)] == TITLES_ROW
    rows = {r[0]: list(r[1:]) for r in sheet.iter_rows(min_row=6, max_col=14, values_only=True)}
    assert rows["紫金县 2026年10月"] == OCTOBER_ROW
    assert rows["紫金县 累计"] == CUMULATIVE
    assert rows["龙川县 2026年10月"] == LONGCHUAN_OCTOBER
    assert rows["龙川县 累计"] == LONGCHUAN_OCTOBER
    assert rows["合计 2026年10月"] == [2, 1, 1, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1]
    assert rows["合计 累计"] == [4, 2, 2, 0, 1, 0, 5, 1, 1, 0, 1, 1, 1]
    assert list(rows)[-3:] == ["合计 2026年10月", "合计 累计", REMARKS_HEADING]
    assert rows[REMARKS_HEADING][0] == "紫金县：=十月：扶贫政策宣讲"
    last = sheet.max_row
    assert {str(r) for r in sheet.merged_cells.ranges} == HEADER_MERGES | {f"B{last}:N{last}"}


def test_a_county_supervisors_totals_are_their_own_countys(login, supervisor, annex_world):
    url = reverse("reports:city_xlsx", args=[Month(2026, 10)])
    sheet = workbook(login(supervisor).get(url))
    assert row(sheet, 2)[0] == "填报单位：紫金县（加盖公章）"
    labels = [r[0] for r in sheet.iter_rows(min_row=6, max_col=1, values_only=True)]
    assert labels == ["紫金县 2026年10月", "紫金县 累计", "合计 2026年10月", "合计 累计",
                      REMARKS_HEADING]  # fmt: skip


def test_the_county_pdf_reads_whole_titles_with_an_embedded_cjk_font(
    login, supervisor, annex_world, tmp_path
):
    response = login(supervisor).get(county_url("county_pdf", annex_world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = pdf_text(response.content, tmp_path)
    for title in [TITLE, *ALL_TITLES, "建档立卡贫困劳动力", "已转移就业贫困劳动力跟踪服务"]:
        assert title in content, title
    for words in ["填报单位：紫金县（加盖公章）", "日期", "2026年8月", "2026年10月", "累计",
                  "=十月：扶贫政策宣讲", "填报人", "审核人", "单位负责人", "填报日期"]:  # fmt: skip
        assert words in content, words
    fonts = pdf_fonts(response.content, tmp_path)
    assert any("CJK" in line and " yes " in line for line in fonts), fonts
    assert ExportLog.objects.get().description == "附件1 紫金县 2026-10"


def test_the_city_pdf_reads_whole_titles(login, city, annex_world, tmp_path):
    response = login(city).get(reverse("reports:city_pdf", args=[Month(2026, 10)]))
    content = pdf_text(response.content, tmp_path)
    for title in ALL_TITLES:
        assert title in content, title
    for words in ["填报单位：河源市", "紫金县2026年10月", "龙川县累计", "合计累计", "加盖公章"]:
        assert words in content, words
    assert any("CJK" in line for line in pdf_fonts(response.content, tmp_path))


def test_the_report_page_links_its_downloads(login, supervisor, annex_world):
    page = login(supervisor).get(county_url("county", annex_world)).content.decode()
    assert county_url("county_xlsx", annex_world) in page
    assert county_url("county_pdf", annex_world) in page
    month_page = login(supervisor).get(reverse("reports:monthly") + "?month=2026-10")
    assert reverse("reports:city_pdf", args=[Month(2026, 10)]) in month_page.content.decode()


@pytest.mark.parametrize("name", ["county_xlsx", "county_pdf"])
def test_who_downloads_a_countys_report(name, login, caseworker, city, annex_world):
    url = county_url(name, annex_world)
    assert login(city).get(url).status_code == 200
    assert login(caseworker).get(url).status_code == 404  # as the report page
    elsewhere = staff("sup_longchuan", Role.COUNTY_SUPERVISOR, "龙川县")
    assert login(elsewhere).get(url).status_code == 404
    missing = reverse(f"reports:{name}", args=[annex_world["county"].pk + 10_000, Month(2026, 10)])
    assert login(elsewhere).get(missing).status_code == 404
    assert login(city).get(county_url(name, annex_world, "2018-08")).status_code == 404


@pytest.mark.parametrize("name", ["city_xlsx", "city_pdf"])
def test_a_caseworker_has_no_totals(name, login, caseworker, annex_world):
    url = reverse(f"reports:{name}", args=[Month(2026, 10)])
    assert login(caseworker).get(url).status_code == 403


def test_without_a_cjk_font_the_pdf_is_refused_with_what_to_install(
    login, city, annex_world, monkeypatch
):
    monkeypatch.setattr(pdf, "cjk_font_available", lambda: False)
    response = login(city).get(county_url("county_pdf", annex_world))
    assert response.status_code == 503
    assert "fonts-noto-cjk" in response.content.decode()
    assert not ExportLog.objects.exists()
    with pytest.raises(CommandError, match="fonts-noto-cjk"):
        call_command("monthly_report", "--month", "2026-10", "--format", "pdf", "-o", "/dev/null")


def test_a_county_without_a_case_has_the_month_alone(login, city, annex_world):
    heping = Region.objects.get(name="和平县")
    sheet = workbook(
        login(city).get(reverse("reports:county_xlsx", args=[heping.pk, Month(2026, 10)]))
    )
    assert row(sheet, 2)[0] == "填报单位：和平县（加盖公章）"
    assert row(sheet, 6) == ["2026年10月", *[0] * 13]
    assert row(sheet, 7) == ["累计", *[0] * 13]
    assert text(row(sheet, 8)[0]) == REMARKS_HEADING
    assert sheet.max_row == 8


def test_a_case_identified_before_september_2018_starts_the_rows_there(login, city, laolong):
    CaseFactory(region=laolong, name="戊", identified_on=datetime.date(2017, 5, 2))
    url = reverse("reports:county_xlsx", args=[laolong.county.pk, Month(2018, 10)])
    sheet = workbook(login(city).get(url))
    assert [row(sheet, n)[0] for n in (6, 7, 8)] == ["2018年9月", "2018年10月", "累计"]
    assert row(sheet, 6)[1:] == [0] * 13  # identified before the first month: counted in none
    assert row(sheet, 8)[1] == 1  # but on the roster


def test_the_workbooks_headings_have_room_to_wrap(login, supervisor, annex_world):
    sheet = workbook(login(supervisor).get(county_url("county_xlsx", annex_world)))
    assert sheet["N4"].alignment.wrap_text and sheet["B5"].alignment.wrap_text
    assert (sheet.row_dimensions[4].height, sheet.row_dimensions[5].height) == (30, 60)
    assert sheet.row_dimensions[10].height == 60  # 备注
    assert sheet.column_dimensions["A"].width == 12
