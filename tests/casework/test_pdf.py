"""PDFs: the CJK font they need (system check, refusal), and the survey form 附件2 printed
blank, for one laborer and for a village — read back with poppler's tools."""

import shutil
import subprocess

import pytest
from django.core import checks
from django.urls import reverse
from django.utils import timezone

from casework import pdf, recording
from casework.models import Case, ExportLog, Role
from casework.survey import paper
from tests.factories import CaseFactory, region, staff

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"
)
FULL_ID = "11010519491231002X"
PHONE = "13812345678"


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True
    ).stdout


def pdf_tool(tool: str, content: bytes, tmp_path) -> str:
    path = tmp_path / "form.pdf"
    path.write_bytes(content)
    return subprocess.run([tool, str(path)], capture_output=True, text=True).stdout


def squeezed(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def no_font(monkeypatch):
    monkeypatch.setattr(pdf, "cjk_font_available", lambda: False)


@pytest.fixture
def surveyed(zicheng, caseworker):
    case = CaseFactory(region=zicheng, name="钟秀英", id_number=FULL_ID)
    recording.survey_submit(
        case=case, actor=caseworker, surveyed_on=timezone.localdate(),
        employment_status="farming",
        answers={"name": "钟秀英", "phone": PHONE, "ethnicity": "汉", "education": "junior",
                 "reasons": ["skills", "age"], "wished_location": "in_county"},
    )  # fmt: skip
    return Case.objects.get(pk=case.pk)


# --- the font ------------------------------------------------------------------------------


def test_the_system_check_warns_without_a_cjk_font_and_errors_under_deploy(no_font):
    found = checks.run_checks()
    warning = next(m for m in found if m.id == "casework.W001")
    assert warning.level == checks.WARNING
    assert "fonts-noto-cjk libharfbuzz-subset0" in warning.msg
    assert "casework.E001" not in {m.id for m in found}
    deployed = checks.run_checks(include_deployment_checks=True)
    error = next(m for m in deployed if m.id == "casework.E001")
    assert error.level == checks.ERROR
    assert "fonts-noto-cjk libharfbuzz-subset0" in error.msg


def test_the_check_is_silent_with_a_font(monkeypatch):
    monkeypatch.setattr(pdf, "cjk_font_available", lambda: True)
    ids = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert not ids & {"casework.W001", "casework.E001"}


def test_render_refuses_without_a_font(no_font):
    with pytest.raises(pdf.FontMissing, match="fonts-noto-cjk libharfbuzz-subset0"):
        pdf.render_pdf("pdf/survey_form.html", {"forms": []})


def test_a_pdf_view_answers_503_naming_the_packages_without_a_font(
    no_font, client, caseworker, surveyed
):
    client.force_login(caseworker)
    response = client.get(reverse("casework:survey_form_blank"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 503
    assert "fonts-noto-cjk libharfbuzz-subset0" in response.content.decode()
    response = client.post(reverse("casework:case_survey_form", args=[surveyed.pk]))
    assert response.status_code == 503
    assert not ExportLog.objects.filter(kind="survey_form").exists()


# --- the survey form -----------------------------------------------------------------------


def test_the_paper_shows_every_field_of_the_survey_form():
    """A field added to the survey form must find its place on the paper."""
    names = {name for _t, group, _s in paper.SurveyForm.GROUPS for name in group}
    assert names - {"surveyed_on", "note"} == paper.laid_out_fields()


@needs_poppler
@pytest.mark.parametrize("role", ["caseworker", "supervisor", "city", "administrator"])
def test_every_role_downloads_the_blank_form(
    role, caseworker, supervisor, city, administrator, client, tmp_path
):
    users = {"caseworker": caseworker, "supervisor": supervisor, "city": city,
             "administrator": administrator}  # fmt: skip
    client.force_login(users[role])
    response = client.get(reverse("casework:survey_form_blank"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = squeezed(pdf_text(response.content, tmp_path))
    assert "河源市贫困劳动力调查表" in text
    for title in ("个人基本信息", "已就业（转移就业）情况", "未转移就业人员就业意愿"):
        assert title in text
    assert "☐男☐女" in text and "☑" not in text
    assert "Pages:1\n" in pdf_tool("pdfinfo", response.content, tmp_path).replace(" ", "")


@needs_poppler
def test_a_caseworker_prints_a_laborers_form_with_the_full_numbers(
    client, caseworker, surveyed, tmp_path
):
    client.force_login(caseworker)
    response = client.post(reverse("casework:case_survey_form", args=[surveyed.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "attachment" in response["Content-Disposition"]
    text = squeezed(pdf_text(response.content, tmp_path))
    assert "河源市贫困劳动力调查表" in text and "个人基本信息" in text
    assert "钟秀英" in text
    assert FULL_ID in text and PHONE in text
    assert "紫金县县（区）紫城镇乡镇（街道）新联村村（社区）" in text
    # ticked as answered: sex from the ID number, education, status, reasons
    for ticked in ("☑女", "☑初中", "☑在家务农", "☑缺乏技能", "☑年龄偏大", "☑县内乡外"):
        assert ticked in text
    assert "☐男" in text and "☐外出务工" in text
    fonts = pdf_tool("pdffonts", response.content, tmp_path)
    cjk = [line for line in fonts.splitlines() if "Noto" in line and "CJK" in line]
    assert cjk and all(line.split()[-5] == "yes" for line in cjk)  # the emb column
    log = ExportLog.objects.get(kind="survey_form")
    assert (log.actor, log.rows, log.full_id_numbers) == (caseworker, 1, True)


@pytest.mark.parametrize("url", ["casework:case_survey_form"])
def test_a_pre_filled_form_is_never_a_get(url, client, caseworker, surveyed):
    client.force_login(caseworker)
    assert client.get(reverse(url, args=[surveyed.pk])).status_code == 405
    assert client.get(reverse("casework:village_survey_forms")).status_code == 405
    assert not ExportLog.objects.exists()


def test_city_staff_may_not_print_a_pre_filled_form_and_another_county_sees_nothing(
    client, city, administrator, other_caseworker, surveyed, zicheng
):
    case_url = reverse("casework:case_survey_form", args=[surveyed.pk])
    village_url = reverse("casework:village_survey_forms")
    for user in (city, administrator):
        client.force_login(user)
        assert client.post(case_url).status_code == 403
        assert client.post(village_url, {"village": zicheng.pk}).status_code == 403
    client.force_login(other_caseworker)
    assert client.post(case_url).status_code == 404
    assert client.post(village_url, {"village": zicheng.pk}).status_code == 404
    assert client.post(village_url, {"village": "9999999"}).status_code == 404
    assert client.post(village_url, {"village": "x1"}).status_code == 400
    supervisor_elsewhere = staff("sup_lc", Role.COUNTY_SUPERVISOR, "龙川县")
    client.force_login(supervisor_elsewhere)
    assert client.post(case_url).status_code == 404
    assert client.post(village_url, {"village": zicheng.pk}).status_code == 404
    assert not ExportLog.objects.exists()


@needs_poppler
def test_a_supervisor_prints_a_village_one_laborer_a_page(
    client, supervisor, surveyed, zicheng, tmp_path
):
    CaseFactory(region=zicheng, name="黄志明", id_number="441621198507150029")
    CaseFactory(region=zicheng, name="刘春梅")
    elsewhere = CaseFactory(region=region("紫金县/紫城镇/上义村"), name="曾不在")
    client.force_login(supervisor)
    response = client.post(reverse("casework:village_survey_forms"), {"village": zicheng.pk})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Pages:3\n" in pdf_tool("pdfinfo", response.content, tmp_path).replace(" ", "")
    text = squeezed(pdf_text(response.content, tmp_path))
    for name in ("钟秀英", "黄志明", "刘春梅"):
        assert name in text
    assert elsewhere.person.name not in text
    assert FULL_ID in text and "441621198507150029" in text
    log = ExportLog.objects.get(kind="survey_form")
    assert (log.actor, log.rows, log.full_id_numbers) == (supervisor, 3, True)
    response = client.post(reverse("casework:village_survey_forms"), {"village": zicheng.pk})
    assert ExportLog.objects.filter(kind="survey_form").count() == 2


def test_a_village_without_open_cases_prints_nothing(client, caseworker, zicheng):
    empty = region("紫金县/紫城镇/上义村")
    client.force_login(caseworker)
    response = client.post(
        reverse("casework:village_survey_forms"), {"village": empty.pk}, follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )  # fmt: skip
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "上义村没有未结案的个案，无需打印。" in response.content.decode()
    assert not ExportLog.objects.exists()


def test_the_print_button_shows_only_to_those_who_may_print(
    client, caseworker, supervisor, city, surveyed
):
    url = reverse("casework:case_detail", args=[surveyed.pk])
    for user, shown in ((caseworker, True), (supervisor, True), (city, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert ('data-testid="print-survey-form"' in page) is shown


def test_the_forms_page_offers_the_villages_of_ones_scope(
    client, caseworker, city, surveyed, zicheng
):
    region("龙川县/老隆镇/水口村")
    client.force_login(caseworker)
    page = client.get(reverse("casework:survey_forms")).content.decode()
    assert "紫金县/紫城镇/新联村" in page and "水口村" not in page
    assert reverse("casework:survey_form_blank") in page
    client.force_login(city)
    page = client.get(reverse("casework:survey_forms")).content.decode()
    assert 'data-testid="village-print"' not in page
    assert reverse("casework:survey_form_blank") in page
