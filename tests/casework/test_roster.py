"""Importing the poverty office's roster: formats, row rules, re-import, leaving, merging."""

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from casework import history
from casework.models import (
    Case,
    CaseEvent,
    LeftListCandidate,
    Person,
    Region,
    Role,
    RosterImport,
    Stage,
)
from casework.roster import case_correct_id, left_list_decide, roster_import
from tests.factories import region, staff
from tests.rosters import person, write_csv, write_xlsx
from workflows.models import CaseTask


def run(path, *args) -> dict:
    out = io.StringIO()
    call_command("import_roster", str(path), "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def codes_of(summary) -> dict[int, list[str]]:
    return {row["row"]: row["codes"] for row in summary["rejected"]}


@pytest.fixture
def roster(tmp_path):
    return write_xlsx(tmp_path / "紫金县名单.xlsx", [person(n) for n in range(1, 11)], title_rows=2)


def test_an_xlsx_roster_with_title_rows_creates_cases_and_starts_their_workflows(db, roster):
    summary = run(roster)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (10, 0, 0)
    assert summary["rejected"] == []
    assert Case.objects.filter(stage=Stage.IDENTIFIED).count() == 10
    assert CaseTask.objects.filter(kind="survey").count() == 10
    case = Case.objects.get(person__id_number=person(1)["身份证号码"])
    assert (case.county.name, case.township.name) == ("紫金县", person(1)["乡镇（街道）"])
    assert case.person.education == "primary" and case.person.household_no  # 小学
    assert case.stage_changes.get().data == {"roster_import": RosterImport.objects.get().pk}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(db, tmp_path, encoding):
    rows = [person(n) for n in range(1, 6)] + [person(6, 姓名="")]
    path = write_csv(tmp_path / "名单.csv", rows, encoding=encoding)
    summary = run(path)
    assert summary["created"] == 5
    assert codes_of(summary) == {7: ["name_missing"]}  # header on line 1, the sixth person on 7
    assert Person.objects.filter(name=person(3)["姓名"]).exists()


def test_csv_row_numbers_are_the_line_where_the_record_starts(db, tmp_path):
    rows = [person(1, 务工状况="外出\n务工"), person(2, 身份证号码="123")]
    summary = run(write_csv(tmp_path / "r.csv", rows))
    assert codes_of(summary) == {4: ["id_format"]}  # record 1 spans lines 2–3


def test_every_row_rule_has_its_code(db, tmp_path):
    good = person(1)
    bad_check = good["身份证号码"][:17] + ("0" if good["身份证号码"][17] != "0" else "1")
    rows = [
        good,
        person(2, 身份证号码=""),                                  # row 4
        person(3, 身份证号码="44162119700101"),                     # 5
        person(4, 身份证号码=bad_check),                            # 6
        person(5),                                                 # 7 impossible date, below
        person(6, 性别="女" if person(6)["性别"] == "男" else "男"),  # 8
        person(1),                                                 # 9 duplicate of row 3
        person(7, **{"县（区）": "惠州市惠城区"}),                   # 10
        person(8, 姓名=""),                                         # 11
        person(9, county="龙川县"),                                 # 12
        person(10, 联系电话="1381234"),                              # 13 kept, warning
        person(11, **{"乡镇（街道）": "新设镇", "村（社区）": "新村"}),  # 14 kept, created
    ]  # fmt: skip
    rows[4]["身份证号码"] = "441621197002301237"  # right check character, 30 February
    summary = run(write_xlsx(tmp_path / "rules.xlsx", rows), "--county", "441621")
    assert codes_of(summary) == {
        4: ["id_missing"], 5: ["id_format"], 6: ["id_checksum"], 7: ["id_birthdate"],
        8: ["sex_mismatch"], 9: ["duplicate_in_file"], 10: ["unknown_county"],
        11: ["name_missing"], 12: ["out_of_scope"],
    }  # fmt: skip
    assert all(row["reasons"] and row["reasons"][0] for row in summary["rejected"])
    warnings = [(row["row"], row["message"]) for row in summary["warnings"]]
    assert any(row == 13 and "***1234" in message for row, message in warnings)  # masked
    assert any(row == 14 and "新设镇" in message for row, message in warnings)
    assert summary["created"] == 3
    assert Region.objects.get(name="新村").parent.name == "新设镇"
    assert Person.objects.get(id_number=person(10)["身份证号码"]).phone == ""


def test_headers_are_forgiven_and_unknown_columns_listed(db, tmp_path):
    header = ["姓名", "证件号码", "县(市、区)", "乡镇(街道)", "村 (社区)", "手机号码", "备注"]
    rows = [{"姓名": "钟秀英", "证件号码": person(1)["身份证号码"], "县(市、区)": "441621",
             "乡镇(街道)": "紫城镇", "村 (社区)": "新联村", "手机号码": "13812345678",
             "备注": "x"}]  # fmt: skip
    summary = run(write_xlsx(tmp_path / "h.xlsx", rows, header=header, title_rows=0))
    assert summary["created"] == 1
    assert any("备注" in warning["message"] for warning in summary["warnings"])


def test_reimport_updates_changed_fields_and_records_them(db, tmp_path, roster):
    run(roster)
    again = run(roster)
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 10)
    changed = [person(n) for n in range(1, 11)]
    changed[0]["联系电话"] = "13900001111"
    changed[1]["村（社区）"] = "上围村" if changed[1]["村（社区）"] != "上围村" else "新联村"
    summary = run(write_xlsx(tmp_path / "changed.xlsx", changed))
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 2, 8)
    first = Case.objects.get(person__id_number=changed[0]["身份证号码"])
    assert first.person.phone == "13900001111"
    event = CaseEvent.objects.get(case=first, kind="roster_update")
    phone = next(change for change in event.data["changes"] if change["field"] == "phone")
    assert phone["to"] == "139****1111" and event.data["roster_import"]
    assert "139****1111" in history.event_text(event)
    second = Case.objects.get(person__id_number=changed[1]["身份证号码"])
    assert second.region.name == changed[1]["村（社区）"]
    assert RosterImport.objects.count() == 3


