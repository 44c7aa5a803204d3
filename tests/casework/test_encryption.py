"""Personal numbers at rest: after real use the database and the stored files hold no ID or phone
number in clear; the one-case-per-ID rule, the last-digits search and key rotation still work."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import FieldError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from casework.errors import ServiceError
from casework.models import Case, Person, RosterImport
from tests.factories import CaseFactory
from tests.rosters import person, write_csv
from tests.workflows.conftest import open_task, survey_form, task_url

ID = "441621198507150029"  # the roster's number
CORRECTED = "441621199002280519"  # the number it is corrected to
NEAR = "441621198507150028"  # a refused row's number (wrong check digit)
PHONE = "13912345678"  # the roster's phone
NEW_PHONE = "13987654321"  # the survey's phone
DRAFT_PHONE = "13800001111"  # a phone typed into a draft, never submitted
LITERALS = [ID, CORRECTED, NEAR, PHONE, NEW_PHONE, DRAFT_PHONE, "1985-07-15", "1990-02-28"]

# keys as Fernet.generate_key() makes them, written out by hand
OLD_KEY = "y2e2cn0v3WmJcX6nVYtq8n0bNn6F0iB3jvHn6r7Jx1I="
NEW_KEY = "0fB3m8Yt1bQ2w5ZpLr9cK4sH7dN6xV2jE8uT3gA1oRk="


def raw_rows() -> dict[str, list[tuple]]:
    """Every row of every table, as the database holds it."""
    found = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            found[table] = cursor.fetchall()
    return found


def in_clear(rows: dict[str, list[tuple]], literals) -> list[tuple[str, str]]:
    hits = []
    for table, table_rows in rows.items():
        for row in table_rows:
            text = " ".join(str(value) for value in row)
            hits += [(table, literal) for literal in literals if literal in text]
    return hits


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def test_after_real_use_no_number_is_stored_in_clear(
    login, supervisor, caseworker, media, tmp_path
):
    rows = [
        person(1, township="紫城镇", village="新联村", **{"身份证号码": ID, "联系电话": PHONE}),
        person(2, township="紫城镇", village="新联村", **{"身份证号码": NEAR}),
    ]
    upload = SimpleUploadedFile("roster.csv", write_csv(tmp_path / "r.csv", rows).read_bytes())
    boss = login(supervisor)
    boss.post(reverse("casework:import_upload"), {"file": upload})
    record = RosterImport.objects.get()
    stored = [path for path in media.rglob("*") if path.is_file()]
    assert stored, "the upload is kept until it is imported"
    for path in stored:
        content = path.read_bytes()
        assert ID.encode() not in content and PHONE.encode() not in content
        assert "紫城镇".encode() not in content  # the whole file is encrypted, not only numbers
    assert record.report["rejected"]  # the refused row is in the report, readable in Python
    boss.post(reverse("casework:import_confirm", args=[record.pk]))
    case = Case.objects.get(person__id_number=ID)
    assert (case.person.phone, case.person.birth_date) == (PHONE, datetime.date(1985, 7, 15))

    client = login(caseworker)
    survey = open_task(case, "survey")
    client.post(task_url(survey, "claim"))
    draft = client.post(
        reverse("workflows:survey_draft", args=[survey.pk]), {"phone": DRAFT_PHONE, "note": "草稿"}
    )
    assert draft.json()["saved"] is True
    client.post(task_url(survey), survey_form(case, "farming", phone=NEW_PHONE))
    case.person.refresh_from_db()
    assert case.person.phone == NEW_PHONE
    boss = login(supervisor)  # one test client: the supervisor again
    for what, number in (("id_number", ID), ("phone", NEW_PHONE)):
        shown = boss.post(reverse("casework:case_reveal", args=[case.pk]), {"what": what})
        assert number in shown.content.decode()
    url = reverse("casework:case_correct_id", args=[case.pk])
    boss.post(url, {"id_number": CORRECTED})
    case.person.refresh_from_db()
    assert case.person.id_number == CORRECTED

    assert in_clear(raw_rows(), LITERALS) == []
    for path in (p for p in media.rglob("*") if p.is_file()):
        assert not [n for n in LITERALS if n.encode() in path.read_bytes()], path


def test_one_person_per_id_number_still_holds(zicheng):
    CaseFactory(region=zicheng, id_number=ID)
    with pytest.raises(ServiceError):
        CaseFactory(region=zicheng, id_number=ID)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(
            id_number=ID, name="重复", sex="F", birth_date=datetime.date(1985, 7, 15)
        )
    assert Person.objects.count() == 1


def test_the_last_digits_find_the_case(login, supervisor, zicheng):
    found = CaseFactory(region=zicheng, id_number="11010519491231002X")
    other = CaseFactory(region=zicheng, id_number=ID)
    cases = reverse("casework:case_list")
    client = login(supervisor)
    for digits in ("002X", "002x", "31002X", "1002X"):
        page = client.get(cases, {"q": digits}).content.decode()
        assert found.get_absolute_url() in page and other.get_absolute_url() not in page, digits
    page = client.get(cases, {"q": "0029"}).content.decode()
    assert other.get_absolute_url() in page and found.get_absolute_url() not in page
    assert Case.objects.filter(person__id_number=ID).get() == other
    assert Case.objects.filter(person__id_number__in=[ID, CORRECTED]).get() == other


def test_a_lookup_that_a_hash_cannot_answer_is_refused(zicheng):
    with pytest.raises(FieldError):
        list(Person.objects.filter(id_number__startswith="4416"))
    with pytest.raises(FieldError):
        list(Person.objects.filter(phone=PHONE))


def test_rotation_rewrites_every_value_under_the_new_key(settings, zicheng, media):
    settings.FIELD_ENCRYPTION_KEY = OLD_KEY
    case = CaseFactory(region=zicheng, id_number=ID, phone=PHONE)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM casework_person")
        (old_token,) = cursor.fetchone()

    settings.FIELD_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    assert Case.objects.get(person__id_number=ID) == case  # found before the rotation ran
    call_command("rotate_encryption_key", "--batch-size", "1")
    settings.FIELD_ENCRYPTION_KEY = NEW_KEY  # the old key removed
    person = Person.objects.get(pk=case.person_id)
    assert (person.id_number, person.phone, person.birth_date) == (
        ID, PHONE, datetime.date(1985, 7, 15),
    )  # fmt: skip
    assert Case.objects.get(person__id_number=ID) == case
    assert Case.objects.get(person__id_number__endswith="150029") == case
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM casework_person")
        (new_token,) = cursor.fetchone()
    assert new_token != old_token


def test_a_second_rotation_has_nothing_to_do(settings, zicheng, media):
    settings.FIELD_ENCRYPTION_KEY = f"{NEW_KEY},{OLD_KEY}"
    CaseFactory(region=zicheng, id_number=ID, phone=PHONE)
    out = StringIO()
    call_command("rotate_encryption_key", stdout=out)
    assert "done: 0 re-encrypted" in out.getvalue()
