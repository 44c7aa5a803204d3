"""The contact table (附件3): a county's supervisor names its leader in charge and liaison,
everyone reads the counties they work in, the city downloads the table in the form's layout."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from casework.contacts.selectors import county_contacts
from casework.models import ContactChange, CountyContact, ExportLog, Region, Role
from tests.factories import staff

LIAISON = {
    "liaison-name": "陈斌斌",
    "liaison-unit": "紫金县人力资源和社会保障局",
    "liaison-post": "就业股股长",
    "liaison-office_phone": "0762-3238307",
    "liaison-mobile": "13812345678",
    "liaison-email": "liaison@zijin.example.cn",
    "liaison-qq": "12345678",
    "liaison-wechat": "chenbinbin_zj",
}
LEADER = {
    "leader-name": "黄海涛",
    "leader-unit": "紫金县人力资源和社会保障局",
    "leader-post": "副局长",
    "leader-office_phone": "0762-7321234",
    "leader-mobile": "13922223333",
    "leader-email": "",
    "leader-qq": "",
    "leader-wechat": "",
}


def county(name: str) -> Region:
    return Region.objects.get(level=Region.Level.COUNTY, name=name)


def edit_url(name: str) -> str:
    return reverse("contacts:edit", args=[county(name).pk])


@pytest.fixture
def zijin_named(supervisor, login):
    """紫金县's supervisor has named the leader in charge and the liaison."""
    response = login(supervisor).post(edit_url("紫金县"), {**LEADER, **LIAISON})
    assert response.status_code == 302
    return county("紫金县")


def test_supervisor_names_the_countys_contacts_and_the_change_is_recorded(supervisor, login):
    client = login(supervisor)
    response = client.post(edit_url("紫金县"), {**LEADER, **LIAISON}, follow=True)
    assert "已保存" in response.content.decode()
    liaison = CountyContact.objects.get(county__name="紫金县", role="liaison")
    assert (liaison.name, liaison.post, liaison.mobile) == ("陈斌斌", "就业股股长", "13812345678")
    assert liaison.updated_by == supervisor
    change = ContactChange.objects.get(county__name="紫金县", role="liaison")
    assert change.actor == supervisor
    logged = {item["field"]: (item["from"], item["to"]) for item in change.data["changes"]}
    assert logged["name"] == ("", "陈斌斌")
    assert logged["mobile"] == ("", "138****5678")  # the log keeps a mobile masked

    client.post(edit_url("紫金县"), {**LEADER, **LIAISON, "liaison-post": "就业股副股长"})
    latest = ContactChange.objects.filter(county__name="紫金县", role="liaison").first()
    assert latest.data["changes"] == [{"field": "post", "from": "就业股股长", "to": "就业股副股长"}]
    page = client.get(reverse("contacts:county", args=[county("紫金县").pk])).content.decode()
    assert "就业股股长 → 就业股副股长" in page
    assert "sup_zijin" in page


def test_saving_unchanged_contacts_records_nothing(zijin_named, supervisor, login):
    before = ContactChange.objects.count()
    response = login(supervisor).post(edit_url("紫金县"), {**LEADER, **LIAISON}, follow=True)
    assert "没有改动" in response.content.decode()
    assert ContactChange.objects.count() == before


def test_clearing_a_row_removes_that_person(zijin_named, supervisor, login):
    cleared = dict.fromkeys(LEADER, "")
    login(supervisor).post(edit_url("紫金县"), {**cleared, **LIAISON})
    assert list(
        CountyContact.objects.filter(county__name="紫金县").values_list("role", flat=True)
    ) == ["liaison"]
    assert ContactChange.objects.filter(county__name="紫金县", role="leader").count() == 2


def test_another_countys_edit_page_is_not_found_like_a_missing_one(supervisor, login):
    client = login(supervisor)
    foreign = client.post(edit_url("龙川县"), {**LEADER, **LIAISON})
    missing = client.post(reverse("contacts:edit", args=[999_999]), {**LEADER, **LIAISON})
    assert foreign.status_code == missing.status_code == 404
    assert foreign.content == missing.content
    assert client.get(reverse("contacts:county", args=[county("龙川县").pk])).status_code == 404
    assert not CountyContact.objects.exists()