def test_a_complete_roster_lists_who_is_missing_and_nobody_is_deleted(
    db, tmp_path, roster, supervisor
):
    run(roster)
    smaller = write_xlsx(tmp_path / "smaller.xlsx", [person(n) for n in range(1, 9)])
    summary = run(smaller, "--county", "441621", "--complete")
    assert summary["left_list"] == 2
    gone = list(LeftListCandidate.objects.order_by("pk"))
    left_list_decide(candidate=gone[0], actor=supervisor, confirm=True)
    left_list_decide(candidate=gone[1], actor=supervisor, confirm=False)
    closed = Case.objects.get(pk=gone[0].case_id)
    assert (closed.stage, closed.closed_reason) == (Stage.CLOSED, "left_list")
    assert closed.left_list_on is not None
    assert not CaseTask.objects.filter(case=closed, task__status__in=["NEW", "ASSIGNED"]).exists()
    assert Case.objects.get(pk=gone[1].case_id).stage == Stage.IDENTIFIED
    assert Case.objects.count() == 10
    # the same file again does not list them twice
    assert run(smaller, "--county", "441621", "--complete")["left_list"] == 0


def test_correcting_an_id_number_to_another_cases_merges_them(db, tmp_path, roster, supervisor):
    run(roster)
    wrong = Case.objects.get(person__id_number=person(1)["身份证号码"])
    right = Case.objects.get(person__id_number=person(2)["身份证号码"])
    CaseEvent.objects.create(case=wrong, kind="assistance", data={"note": "招聘会推荐"})
    merged = case_correct_id(case=wrong, actor=supervisor, id_number=person(2)["身份证号码"])
    assert merged.pk == right.pk
    wrong = Case.objects.get(pk=wrong.pk)
    assert wrong.merged_into_id == right.pk and wrong.stage == Stage.CLOSED
    assert CaseEvent.objects.filter(case=right, kind="assistance").exists()
    assert CaseEvent.objects.filter(case=right, kind="merged").exists()
    assert Case.objects.count() == 10 and Person.objects.count() == 10


def test_correcting_an_id_number_without_a_clash(db, roster, supervisor):
    from casework.idnumber import make_id_number

    run(roster)
    case = Case.objects.get(person__id_number=person(1)["身份证号码"])
    new = make_id_number("441621", datetime.date(1980, 5, 6), 11)
    assert case_correct_id(case=case, actor=supervisor, id_number=new).pk == case.pk
    case = Case.objects.get(pk=case.pk)
    assert case.person.id_number == new and str(case.person.birth_date) == "1980-05-06"
    assert CaseEvent.objects.filter(case=case, kind="id_corrected").exists()


