"""The supervision pages as each role reads them, the inspection and interview forms, the
circular and its PDF, and the year-end evaluation; the story and its levels are in conftest."""

import datetime
import re
import subprocess

import pytest
from django.urls import reverse

from casework.models import ExportLog
from supervision.models import Circular, Inspection, Interview
from tests.casework.test_languages import visible_text

from .conftest import at, ladder_run

D = datetime.date
# ranked: every overdue share is 0; 紫金县 has a refined-service rate (0.0%), the others have
# nobody to serve and follow in code order
RANKED = ["441621", "441602", "441622", "441623", "441624", "441625", "441699"]


def text(response) -> str:
    return " ".join(visible_text(response.content.decode()))


def rows(response, testid: str) -> list[str]:
    """The <tr> elements of the table marked data-testid, as HTML."""
    html = response.content.decode()
    table = re.search(rf'data-testid="{testid}".*?</table>', html, re.S).group(0)
    return re.findall(r"<tr[^>]*data-[^>]*>.*?</tr>", table, re.S)


@pytest.fixture
def as_role(ladder_world, client, on_the_15th):
    def login(role):
        client.force_login(ladder_world["users"][role])
        return client

    return login


# --- the dashboard ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["city", "admin"])
def test_city_staff_and_administrators_see_every_county_ranked(as_role, role):
    response = as_role(role).get(reverse("supervision:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<tr data-county="(\d+)"', html) == RANKED
    levels = dict(re.findall(r'<tr data-county="(\d+)" data-level="(\d)"', html))
    assert levels == {"441621": "1", "441602": "3", "441622": "3", "441623": "3",
                      "441624": "0", "441625": "3", "441699": "3"}  # fmt: skip
    page = text(response)
    assert "排名规则：先按超期占比" in page and "再按精细化服务率从高到低" in page
    assert "超过 10% 的" in page and "第3级（最高级）" in page  # the ladder rule
    assert "督导" in visible_text(html)  # in the main menu
    assert f'href="{reverse("supervision:report")}"' in html  # they print the report


def test_the_dashboard_row_shows_history_strikes_and_targets(as_role):
    response = as_role("city").get(reverse("supervision:dashboard"))
    (zijin,) = [row for row in rows(response, "standings") if 'data-county="441621"' in row]
    months = re.findall(r'class="month level-(\w+)( strike)?".*?<b>(\d+)</b>(\d)', zijin)
    assert months == [("reminder", " strike", "8", "1"), ("none", "", "9", "0"),
                      ("reminder", " strike", "10", "1")]  # fmt: skip
    cells = [re.sub(r"<[^>]+>", " ", cell).split() for cell in re.findall(
        r'<td class="num">(.*?)</td>', zijin, re.S)]  # fmt: skip
    # rank, strikes, open, overdue, share, service rate (0 of 1), coverage rate
    assert cells == [["1"], ["2"], ["0"], ["0"], ["0.0%"], ["0.0%", "0/1"], ["0.0%", "0/1"]]
    (longchuan,) = [row for row in rows(response, "standings") if 'data-county="441622"' in row]
    assert "3 · 约谈" in longchuan
    assert "—" in longchuan  # nobody to serve: no rate


def test_a_supervisor_sees_only_the_own_county_and_a_caseworker_nothing(as_role):
    response = as_role("supervisor").get(reverse("supervision:dashboard"))
    html = response.content.decode()
    assert re.findall(r'<tr data-county="(\d+)"', html) == ["441621"]
    # the rank is the city's, among the seven counties: 龙川县 is third of RANKED
    elsewhere = as_role("supervisor_elsewhere").get(reverse("supervision:dashboard"))
    row = re.search(r'<tr data-county="441622".*?</tr>', elsewhere.content.decode(), re.S)
    assert re.search(r'<td class="num">(\d+)</td>', row.group(0)).group(1) == "3"
    assert "记录专项督导检查" not in text(response)  # city staff record inspections
    assert reverse("supervision:report") not in response.content.decode()  # and print it
    assert as_role("caseworker").get(reverse("supervision:dashboard")).status_code == 404
    home = as_role("caseworker").get("/").content.decode()
    assert reverse("supervision:dashboard") not in home


def test_the_dashboard_lists_the_interviews_to_arrange(as_role):
    response = as_role("city").get(reverse("supervision:dashboard"))
    arrange = re.search(r'data-testid="to-arrange".*?</section>', response.content.decode(), re.S)
    names = re.findall(r"<li>(\S+) · ", arrange.group(0))
    assert sorted(names) == sorted(["源城区", "龙川县", "连平县", "东源县", "江东新区"])


@pytest.mark.parametrize("role", ["supervisor", "city"])  # one county, seven
def test_the_dashboard_reads_a_fixed_number_of_queries(
    as_role, role, django_assert_max_num_queries
):
    client = as_role(role)
    # the session and user, the rule, each county's tasks, last month's report (its figures:
    # about twenty), the targets, the ladder months, interviews, inspections, the bell
    with django_assert_max_num_queries(38):
        assert client.get(reverse("supervision:dashboard")).status_code == 200


# --- a county's page -------------------------------------------------------------------------


def test_the_county_page_shows_its_ladder_history(as_role, ladder_world):
    response = as_role("city").get(
        reverse("supervision:county", args=[ladder_world["longchuan"].pk])
    )
    history = rows(response, "ladder-history")
    steps = [re.search(r'data-month="([\d-]+)" data-step="(\w+)"', row).groups() for row in history]
    assert steps == [("2026-10", "interview"), ("2026-09", "circular"), ("2026-08", "reminder")]
    assert "0 →" in history[2] and "1 · 提醒" in history[2]
    assert "sup_longchuan" in history[2]  # the county's supervisor was reminded
    assert "月报逾期" in history[0] and "2026-09 · 截止 2026-10-08" in history[0]
    circular = Circular.objects.get()
    assert reverse("supervision:circular", args=[circular.pk]) in history[1]
    interview = Interview.objects.get(county=ladder_world["longchuan"])
    assert reverse("supervision:interview", args=[interview.pk]) in response.content.decode()


def test_a_supervisor_reads_the_own_county_page_only(as_role, ladder_world):
    client = as_role("supervisor_elsewhere")
    own = client.get(reverse("supervision:county", args=[ladder_world["longchuan"].pk]))
    assert own.status_code == 200
    interview = Interview.objects.get(county=ladder_world["longchuan"])
    assert reverse("supervision:interview", args=[interview.pk]) not in own.content.decode()
    other = client.get(reverse("supervision:county", args=[ladder_world["zijin"].pk]))
    missing = client.get(reverse("supervision:county", args=[999_999]))
    assert other.status_code == missing.status_code == 404
    assert other.content == missing.content
    caseworker = as_role("caseworker")
    assert caseworker.get(reverse("supervision:county", args=[ladder_world["zijin"].pk])
                          ).status_code == 404  # fmt: skip


# --- inspections -----------------------------------------------------------------------------

INSPECTION = {"held_on": "2026-11-12", "inspectors": "市局督导组 李敏、王强",
              "findings": "台账不全，三户未走访", "follow_up": "补齐台账",
              "follow_up_due": "2026-11-30"}  # fmt: skip


def test_city_staff_record_and_correct_an_inspection(as_role, ladder_world):
    client = as_role("city")
    zijin = ladder_world["zijin"]
    response = client.post(reverse("supervision:inspection_new", args=[zijin.pk]), INSPECTION)
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    found = (inspection.county, inspection.held_on, inspection.findings, inspection.follow_up_due)
    assert found == (zijin, D(2026, 11, 12), "台账不全，三户未走访", D(2026, 11, 30))
    page = client.get(reverse("supervision:county", args=[zijin.pk]))
    assert "台账不全，三户未走访" in text(page)
    corrected = dict(INSPECTION, findings="台账不全，两户未走访")
    url = reverse("supervision:inspection_edit", args=[inspection.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, corrected).status_code == 302
    assert Inspection.objects.get().findings == "台账不全，两户未走访"
    dashboard = client.get(reverse("supervision:dashboard"))
    assert "台账不全，两户未走访" in text(dashboard)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"follow_up_due": "2026-11-01"}, "整改期限不能早于检查日期。"),
        ({"held_on": "2026-11-16"}, "日期不能晚于今天。"),
        ({"findings": ""}, "这个字段是必填项。"),
        ({"follow_up": ""}, "请写明到期前须整改的内容。"),
        ({"held_on": "1900-01-01"}, "日期不能早于2018年9月。"),
        ({"follow_up_due": "9999-12-31"}, "日期不能晚于两年以后。"),
    ],
)
def test_a_refused_inspection_says_why_and_changes_nothing(as_role, ladder_world, change, message):
    client = as_role("city")
    response = client.post(
        reverse("supervision:inspection_new", args=[ladder_world["zijin"].pk]),
        dict(INSPECTION, **change),
    )
    assert response.status_code == 400
    assert message in text(response) and "未作任何保存" in text(response)
    assert not Inspection.objects.exists()


