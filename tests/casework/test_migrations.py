"""A database built at an earlier main migrates forward with its records placed and dated."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("casework", "0011_registration_conflicts"), ("workflows", "0002_default_deadlines")]


@pytest.mark.django_db(transaction=True)
def test_records_of_an_earlier_database_get_their_county_date_and_structure():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Region = old.get_model("casework", "Region")
    User = old.get_model("casework", "User")
    Person = old.get_model("casework", "Person")
    Case = old.get_model("casework", "Case")
    city = Region.objects.get(level="city")
    county = Region.objects.get(code="441621")
    township = Region.objects.create(name="紫城镇", code="441621100", level="township",
                                     parent=county, county=county)  # fmt: skip
    worker = User.objects.create(username="cw_old")
    person = Person.objects.create(id_number="441621198507150029", name="钟旧档", sex="M",
                                   birth_date=datetime.date(1985, 7, 15))  # fmt: skip
    case = Case.objects.create(
        person=person, region=township, township=township, county=county,
        identified_on=datetime.date(2026, 3, 2), stage="assisted",
    )  # fmt: skip
    at = datetime.datetime(2026, 4, 1, 2, 0, tzinfo=datetime.UTC)  # 10:00 in Asia/Shanghai
    old.get_model("casework", "StageChange").objects.create(
        case=case, from_stage="surveyed", to_stage="assisted", transition="assist", at=at
    )
    old.get_model("casework", "Outreach").objects.create(
        case=case, on=datetime.date(2026, 4, 2), recorded_by=worker
    )
    old.get_model("casework", "CaseEvent").objects.create(
        case=case, kind="assistance", actor=worker, at=at, message="Job referral or recruitment "
        "event: 推荐参加招聘会",
    )  # fmt: skip
    round_ = old.get_model("casework", "Reconciliation").objects.create(
        county=county, held_on=datetime.date(2026, 6, 1), recorded_by=worker
    )
    round_.cases.add(case)
    assert city  # the regions migration ran

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    from casework.models import Assistance, Confirmation, Outreach, StageChange

    change = StageChange.objects.get(case_id=case.pk)
    assert (change.on, change.county_id, change.township_id) == (
        datetime.date(2026, 4, 1), county.pk, township.pk,
    )  # fmt: skip
    assert Outreach.objects.get(case_id=case.pk).county_id == county.pk
    help_given = Assistance.objects.get(case_id=case.pk)
    assert (help_given.measure, help_given.on, help_given.note) == (
        "referral", datetime.date(2026, 4, 1), "推荐参加招聘会",
    )  # fmt: skip
    confirmation = Confirmation.objects.get(case_id=case.pk)
    assert (confirmation.confirmed_on, confirmation.confirmed_by_id) == (
        datetime.date(2026, 6, 1), worker.pk,
    )  # fmt: skip

    # the personal numbers are encrypted, their hashes filled: found by number and by last digits
    from casework.models import Person as Current

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, birth_date, birth_year FROM casework_person")
        stored_number, stored_birth, birth_year = cursor.fetchone()
    assert "441621198507150029" not in stored_number and "1985-07-15" not in str(stored_birth)
    assert birth_year == 1985
    laborer = Current.objects.get(id_number="441621198507150029")
    assert (laborer.pk, laborer.birth_date) == (person.pk, datetime.date(1985, 7, 15))
    assert Current.objects.get(id_number__endswith="0029").pk == person.pk