@pytest.mark.parametrize("content", [b"PK\x03\x04 broken zip", b"", b"\x00\x01\x02binary"])
def test_a_file_that_cannot_be_read_writes_nothing_and_fails(db, tmp_path, content):
    path = tmp_path / ("bad.xlsx" if content.startswith(b"PK") else "bad.csv")
    path.write_bytes(content)
    with pytest.raises(CommandError):
        run(path)
    assert not Person.objects.exists() and not RosterImport.objects.exists()


def test_a_file_without_a_header_row_fails(db, tmp_path):
    path = write_csv(tmp_path / "x.csv", [{"A": "1"}], header=["A", "B"])
    with pytest.raises(CommandError, match="姓名"):
        run(path)


def test_all_or_nothing_when_writing_fails(db, roster, monkeypatch):
    from casework.roster import importing as roster_module

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_module, "cases_start_bulk", broken)
    with pytest.raises(RuntimeError):
        roster_import(path=roster, actor=None)
    assert not Person.objects.exists() and not Case.objects.exists()
    assert not RosterImport.objects.exists()


def test_dry_run_writes_nothing(db, roster):
    assert run(roster, "--dry-run")["created"] == 10
    assert not Person.objects.exists()


def test_the_upload_page_previews_then_imports(login, supervisor, tmp_path):
    rows = [person(n) for n in range(1, 6)] + [person(6, county="龙川县")]
    path = write_xlsx(tmp_path / "upload.xlsx", rows)
    client = login(supervisor)
    with open(path, "rb") as handle:
        response = client.post(reverse("casework:import_upload"), {"file": handle})
    record = RosterImport.objects.get()
    assert response.url == record.get_absolute_url()
    assert (record.status, record.created, record.rejected) == ("preview", 5, 1)
    page = client.get(record.get_absolute_url()).content.decode()
    # the reason in words, not its code (the row report keeps the code)
    assert "该行属于龙川县，不属于紫金县。" in page and "out_of_scope" not in page
    assert not Person.objects.exists()
    client.post(reverse("casework:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "done" and record.actor == supervisor
    assert Case.objects.filter(county__name="紫金县").count() == 5
    assert not Case.objects.filter(county__name="龙川县").exists()
    report = client.get(reverse("casework:import_report", args=[record.pk]))
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert rows[1][2] == "out_of_scope"


def test_caseworkers_cannot_import(login, caseworker):
    assert login(caseworker).get(reverse("casework:import_upload")).status_code == 403


def test_the_upload_page_refuses_other_files(login, supervisor, tmp_path):
    path = tmp_path / "名单.pdf"
    path.write_bytes(b"%PDF-1.4")
    with open(path, "rb") as handle:
        response = login(supervisor).post(reverse("casework:import_upload"), {"file": handle})
    assert response.status_code == 200 and response.context["form"].errors
    assert not RosterImport.objects.exists()


# Check characters for the roster below, computed apart from casework.idnumber: the weight of
# digit i (0-based) is 2**(17 - i) mod 11, and the check is (12 - sum mod 11) mod 11, 10 being X.
def independent_check(body: str) -> str:
    total = sum(int(digit) * (2 ** (17 - i) % 11) for i, digit in enumerate(body))
    check = (12 - total % 11) % 11
    return "X" if check == 10 else str(check)


HEYUAN_PLACES = ["441602", "441621", "441622", "441623", "441624", "441625", "441699",
                 "442522", "442523", "442524", "442525", "442529"]  # fmt: skip


def test_a_roster_of_400_real_numbers_is_accepted_whole(db, tmp_path):
    rows = []
    for n in range(1, 401):
        born = datetime.date(1955, 1, 1) + datetime.timedelta(days=n * 6007 % 18000)
        body = f"{HEYUAN_PLACES[n % len(HEYUAN_PLACES)]}{born:%Y%m%d}{n * 37 % 999 + 1:03d}"
        number = body + independent_check(body)
        sex = "男" if int(body[16]) % 2 else "女"
        rows.append(person(n, county="紫金县" if n % 3 else "龙川县", 身份证号码=number, 性别=sex))
    numbers = [row["身份证号码"] for row in rows]
    assert len(set(numbers)) == 400
    assert sum(number.endswith("X") for number in numbers) > 20
    assert sum(number.endswith("0") for number in numbers) > 20
    summary = run(write_xlsx(tmp_path / "河源市名单.xlsx", rows))
    codes = [code for row_codes in codes_of(summary).values() for code in row_codes]
    assert codes.count("id_checksum") == 0
    assert summary["rejected"] == []
    assert summary["created"] == 400
    assert Person.objects.filter(id_number__in=numbers).count() == 400


def upload_and_confirm(client, path) -> RosterImport:
    with open(path, "rb") as handle:
        client.post(reverse("casework:import_upload"), {"file": handle})
    record = RosterImport.objects.latest("created_at")
    client.post(reverse("casework:import_confirm", args=[record.pk]))
    record.refresh_from_db()
    assert record.status == "done"
    return record


def test_a_reimport_moving_a_case_moves_its_open_tasks_to_the_new_place(
    login, supervisor, tmp_path
):
    zicheng_worker = staff("cw_zicheng", Role.CASEWORKER, "紫金县/紫城镇")
    longwo_worker = staff("cw_longwo", Role.CASEWORKER, "紫金县/龙窝镇")
    Region.objects.filter(pk=region("紫金县/紫城镇").pk).update(default_caseworker=zicheng_worker)
    # person(2) and person(4) live in 紫城镇/新联村 (tests/rosters.py)
    first = write_xlsx(tmp_path / "first.xlsx", [person(2), person(4)])
    upload_and_confirm(login(supervisor), first)
    moving = Case.objects.get(person__id_number=person(2)["身份证号码"])
    staying = Case.objects.get(person__id_number=person(4)["身份证号码"])
    Case.objects.filter(pk=moving.pk).update(owner=zicheng_worker)
    moved_task, stayed_task = CaseTask.objects.get(case=moving), CaseTask.objects.get(case=staying)
    assert moved_task.task.owner == stayed_task.task.owner == zicheng_worker
    assert login(zicheng_worker).get(task_page(moved_task)).status_code == 200

    # the poverty office now lists person(2) in 龙窝镇 and person(4) in another village of 紫城镇
    second = write_xlsx(tmp_path / "second.xlsx", [
        person(2, township="龙窝镇", village="石坑村"), person(4, village="上围村"),
    ])  # fmt: skip
    record = upload_and_confirm(login(supervisor), second)
    assert record.updated == 2

    moved_task = CaseTask.objects.get(pk=moved_task.pk)
    assert (moved_task.township.name, moved_task.region.name) == ("龙窝镇", "石坑村")
    assert (moved_task.task.status, moved_task.task.owner) == ("NEW", None)
    assert (moved_task.status, moved_task.owner) == ("NEW", None)  # the lists' copies
    assert Case.objects.get(pk=moving.pk).place_code == region("紫金县/龙窝镇/石坑村").code
    queue = login(longwo_worker).get(reverse("workflows:queue")).content.decode()
    assert task_page(moved_task) in queue
    assert login(longwo_worker).get(task_page(moved_task)).status_code == 200
    assert login(zicheng_worker).get(task_page(moved_task)).status_code == 404
    assert Case.objects.get(pk=moving.pk).owner is None
    assert CaseEvent.objects.filter(case=moving, kind="release", task=moved_task.task).exists()
    # a move inside the caseworker's township keeps the task in their hands
    stayed_task = CaseTask.objects.get(pk=stayed_task.pk)
    assert (stayed_task.township.name, stayed_task.region.name) == ("紫城镇", "上围村")
    assert (stayed_task.task.status, stayed_task.task.owner) == ("ASSIGNED", zicheng_worker)
    assert login(zicheng_worker).get(task_page(stayed_task)).status_code == 200


def task_page(case_task) -> str:
    return reverse("workflows:task_detail", args=[case_task.pk])


def test_a_malformed_phone_is_reported_masked(login, supervisor, tmp_path):
    path = write_xlsx(tmp_path / "电话.xlsx", [person(1, 联系电话="13812345678999")])
    client = login(supervisor)
    with open(path, "rb") as handle:
        client.post(reverse("casework:import_upload"), {"file": handle})
    record = RosterImport.objects.get()
    page = client.get(record.get_absolute_url()).content.decode()
    assert "13812345678999" not in page and "**********8999" in page
    report = client.get(reverse("casework:import_report", args=[record.pk]))
    cells = [str(v) for row in load_workbook(io.BytesIO(report.content)).active.iter_rows(
        values_only=True) for v in row]  # fmt: skip
    assert not any("13812345678999" in cell for cell in cells)