REFUSED = [("supervisor", 403), ("admin", 403), ("supervisor_elsewhere", 404),
           ("caseworker", 404)]  # fmt: skip


@pytest.mark.parametrize("role, status", REFUSED)
def test_only_city_staff_record_inspections(as_role, ladder_world, role, status):
    url = reverse("supervision:inspection_new", args=[ladder_world["zijin"].pk])
    client = as_role(role)
    assert client.get(url).status_code == status
    assert client.post(url, INSPECTION).status_code == status
    assert not Inspection.objects.exists()


def test_only_city_staff_correct_an_inspection(as_role, ladder_world):
    as_role("city").post(
        reverse("supervision:inspection_new", args=[ladder_world["zijin"].pk]), INSPECTION
    )
    url = reverse("supervision:inspection_edit", args=[Inspection.objects.get().pk])
    changed = dict(INSPECTION, findings="改")
    assert as_role("supervisor").post(url, changed).status_code == 403
    assert as_role("supervisor_elsewhere").post(url, changed).status_code == 404
    assert Inspection.objects.get().findings == "台账不全，三户未走访"


# --- interviews ------------------------------------------------------------------------------

INTERVIEW = {"held_on": "2026-11-10", "attendees": "龙川县分管副局长、联络员",
             "outcome": "承诺月底前清理超期任务", "follow_up_on": "2026-12-10"}  # fmt: skip