@pytest.mark.parametrize("who", ["caseworker", "city", "administrator"])
def test_only_the_supervisor_edits(who, request, login, db):
    client = login(request.getfixturevalue(who))
    assert client.get(edit_url("紫金县")).status_code == 403
    assert client.post(edit_url("紫金县"), {**LEADER, **LIAISON}).status_code == 403
    assert not CountyContact.objects.exists()


def test_city_staff_read_every_county_with_mobiles_in_full(zijin_named, city, login):
    page = login(city).get(reverse("contacts:index")).content.decode()
    for name in ("源城区", "紫金县", "龙川县", "连平县", "和平县", "东源县", "江东新区"):
        assert f'data-county="{name}"' in page
    assert "陈斌斌" in page and "13812345678" in page
    assert "编辑" not in page  # nothing to edit for the city


def test_a_caseworker_reads_their_own_county_with_mobiles_masked(zijin_named, caseworker, login):
    client = login(caseworker)
    page = client.get(reverse("contacts:index")).content.decode()
    assert 'data-county="紫金县"' in page and 'data-county="龙川县"' not in page
    assert "陈斌斌" in page and "138****5678" in page and "13812345678" not in page
    assert "0762-3238307" in page and "liaison@zijin.example.cn" in page  # work contacts
    assert client.get(reverse("contacts:export")).status_code == 403


def test_a_caseworker_of_another_county_does_not_see_these_contacts(zijin_named, login):
    other = login(staff("cw_longchuan", Role.CASEWORKER, "龙川县/老隆镇"))
    assert "陈斌斌" not in other.get(reverse("contacts:index")).content.decode()
    assert other.get(reverse("contacts:county", args=[zijin_named.pk])).status_code == 404


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("liaison-mobile", "1381234567", "请填写以1开头的11位手机号码，例如13812345678。"),
        ("liaison-office_phone", "3238307", "请填写带区号的办公电话，例如0762-3238307"),
        ("liaison-email", "chen@", "请填写电子邮箱地址，例如liaison@example.com。"),
        ("liaison-qq", "0123", "QQ号码为5至12位数字，且不以0开头。"),
        ("liaison-wechat", "陈斌斌", "微信号为6至20位字母、数字、下划线或减号，以字母开头"),
        ("liaison-name", "", "请填写担任此职务的人员姓名"),
    ],
)
def test_bad_contact_details_are_refused_with_a_clear_message(
    field, typed, message, supervisor, login
):
    response = login(supervisor).post(edit_url("紫金县"), {**LEADER, **LIAISON, field: typed})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CountyContact.objects.exists() and not ContactChange.objects.exists()


def test_full_width_digits_and_spaces_in_numbers_are_kept_as_plain_digits(supervisor, login):
    login(supervisor).post(
        edit_url("紫金县"), {**LEADER, **LIAISON, "liaison-mobile": "138 1234 ５６７８"}
    )
    assert CountyContact.objects.get(role="liaison").mobile == "13812345678"


def test_english_messages_for_bad_numbers(supervisor, client):
    client.force_login(supervisor)
    client.cookies["django_language"] = "en"
    response = client.post(edit_url("紫金县"), {**LEADER, **LIAISON, "liaison-mobile": "12"})
    assert "Enter an 11-digit mobile number starting with 1" in response.content.decode()


