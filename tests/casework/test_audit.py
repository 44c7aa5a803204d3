"""The record of processing (/audit/): city staff and administrators read every reveal, export,
print, sign-in and write, filtered, paginated and exported; numbers never appear in full."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from casework.exports import export_logged
from casework.models import Case, ExportLog, PublicPost, RosterImport
from tests.rosters import person, write_xlsx
from tests.workflows.conftest import open_task, survey_form, task_url
from workflows.services import case_process_start

FULL_ID = re.compile(r"(?<![\dX])\d{17}[\dX](?![\dX])")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def rows_of(response) -> list[list[str]]:
    """The table's rows as the reader sees them (cells' text; none when it says it is empty)."""
    body = response.content.decode()
    table = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row,
                                                                      re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)
        if "No records match." not in row and "没有符合条件的记录。" not in row
    ]  # fmt: skip


def test_export_records_keep_numbers_masked(db, caseworker):
    record = export_logged(
        actor=caseworker, kind="ledger", rows=2,
        description="q=441621198507150029 tel 13812345678 and 11010519491231002X",
    )  # fmt: skip
    record.refresh_from_db()
    assert record.description == "q=441621********0029 tel 138****5678 and 110105********002X"


def test_every_export_record_is_written_by_the_one_writer():
    """ExportLog rows are created only in casework.exports.export_logged (which masks)."""
    root = Path(__file__).resolve().parents[2]
    writers = [
        str(path.relative_to(root))
        for folder in ("casework", "workflows", "reports", "supervision", "notifications", "config")
        for path in (root / folder).rglob("*.py")
        if "migrations" not in path.parts
        and re.search(r"(?<!class )ExportLog\s*\(|ExportLog\.objects\.(create|bulk_create|update)",
                      path.read_text())
    ]  # fmt: skip
    assert writers == ["casework/exports.py"]


@pytest.mark.parametrize("who", ["caseworker", "supervisor"])
def test_only_city_staff_and_administrators_read_it(who, request, login, zicheng):
    client = login(request.getfixturevalue(who))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/audit.xlsx").status_code == 403
    assert "/audit/" not in client.get("/").content.decode()


def test_a_reveal_shows_who_whose_and_when_masked(login, caseworker, city, zijin_case):
    login(caseworker).post(
        reverse("casework:case_reveal", args=[zijin_case.pk]), {"what": "id_number"}
    )
    client = login(city)
    client.cookies["django_language"] = "en"
    response = client.get("/audit/")
    assert response.status_code == 200
    assert "Record of processing" in response.content.decode()
    (row,) = [row for row in rows_of(response) if "ID number shown" in row]
    assert row[1] == "cw_zijin" and row[5] == f"case #{zijin_case.pk} 钟秀英"
    assert not FULL_ID.search(response.content.decode())


def test_sign_ins_are_labelled(login, city, administrator):
    export_logged(actor=city, kind="login", description="city 10.0.0.1", rows=0)
    export_logged(actor=None, kind="login_failed", description="city 10.0.0.9", rows=0)
    client = login(administrator)
    page = client.get("/audit/").content.decode()
    assert "登录失败" in page and "city 10.0.0.9" in page
    client.cookies["django_language"] = "en"
    rows = rows_of(client.get("/audit/", {"kind": "export:login_failed"}))
    assert [(row[1], row[2], row[5]) for row in rows] == [("—", "failed sign-in", "city 10.0.0.9")]


def test_filters_narrow_by_who_kind_dates_county_and_text(
    login, city, caseworker, supervisor, zijin_case, longchuan_case
):
    old = timezone.now() - datetime.timedelta(days=40)
    export_logged(actor=supervisor, kind="needs", description="needs 紫城镇", rows=3)
    ExportLog.objects.filter(kind="needs").update(at=old)
    login(caseworker).post(
        reverse("casework:case_outreach", args=[zijin_case.pk]),
        {"on": timezone.localdate().isoformat(), "note": "政策宣传"},
    )
    client = login(city)
    client.cookies["django_language"] = "en"

    def whats(**query):
        return [row[2] for row in rows_of(client.get("/audit/", query))]

    assert whats(actor=caseworker.pk) == ["Recorded outreach"]
    assert whats(kind="export:needs") == ["needs list"]
    last_month = (timezone.localdate() - datetime.timedelta(days=40)).isoformat()
    assert whats(until=last_month) == ["needs list"]
    assert "Recorded outreach" in whats(since=timezone.localdate().isoformat())
    assert whats(county=zijin_case.county_id, actor=caseworker.pk) == ["Recorded outreach"]
    assert whats(county=longchuan_case.county_id, actor=caseworker.pk) == []
    assert whats(q="紫城镇") == ["needs list"]
    assert whats(q="钟秀英", actor=caseworker.pk) == ["Recorded outreach"]


def test_an_edit_names_each_field_before_and_after(login, supervisor, city, zicheng):
    post = PublicPost.objects.create(
        county=zicheng.county, name="护林员", post_type="forest", employer="紫金县林业局",
        positions=5, starts_on=datetime.date(2026, 10, 1), created_by=supervisor,
    )  # fmt: skip
    login(supervisor).post(reverse("programmes:edit", args=["posts", post.pk]), {
        "name": "护林员", "post_type": "forest", "positions": 7, "employer": "紫金县林业局",
        "monthly_subsidy": "0", "starts_on": "2026-10-01",
    })  # fmt: skip
    client = login(city)
    client.cookies["django_language"] = "en"
    (row,) = rows_of(client.get("/audit/", {"kind": "programme:edited"}))
    assert row[1] == "sup_zijin"
    assert row[5].endswith("5 → 7") and "public-welfare post" in row[5].lower()


def test_a_roster_import_leaves_one_record_naming_its_new_cases(
    login, supervisor, administrator, tmp_path
):
    path = write_xlsx(tmp_path / "roster.xlsx", [person(n) for n in range(1, 4)])
    client = login(supervisor)
    with open(path, "rb") as handle:
        client.post(reverse("casework:import_upload"), {"file": handle})
    record = RosterImport.objects.get()
    client.post(reverse("casework:import_confirm", args=[record.pk]))
    created = sorted(Case.objects.values_list("pk", flat=True))
    assert len(created) == 3
    admin = login(administrator)
    admin.cookies["django_language"] = "en"
    rows = rows_of(admin.get("/audit/", {"kind": "change:roster_import"}))
    assert len(rows) == 1 and rows[0][1] == "sup_zijin"
    assert f"new cases: {'、'.join(str(pk) for pk in created)}" in rows[0][5]
    # and each new case's first stage change names who imported it
    stages = rows_of(admin.get("/audit/", {"kind": "stage:identified"}))
    assert [row[1] for row in stages] == ["sup_zijin"] * 3


def test_the_export_holds_the_filtered_records_and_is_itself_recorded(
    login, city, caseworker, zijin_case
):
    login(caseworker).post(
        reverse("casework:case_find"), {"id_number": zijin_case.person.id_number}
    )
    client = login(city)
    client.cookies["django_language"] = "en"
    response = client.get("/audit/audit.xlsx", {"kind": "export:find"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("when", "who", "what")
    assert [row[1:3] for row in rows[1:]] == [("cw_zijin", "search by whole ID number")]
    masked = zijin_case.person.id_number[:6] + "********" + zijin_case.person.id_number[-4:]
    assert rows[1][5].startswith(masked)
    record = ExportLog.objects.get(kind="audit")
    assert (record.actor, record.rows, record.description) == (city, 1, "/audit/ kind=export:find")
    assert "record of processing" in [row[2] for row in rows_of(client.get("/audit/"))]


def test_the_page_reads_a_fixed_number_of_queries(
    login, city, caseworker, zijin_case, django_assert_max_num_queries
):
    client = login(city)
    export_logged(actor=caseworker, kind="ledger", description="x", rows=1)
    with django_assert_max_num_queries(16):
        assert client.get("/audit/").status_code == 200
    for n in range(60):
        export_logged(actor=caseworker, kind="ledger", description=f"x{n}", rows=n)
        login(caseworker).post(
            reverse("casework:case_outreach", args=[zijin_case.pk]),
            {"on": timezone.localdate().isoformat(), "note": f"宣传{n}"},
        )
    client = login(city)
    with django_assert_max_num_queries(16):
        response = client.get("/audit/")
    assert len(rows_of(response)) == 50
    assert FULL_MOBILE.search(response.content.decode()) is None


def test_a_survey_names_the_laborers_fields_it_changed_phone_masked(
    login, caseworker, city, zijin_case
):
    case_process_start(case=zijin_case)
    task = open_task(zijin_case, "survey")
    client = login(caseworker)
    client.post(task_url(task, "claim"))
    client.post(task_url(task), survey_form(zijin_case, phone="13912345678", name="钟秀兰"))
    zijin_case.person.refresh_from_db()
    assert zijin_case.person.phone == "13912345678"
    reader = login(city)
    reader.cookies["django_language"] = "en"
    (row,) = rows_of(reader.get("/audit/", {"kind": "change:survey"}))
    assert row[1] == "cw_zijin"
    assert "name: 钟秀英 → 钟秀兰" in row[5] and "phone: — → 139****5678" in row[5]
    assert "13912345678" not in reader.get("/audit/").content.decode()