def test_city_staff_record_an_interview(as_role, ladder_world):
    interview = Interview.objects.get(county=ladder_world["longchuan"])
    client = as_role("city")
    response = client.post(reverse("supervision:interview", args=[interview.pk]), INTERVIEW)
    assert response.status_code == 302
    interview.refresh_from_db()
    assert (interview.held_on, interview.outcome, interview.follow_up_on) == (
        D(2026, 11, 10), "承诺月底前清理超期任务", D(2026, 12, 10))  # fmt: skip
    assert interview.updated_by == ladder_world["users"]["city"]
    page = client.get(reverse("supervision:county", args=[ladder_world["longchuan"].pk]))
    assert "承诺月底前清理超期任务" in text(page)
    dashboard = text(client.get(reverse("supervision:dashboard")))
    assert "龙川县 · 因2026-10启动" not in dashboard  # arranged: off the list


@pytest.mark.parametrize(
    "change, message",
    [
        ({"held_on": ""}, "填写约谈结果须先填写约谈日期。"),
        ({"held_on": "2026-10-31"}, "约谈日期不能早于启动约谈的日期。"),
        ({"follow_up_on": "2026-11-09"}, "跟进日期不能早于约谈日期。"),
        ({"follow_up_on": "9999-12-31"}, "日期不能晚于两年以后。"),
        (
            {"held_on": "", "outcome": "", "follow_up_on": "2026-12-01"},
            "填写跟进日期前，请先填写约谈日期。",
        ),
    ],
)
def test_a_refused_interview_says_why_and_changes_nothing(as_role, ladder_world, change, message):
    interview = Interview.objects.get(county=ladder_world["longchuan"])
    response = as_role("city").post(
        reverse("supervision:interview", args=[interview.pk]), dict(INTERVIEW, **change)
    )
    assert response.status_code == 400
    assert message in text(response)
    interview.refresh_from_db()
    assert (interview.held_on, interview.outcome, interview.updated_by) == (None, "", None)


def test_only_city_staff_arrange_interviews(as_role, ladder_world):
    interview = Interview.objects.get(county=ladder_world["longchuan"])
    url = reverse("supervision:interview", args=[interview.pk])
    assert as_role("supervisor_elsewhere").post(url, INTERVIEW).status_code == 403  # 龙川县's own
    assert as_role("admin").post(url, INTERVIEW).status_code == 403
    assert as_role("supervisor").post(url, INTERVIEW).status_code == 404  # 紫金县's
    assert as_role("caseworker").get(url).status_code == 404
    interview.refresh_from_db()
    assert interview.held_on is None


# --- circulars -------------------------------------------------------------------------------

NAMED = ["源城区", "龙川县", "连平县", "东源县", "江东新区"]


def test_every_county_reads_the_circular(as_role):
    circular = Circular.objects.get()
    assert circular.month == D(2026, 9, 1)
    client = as_role("supervisor")  # 紫金县 is not named, and reads it
    listed = client.get(reverse("supervision:circulars"))
    assert reverse("supervision:circular", args=[circular.pk]) in listed.content.decode()
    response = client.get(reverse("supervision:circular", args=[circular.pk]))
    assert response.status_code == 200
    names = [
        re.search(r">([^<>]+)</a></td>", row).group(1) for row in rows(response, "circular-rows")
    ]
    assert names == NAMED
    assert "2026-08" in text(response) and "未上报" in text(response)
    assert as_role("caseworker").get(reverse("supervision:circular", args=[circular.pk])
                                     ).status_code == 404  # fmt: skip