def test_the_city_downloads_the_table_in_the_layout_of_attachment_3(zijin_named, city, login):
    response = login(city).get(reverse("contacts:export"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "河源市就业技能精准扶贫组织化程度工作联系表"
    assert sheet["A2"].value == "填报单位：河源市"
    assert sheet["H2"].value.startswith("填报日期：")
    assert (sheet["A3"].value, sheet["B3"].value, sheet["I3"].value) == (
        "县（区）",
        "分管局领导",
        "联络员",
    )
    assert [cell.value for cell in sheet[4]][1:8] == [
        "姓名", "单位及职务", "办公电话", "手机号码", "电子邮箱", "QQ号码", "微信号码",
    ]  # fmt: skip
    assert [cell.value for cell in sheet[4]][8:15] == [
        "姓名", "单位及职务", "办公电话", "手机号码", "电子邮箱", "QQ号码", "微信号码",
    ]  # fmt: skip
    merged = {str(cell_range) for cell_range in sheet.merged_cells.ranges}
    assert {"A1:O1", "A3:A4", "B3:H3", "I3:O3"} <= merged
    counties = [sheet.cell(row=row, column=1).value for row in range(5, sheet.max_row + 1)]
    assert counties == ["源城区", "紫金县", "龙川县", "连平县", "和平县", "东源县", "江东新区"]
    zijin = [cell.value for cell in sheet[5 + counties.index("紫金县")]]
    assert zijin[1:5] == [
        "黄海涛",
        "紫金县人力资源和社会保障局 副局长",
        "0762-7321234",
        "13922223333",
    ]
    assert zijin[8:15] == [
        "陈斌斌", "紫金县人力资源和社会保障局 就业股股长", "0762-3238307", "13812345678",
        "liaison@zijin.example.cn", "12345678", "chenbinbin_zj",
    ]  # fmt: skip
    log = ExportLog.objects.get(kind="contacts")
    assert (log.actor, log.rows, log.full_id_numbers) == (city, 7, False)


def test_a_supervisor_downloads_their_own_countys_row(zijin_named, supervisor, login):
    sheet = load_workbook(
        io.BytesIO(login(supervisor).get(reverse("contacts:export")).content)
    ).active
    assert sheet["A2"].value == "填报单位：紫金县"
    assert [sheet.cell(row=row, column=1).value for row in range(5, sheet.max_row + 1)] == [
        "紫金县"
    ]


def test_a_formula_typed_as_a_unit_stays_text_in_the_workbook(supervisor, city, login):
    login(supervisor).post(
        edit_url("紫金县"), {**LEADER, **LIAISON, "liaison-unit": "=HYPERLINK(1)"}
    )
    sheet = load_workbook(io.BytesIO(login(city).get(reverse("contacts:export")).content)).active
    row = 6  # 源城区, then 紫金县
    assert sheet.cell(row=row, column=10).value == "=HYPERLINK(1) 就业股股长"
    assert sheet.cell(row=row, column=10).data_type == "s"


def test_county_messages_go_to_the_contacts_with_an_e_mail_address(zijin_named):
    recipients = county_contacts(zijin_named)
    assert [(contact.name, contact.email) for contact in recipients] == [
        ("陈斌斌", "liaison@zijin.example.cn")
    ]
    assert county_contacts(zijin_named.pk) == recipients  # an event's notify_county id
    assert county_contacts(county("龙川县")) == []


def test_the_table_costs_the_same_queries_for_one_county_or_all(
    zijin_named, caseworker, city, client, django_assert_max_num_queries
):
    client.force_login(caseworker)
    with django_assert_max_num_queries(8):
        client.get(reverse("contacts:index"))
    for name in ("源城区", "东源县", "龙川县"):
        CountyContact.objects.create(county=county(name), role="liaison", name="联络员" + name)
    client.force_login(city)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("contacts:index"))
    assert "联络员龙川县" in page.content.decode()


def test_a_mobile_typed_as_wechat_or_office_phone_is_masked_for_caseworkers(
    supervisor, caseworker, login
):
    typed = {**LEADER, **LIAISON, "leader-office_phone": "13907621621",
             "liaison-wechat": "13607621621"}  # fmt: skip
    assert login(supervisor).post(edit_url("紫金县"), typed).status_code == 302
    client = login(caseworker)
    for url in (reverse("contacts:index"), reverse("contacts:county", args=[county("紫金县").pk])):
        page = client.get(url).content.decode()
        assert "13907621621" not in page and "13607621621" not in page
        assert "139****1621" in page and "136****1621" in page
    own_page = login(supervisor).get(reverse("contacts:index")).content.decode()
    assert "13907621621" in own_page  # the county's supervisor sees them whole