def pdf_tool(tool: str, content: bytes, tmp_path) -> str:
    path = tmp_path / "circular.pdf"
    path.write_bytes(content)
    return subprocess.run([tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)],
                          capture_output=True, text=True).stdout  # fmt: skip


def test_the_circular_pdf_names_the_counties_and_is_recorded(as_role, ladder_world, tmp_path):
    circular = Circular.objects.get()
    response = as_role("supervisor").get(reverse("supervision:circular_pdf", args=[circular.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    words = re.sub(r"\s", "", pdf_tool("pdftotext", response.content, tmp_path))
    assert (
        "关于源城区、龙川县、连平县、东源县、江东新区2026年9月就业扶贫工作滞后情况的通报" in words
    )
    assert "河源市人力资源和社会保障局2026年10月1日" in words
    assert "紫金县" not in words and "和平县" not in words
    assert not re.search(r"\d{17}[\dX]", words)  # no ID number
    fonts = pdf_tool("pdffonts", response.content, tmp_path).splitlines()[2:]
    assert any("CJK" in line and " yes " in line for line in fonts), fonts
    log = ExportLog.objects.get()
    assert (log.actor, log.kind, log.description, log.rows) == (
        ladder_world["users"]["supervisor"], "supervision_circular", "通报 2026-09", 5)  # fmt: skip


# --- the year-end evaluation -----------------------------------------------------------------


def year_rows(response) -> dict[str, tuple]:
    """{county code: (strikes, late reports, interviews, service rate, stopped)}."""
    found = {}
    for row in rows(response, "year-table"):
        code, stopped = re.search(r'data-county="(\d+)" data-stopped="(\d)"', row).groups()
        cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(
            r'<td class="num">(.*?)</td>', row, re.S)]  # fmt: skip
        found[code] = (cells[0], cells[1], cells[2], cells[5], stopped == "1")
    return found


def test_the_provisional_year_marks_the_subsidies_stopped(as_role):
    response = as_role("city").get(reverse("supervision:year"))
    assert response.status_code == 200
    found = year_rows(response)
    # 紫金县: 2 strikes, 2 late, but its service rate 0.0% is under 90%: stopped
    assert found["441621"] == ("2", "2", "0", "0.0%", True)
    # 龙川县: 3 late reports reach the rule's 3: stopped
    assert found["441622"] == ("3", "3", "1", "—", True)
    # 和平县: nothing against it, nobody to serve: kept
    assert found["441624"] == ("0", "0", "0", "—", False)
    page = text(response)
    assert "暂定" in page
    assert (
        "县（区）在本年度内被警示 6 次及以上，或月报逾期 3 次及以上，或年末任一“两个100%”目标"
        "（精细化服务率、政策覆盖率）低于 90%的，停发基层服务经费补贴。"
    ) in page


def test_the_rule_reads_in_english(as_role):
    client = as_role("city")
    client.cookies["django_language"] = "en"
    page = text(client.get(reverse("supervision:year") + "?year=2026"))
    assert (
        "A county's service-fund subsidy is stopped (停发基层服务经费补贴) when in the year "
        "it earns 6 strikes or more, or 3 of its monthly reports or more are late, or either "
        "100% target (refined service, policy coverage) is under 90% at year end."
    ) in page


@pytest.mark.parametrize("year", ["abc", "1999", "2027"])
def test_a_bad_year_is_refused_with_a_message(as_role, year):
    response = as_role("city").get(reverse("supervision:year") + f"?year={year}")
    assert response.status_code == 400
    assert "请选择 2018 至 2026 年" in text(response)


def test_a_year_never_assessed_has_nothing_to_evaluate(as_role):
    response = as_role("city").get(reverse("supervision:year") + "?year=2019")
    assert response.status_code == 200
    assert "2019年没有已评估的月份，无可考评。" in text(response)
    html = response.content.decode()
    assert "<table" not in html and 'data-testid="evaluation-state"' not in html


def test_the_year_is_frozen_when_december_is_assessed(ladder_world, client):
    ladder_run(D(2026, 12, 1))
    ladder_run(D(2027, 1, 1))
    with at(D(2027, 1, 15)):
        client.force_login(ladder_world["users"]["city"])
        response = client.get(reverse("supervision:year") + "?year=2026")
    found = year_rows(response)
    # 紫金县 strikes in Aug, Oct, Nov, Dec (Sep's report on time); interview in December
    assert found["441621"] == ("4", "4", "1", "0.0%", True)
    # 龙川县 every month from August; interviews in October, November and December
    assert found["441622"] == ("5", "5", "3", "—", True)
    # 和平县 misses October's and November's reports: 2 strikes, 2 late, kept
    assert found["441624"] == ("2", "2", "0", "—", False)
    assert "已于 2027-01-01 08:00（评估当年12月时）完成考评" in text(response)
